/**
 * The chest-film gate: checks on an image's metadata and pixels, before inference, that it is the
 * kind of film the model was made for. Each check passes, cautions (the result is shown with a
 * visible caution) or refuses (no result, a sentence instead). A site sets which is which.
 */

/** DICOM acquisition attributes the gate reads; absent where the source has none (PNG, JPEG). */
export interface AcquisitionInfo {
  /** Modality (0008,0060): CR, DX, CT, ... */
  modality?: string;
  /** Body Part Examined (0018,0015): CHEST, ... */
  bodyPartExamined?: string;
  /** View Position (0018,5101): PA, AP, LL, RL, LATERAL, ... */
  viewPosition?: string;
  /** Patient's Age (0010,1010), as DICOM writes it: 045Y, 010M, 003W, 002D. */
  patientAge?: string;
  /** Patient Position (0018,5100): SUPINE (HFS, FFS …), ERECT, ... */
  patientPosition?: string;
  /** Series and study descriptions: where sites write PORTABLE, AP SUPINE, LAT. */
  seriesDescription?: string;
  studyDescription?: string;
}

export type GateCheckName =
  | 'colour'
  | 'multi-frame'
  | 'modality'
  | 'body-part'
  | 'view-position'
  | 'age'
  | 'size'
  | 'aspect-ratio'
  | 'near-constant';

export type GateAction = 'refuse' | 'caution' | 'off';

/** A site's choice per check; checks it does not name keep their default. */
export type GatePolicy = Partial<Record<GateCheckName, GateAction>>;

export interface GateFinding {
  check: GateCheckName;
  action: Exclude<GateAction, 'off'>;
  /** One sentence fit for the panel and the CLI. */
  sentence: string;
}

export interface GateAssessment {
  /** 'refuse' if any finding refuses, else 'caution' if any cautions, else 'pass'. */
  outcome: 'pass' | 'caution' | 'refuse';
  findings: GateFinding[];
}

/** Who the model is for, as its manifest states it (the gate's age and view checks read it). */
export interface IntendedPopulation {
  /** Youngest patient age in years the model is meant for (NIH-trained models: 18, adults). */
  minAgeYears?: number;
  maxAgeYears?: number;
  /** Views the model was trained on, most common first (NIH: PA then AP). */
  views?: string[];
}
