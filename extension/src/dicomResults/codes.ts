import { fitLo } from './text';

/**
 * The codes our objects use. Standard ones (DCM, SCT, UCUM, UMLS, 99IHE) where a code exists;
 * the rest in our local coding scheme 99CXRAI (documented in docs/dicom-results.md).
 */

/** A code sequence item, as dcmjs naturalises it. */
export interface Code {
  CodeValue: string;
  CodingSchemeDesignator: string;
  CodeMeaning: string;
}

export const code = (value: string, scheme: string, meaning: string): Code => ({
  CodeValue: value,
  CodingSchemeDesignator: scheme,
  CodeMeaning: meaning,
});

export const LOCAL_SCHEME = '99CXRAI';

export const CODES = {
  imagingMeasurementReport: code('126000', 'DCM', 'Imaging Measurement Report'),
  language: code('121049', 'DCM', 'Language of Content Item and Descendants'),
  english: code('en-US', 'RFC5646', 'English (United States)'),
  observerType: code('121005', 'DCM', 'Observer Type'),
  device: code('121007', 'DCM', 'Device'),
  deviceObserverUid: code('121012', 'DCM', 'Device Observer UID'),
  deviceObserverName: code('121013', 'DCM', 'Device Observer Name'),
  deviceObserverManufacturer: code('121014', 'DCM', 'Device Observer Manufacturer'),
  deviceObserverModelName: code('121015', 'DCM', 'Device Observer Model Name'),
  procedureReported: code('121058', 'DCM', 'Procedure reported'),
  chestXray: code('399208008', 'SCT', 'Plain chest X-ray'),
  imageLibrary: code('111028', 'DCM', 'Image Library'),
  imageLibraryGroup: code('126200', 'DCM', 'Image Library Group'),
  imagingMeasurements: code('126010', 'DCM', 'Imaging Measurements'),
  measurementGroup: code('125007', 'DCM', 'Measurement Group'),
  trackingIdentifier: code('112039', 'DCM', 'Tracking Identifier'),
  trackingUid: code('112040', 'DCM', 'Tracking Unique Identifier'),
  finding: code('121071', 'DCM', 'Finding'),
  algorithmName: code('111001', 'DCM', 'Algorithm Name'),
  algorithmVersion: code('111003', 'DCM', 'Algorithm Version'),
  algorithmParameters: code('111002', 'DCM', 'Algorithm Parameters'),
  probability: code('122157', 'DCM', 'Probability'),
  sourceOfMeasurement: code('121112', 'DCM', 'Source of Measurement'),
  qualitativeEvaluations: code('C0034375', 'UMLS', 'Qualitative Evaluations'),
  present: code('52101004', 'SCT', 'Present'),
  absent: code('272519000', 'SCT', 'Absent'),
  yes: code('373066001', 'SCT', 'Yes'),
  no: code('373067005', 'SCT', 'No'),
  comment: code('121106', 'DCM', 'Comment'),
  ratio: code('{ratio}', 'UCUM', 'ratio'),
  logit: code('{logit}', 'UCUM', 'logit'),
  quantity: code('246205007', 'SCT', 'Quantity'),
  classActivation: code('130402', 'DCM', 'Class activation'),
  chest: code('43799004', 'SCT', 'Chest'),
  sourceImageForProcessing: code('121322', 'DCM', 'Source image for image processing operation'),
  processingAlgorithm: code('1630', '99IHE', 'Processing Algorithm'),
  // Local (99CXRAI): no standard concept says these.
  operatingThreshold: code('THRESHOLD', LOCAL_SCHEME, 'Operating threshold'),
  findingTrained: code('TRAINED', LOCAL_SCHEME, 'Model trained for finding'),
  activationMap: code('CAMMAP', LOCAL_SCHEME, 'Class activation map'),
  heatmapCapture: code('CAMCAPTURE', LOCAL_SCHEME, 'Heatmap secondary capture'),
  heatmapPeak: code('CAMPEAK', LOCAL_SCHEME, 'Heatmap peak'),
  intendedUse: code('INTENDEDUSE', LOCAL_SCHEME, 'Intended use'),
  demoWeights: code('DEMOWEIGHTS', LOCAL_SCHEME, 'Demonstration model: untrained weights'),
} as const;

/** SNOMED CT concepts of the NIH ChestX-ray14 findings that have a reliable one. */
const SNOMED_FINDINGS: Record<string, Code> = {
  Atelectasis: code('46621007', 'SCT', 'Atelectasis'),
  Cardiomegaly: code('8186001', 'SCT', 'Cardiomegaly'),
  Effusion: code('60046008', 'SCT', 'Pleural effusion'),
  Mass: code('4147007', 'SCT', 'Mass'),
  Pneumonia: code('233604007', 'SCT', 'Pneumonia'),
  Pneumothorax: code('36118008', 'SCT', 'Pneumothorax'),
  Consolidation: code('95436008', 'SCT', 'Consolidation'),
  Emphysema: code('87433001', 'SCT', 'Pulmonary emphysema'),
  Fibrosis: code('51615001', 'SCT', 'Pulmonary fibrosis'),
};

/** Local codes for the ChestX-ray14 findings without one we could verify. */
const LOCAL_FINDINGS: Record<string, string> = {
  Infiltration: 'INFILTRATION',
  Nodule: 'NODULE',
  Edema: 'EDEMA',
  Pleural_Thickening: 'PLEURALTHICK',
  Hernia: 'HERNIA',
};

/**
 * The finding's code: SNOMED CT where one exists, else 99CXRAI (a site model's own finding names
 * get a local code made from the name, at most 16 characters as Code Value allows).
 */
export function findingCode(name: string, displayName: string): Code {
  const snomed = SNOMED_FINDINGS[name];
  if (snomed) return snomed;
  const value =
    LOCAL_FINDINGS[name] ??
    (name
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '')
      .slice(0, 16) ||
      'FINDING');
  return code(value, LOCAL_SCHEME, fitLo(displayName));
}

export function sameCode(a: unknown, b: Code): boolean {
  const item = (Array.isArray(a) ? a[0] : a) as Partial<Code> | undefined;
  return item?.CodeValue === b.CodeValue && item?.CodingSchemeDesignator === b.CodingSchemeDesignator;
}
