/** Attribute helpers shared by the writers: naturalised values, dates, DS text, common modules. */
import type { ModelIdentity } from '../engine';
import { CODES, LOCAL_SCHEME } from './codes';
import type { NaturalizedDataset, SourceImage } from './types';
import { fitLo } from './text';
import { uidFromSha256 } from './uids';

export { fitLo };

/** Who wrote the objects (General Equipment, Contributing Equipment). */
export const MANUFACTURER = 'Chest X-ray AI for OHIF';
export const MANUFACTURER_MODEL_NAME = 'Chest X-ray AI';
export const SOFTWARE_VERSION = '0.1.0';
export const DEMO_LABEL = 'DEMO — untrained weights — not a diagnosis';
export const NOT_A_DIAGNOSIS = 'AI decision support — not a diagnosis';

/** A naturalised value's first element (dcmjs keeps multi-valued attributes as arrays). */
export function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

export function text(value: unknown): string | undefined {
  const v = first(value);
  if (v === undefined || v === null) return undefined;
  const s = String(v).trim();
  return s === '' ? undefined : s;
}

export function numberOf(value: unknown): number | undefined {
  const v = first(value);
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** A number as DS text (at most 16 characters, as many digits as fit). */
export function ds(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  for (let digits = 15; digits > 0; digits--) {
    // Plain or exponent form, whichever fits with more digits (DS allows both).
    const plain = Number(value.toPrecision(digits)).toString();
    if (plain.length <= 16) return plain;
    const exponent = value.toExponential(digits - 1).replace('e+', 'e');
    if (exponent.length <= 16) return exponent;
  }
  return value.toExponential(6);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** DICOM DA and TM (UTC; TimezoneOffsetFromUTC says so) of a moment. */
export function dicomDateTime(now: Date): { date: string; time: string } {
  return {
    date: `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`,
    time: `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}.${pad(now.getUTCMilliseconds(), 3)}`,
  };
}

/** ISO 8601 from DA, TM and an optional +HHMM offset. */
export function isoFromDicom(date: string, time: string, offset = '+0000'): string {
  const t = time.padEnd(6, '0');
  const fraction = t.includes('.')
    ? t
        .slice(t.indexOf('.') + 1)
        .padEnd(3, '0')
        .slice(0, 3)
    : '000';
  const sign = offset.startsWith('-') ? '-' : '+';
  const digits = offset.replace(/^[+-]/, '').padStart(4, '0');
  return `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}.${fraction}${sign}${digits.slice(0, 2)}:${digits.slice(2, 4)}`;
}

/** Type 2 attributes of the Patient and General Study modules: present, empty when unknown. */
const TYPE2_STUDY = [
  'PatientName',
  'PatientID',
  'PatientBirthDate',
  'PatientSex',
  'StudyDate',
  'StudyTime',
  'ReferringPhysicianName',
  'StudyID',
  'AccessionNumber',
];
const OPTIONAL_STUDY = ['PatientAge', 'StudyDescription', 'IssuerOfPatientID', 'PatientWeight', 'PatientSize'];

/**
 * Formats of the copied attributes whose VR has one (AS, DA, TM, CS). Sources do break them (a
 * real SIIM file has PatientAge "62"): an invalid value (format, or length below) is not copied, so our objects stay valid
 * without guessing what the source meant (Type 2: written empty; Type 3: left out).
 */
const FORMATS: Record<string, RegExp> = {
  PatientAge: /^\d{3}[DWMY]$/,
  PatientBirthDate: /^\d{8}$/,
  StudyDate: /^\d{8}$/,
  StudyTime: /^\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?$/,
  PatientSex: /^[MFO]$/,
};

/** Longest value (bytes) of the copied LO and SH attributes (our demo study once had a 75-byte LO). */
const MAX_BYTES: Record<string, number> = {
  PatientID: 64,
  IssuerOfPatientID: 64,
  StudyDescription: 64,
  StudyID: 16,
  AccessionNumber: 16,
};

/** The source's value of `key` when it is valid for its VR's format and length (or that VR has none). */
function validCopy(source: SourceImage, key: string): unknown {
  const value = source.attributes[key];
  const format = FORMATS[key];
  const maxBytes = MAX_BYTES[key];
  if (value === undefined || (!format && !maxBytes)) return value;
  const single = text(value);
  if (single === undefined) return undefined;
  if (format && !format.test(single)) return undefined;
  if (maxBytes && new TextEncoder().encode(single).length > maxBytes) return undefined;
  return single;
}

/** Patient, General Study and Patient Study modules: the source's own values, same study. */
export function studyModules(source: SourceImage): NaturalizedDataset {
  const out: NaturalizedDataset = { StudyInstanceUID: source.studyInstanceUid };
  for (const key of TYPE2_STUDY) out[key] = validCopy(source, key) ?? '';
  for (const key of OPTIONAL_STUDY) {
    const value = validCopy(source, key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** SOP Common and General Equipment, with the algorithm as Contributing Equipment (IHE AIR). */
export function commonModules(
  sopClassUid: string,
  sopInstanceUid: string,
  model: ModelIdentity,
  now: Date,
): NaturalizedDataset {
  const { date, time } = dicomDateTime(now);
  return {
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: sopClassUid,
    SOPInstanceUID: sopInstanceUid,
    InstanceCreationDate: date,
    InstanceCreationTime: time,
    TimezoneOffsetFromUTC: '+0000',
    Manufacturer: MANUFACTURER,
    ManufacturerModelName: MANUFACTURER_MODEL_NAME,
    SoftwareVersions: [SOFTWARE_VERSION, fitLo(`${model.name} ${model.version}`)],
    DeviceSerialNumber: model.sha256.slice(0, 16) || 'unknown',
    ContributingEquipmentSequence: [
      {
        PurposeOfReferenceCodeSequence: [CODES.processingAlgorithm],
        Manufacturer: MANUFACTURER,
        ManufacturerModelName: fitLo(model.name),
        SoftwareVersions: fitLo(model.version),
        DeviceUID: deviceUid(model),
        ContributionDateTime: `${date}${time}+0000`,
        ContributionDescription: `${model.name} ${model.version} sha256 ${model.sha256}${model.demo ? ` (${DEMO_LABEL})` : ''}`,
      },
    ],
  };
}

/** Declares our local coding scheme (SOP Common), in objects that use its codes. */
export const LOCAL_CODING_SCHEME = {
  CodingSchemeIdentificationSequence: [
    {
      CodingSchemeDesignator: LOCAL_SCHEME,
      CodingSchemeName: 'Chest X-ray AI for OHIF local codes',
      CodingSchemeResponsibleOrganization: MANUFACTURER,
    },
  ],
};

export function deviceUid(model: ModelIdentity): string {
  return uidFromSha256(model.sha256);
}

/** General Series attributes of a new series of ours. */
export function seriesModule(
  modality: string,
  seriesInstanceUid: string,
  seriesNumber: number,
  what: string,
  model: ModelIdentity,
  now: Date,
): NaturalizedDataset {
  const { date, time } = dicomDateTime(now);
  const label = model.demo ? DEMO_LABEL : NOT_A_DIAGNOSIS;
  return {
    Modality: modality,
    SeriesInstanceUID: seriesInstanceUid,
    SeriesNumber: seriesNumber,
    SeriesDate: date,
    SeriesTime: time,
    SeriesDescription: fitLo(`AI ${what} — ${label}`),
  };
}

/** A reference to the analysed image (frame only for multi-frame sources). */
export function sourceReference(source: SourceImage): NaturalizedDataset {
  return {
    ReferencedSOPClassUID: source.sopClassUid,
    ReferencedSOPInstanceUID: source.sopInstanceUid,
    ...(isMultiFrame(source) ? { ReferencedFrameNumber: source.frameNumber } : {}),
  };
}

export function isMultiFrame(source: SourceImage): boolean {
  return (numberOf(source.attributes.NumberOfFrames) ?? 1) > 1;
}
