import type { IntendedPopulation } from './ChestFilmGate';

/**
 * The model contract: a JSON manifest that sits beside each `.onnx` file.
 * Validated at load time by `validateManifest`; see models/README.md for the prose version.
 */
export const MANIFEST_FORMAT_VERSION = 1;

/** How the image is cut and scaled into the model's input grid. */
export type ResizePolicy =
  /** Whole image stretched to the output size (torchvision Resize((H, W)) with a pair). */
  | { kind: 'stretch' }
  /** Central square of side min(rows, columns), then resized (torchxrayvision). */
  | { kind: 'center-square' }
  /** Shorter side to `shorterSide`, then a central crop of the output size (torchvision Resize(s)+CenterCrop: CheXNet reproductions). */
  | { kind: 'shorter-side-center-crop'; shorterSide: number };

/** How display intensities in [0, 1] (after modality LUT, VOI and MONOCHROME1 inversion) become model input. */
export type IntensityMapping =
  /** Per channel (v - mean) / std: ImageNet statistics for CheXNet-style models. */
  | { kind: 'mean-std'; mean: number[]; std: number[] }
  /** Linear map of [0, 1] onto [min, max]: [-1024, 1024] for torchxrayvision-style models. */
  | { kind: 'range'; min: number; max: number };

export interface Preprocessing {
  /** Model input grid, [height, width]. */
  outputSize: [number, number];
  resize: ResizePolicy;
  intensity: IntensityMapping;
}

export interface ModelInputSpec {
  name: string;
  /** [1, channels, height, width]. */
  shape: [number, number, number, number];
  channels: 1 | 3;
}

export interface ProbabilityOutputSpec {
  name: string;
  /** 'none' when the output already is a probability; 'sigmoid' when the model emits logits. */
  activation: 'none' | 'sigmoid';
}

export interface CamOutputSpec {
  name: string;
  /**
   * [1, F, h, w]: Grad-CAM of each finding's logit against the feature map after the final ReLU,
   * ReLU(sum_k alpha_ck A_k) with alpha_ck the spatial mean of d logit_c / d A_k.
   */
  shape: [number, number, number, number];
}

export interface FindingSpec {
  name: string;
  /** What the panel and reports show (`Pleural thickening` for `Pleural_Thickening`); default: the name. */
  displayName?: string;
  /** Operating threshold on the probability: at or above it the finding is flagged positive. */
  threshold: number;
  /** False for a finding the weights were not trained on (kept for display order, never flagged). */
  trained?: boolean;
}

export interface HeatmapSpec {
  /**
   * Heat is reported in logit units (see models/README.md): the colour scale runs from 0 to this
   * value for every finding and image, so maps stay comparable.
   */
  fullScaleLogits: number;
}

/**
 * Where the thresholds came from when a site calibrated them on its own labelled images
 * (`cxr-ai calibrate`); the viewer shows "cut-offs calibrated on <images> site images, <date>".
 */
export interface ManifestCalibration {
  /** Youden's J (max sensitivity + specificity - 1), or the most specific cut-off reaching `targetSensitivity`. */
  rule: 'youden' | 'sensitivity';
  /** For rule 'sensitivity': the sensitivity each cut-off reaches at least, in (0, 1). */
  targetSensitivity?: number;
  /** Images the thresholds were chosen on. */
  images: number;
  /** sha256 over the images' `path<TAB>sha256` lines, sorted by path. */
  dataSha256: string;
  /** sha256 of the labels file. */
  labelsSha256?: string;
  /** Day of calibration, YYYY-MM-DD. */
  date: string;
  /** Findings whose threshold was calibrated (the others kept theirs: no positives or no negatives). */
  findings?: string[];
}

export interface ModelManifest {
  formatVersion: typeof MANIFEST_FORMAT_VERSION;
  name: string;
  version: string;
  /** File name of the ONNX model, relative to the manifest. */
  file: string;
  /** Hex sha256 of the ONNX file; a mismatch refuses the model. */
  sha256: string;
  input: ModelInputSpec;
  preprocessing: Preprocessing;
  outputs: {
    probabilities: ProbabilityOutputSpec;
    cams: CamOutputSpec;
  };
  findings: FindingSpec[];
  heatmap: HeatmapSpec;
  /** Shown with every result. */
  intendedUse: string;
  /** Who the model is for; the chest-film gate cautions or refuses outside it. Default: adults. */
  intendedPopulation?: IntendedPopulation;
  /** True for untrained demo weights: every result is labelled as such. */
  demo: boolean;
  /** Largest WebGPU-versus-WASM difference on probabilities tolerated before WebGPU is dropped. */
  webgpuTolerance?: number;
  /** Present when a site calibrated the thresholds on its own data. */
  calibration?: ManifestCalibration;
}
