import { numberOf, text } from './attributes';
import type { NaturalizedDataset, SourceImage } from './types';

/** The source attributes every object of ours copies (see SourceImage.attributes). */
const COPIED = [
  'PatientName',
  'PatientID',
  'IssuerOfPatientID',
  'PatientBirthDate',
  'PatientSex',
  'PatientAge',
  'PatientWeight',
  'PatientSize',
  'StudyDate',
  'StudyTime',
  'StudyID',
  'AccessionNumber',
  'ReferringPhysicianName',
  'StudyDescription',
  'FrameOfReferenceUID',
  'PixelSpacing',
  'ImagerPixelSpacing',
  'ImageOrientationPatient',
  'ImagePositionPatient',
  'Laterality',
  'ImageLaterality',
  'ViewPosition',
  'PatientOrientation',
  'BodyPartExamined',
  'NumberOfFrames',
];

/**
 * The analysed image as the writers need it, from a dcmjs naturalised dataset: what OHIF's
 * DicomMetadataStore holds per instance, or `parsePart10` of a file. Missing UIDs are an error:
 * an object that cannot name its source must not be written.
 */
export function sourceImageFromDataset(dataset: NaturalizedDataset, frameNumber = 1): SourceImage {
  const need = (key: string) => {
    const value = text(dataset[key]);
    if (!value) throw new Error(`The analysed image has no ${key}; its results cannot be written as DICOM.`);
    return value;
  };
  const attributes: NaturalizedDataset = {};
  for (const key of COPIED) if (dataset[key] !== undefined && dataset[key] !== null) attributes[key] = dataset[key];
  return {
    studyInstanceUid: need('StudyInstanceUID'),
    seriesInstanceUid: need('SeriesInstanceUID'),
    sopInstanceUid: need('SOPInstanceUID'),
    sopClassUid: need('SOPClassUID'),
    frameNumber,
    rows: numberOf(dataset.Rows) ?? 0,
    columns: numberOf(dataset.Columns) ?? 0,
    modality: text(dataset.Modality) ?? 'OT',
    attributes,
  };
}
