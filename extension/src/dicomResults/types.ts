/**
 * The contract of our DICOM result objects (issue 8), shared by the browser panel and the CLI.
 * No OHIF or React here: dcmjs naturalised datasets in, Part 10 bytes out, and back.
 */
import type { AnalysisResult, BackendName, FindingResult, Heatmap, ModelIdentity } from '../engine';

/** A dcmjs naturalised dataset (keyword → value), as OHIF's metadata store and dcmjs hold them. */
export type NaturalizedDataset = Record<string, unknown>;

/** The analysed image, as the writers need it (from OHIF's instance metadata or the CLI's reader). */
export interface SourceImage {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  sopClassUid: string;
  /** 1-based frame analysed (single-frame images: 1). */
  frameNumber: number;
  rows: number;
  columns: number;
  modality: string;
  /**
   * The source instance's own attributes copied into every object we write: Patient, General
   * Study and Patient Study modules (PatientName, PatientID, PatientBirthDate, PatientSex,
   * PatientAge, StudyDate, StudyTime, StudyID, AccessionNumber, ReferringPhysicianName,
   * StudyDescription), plus what registration needs where present (FrameOfReferenceUID,
   * PixelSpacing, ImagerPixelSpacing, ImageOrientationPatient, ImagePositionPatient, Laterality,
   * ViewPosition, PatientOrientation). Keys absent from the source stay absent.
   */
  attributes: NaturalizedDataset;
}

/** Rasterises an SVG of `width` x `height` to RGBA bytes (browser: canvas; Node: resvg). */
export type SvgRasterizer = (svg: string, width: number, height: number) => Promise<Uint8Array>;

export interface ResultObjectsInput {
  result: AnalysisResult;
  source: SourceImage;
  /** Every finding's map as the viewer draws it (one Parametric Map frame or object per map). */
  maps: Heatmap[];
  /** Findings shown on screen: one burned-in RGB Secondary Capture each. */
  captureFindings: string[];
  /** The source image's display intensities for the captures' background, rows x columns, 0..255. */
  background?: { rows: number; columns: number; data: Uint8Array };
  displayName: (finding: string) => string;
  rasterizeSvg: SvgRasterizer;
  /** When the objects are created (the SR's ContentDate/Time and the reopened "stored" stamp). */
  now: Date;
}

export type ResultObjectKind = 'sr' | 'parametric-map' | 'secondary-capture';

export interface ResultObject {
  kind: ResultObjectKind;
  sopClassUid: string;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  /** Findings this object carries (the SR: all of them). */
  findings: string[];
  /** DICOM Part 10 bytes, ready for STOW-RS or a file. */
  part10: ArrayBuffer;
}

/** What a stored SR of ours says, read back (reopening a study). */
export interface StoredResult {
  srSopInstanceUid: string;
  srSeriesInstanceUid: string;
  /** When the result was stored (the SR's ContentDate/ContentTime), ISO 8601. */
  storedAt: string;
  /** The analysed image: SOP Instance UID and 1-based frame. */
  imageSopInstanceUid: string;
  frameNumber: number;
  model: ModelIdentity;
  backend: BackendName;
  findings: FindingResult[];
  /** The Parametric Map instances of this result, per finding (SOP Instance UID, 1-based frame). */
  maps: { finding: string; sopInstanceUid: string; frameNumber: number }[];
}
