import type { GateAssessment } from './ChestFilmGate';
import type { ModelManifest } from './ModelManifest';

/** The execution provider that actually produced a result. */
/**
 * The backend that ran: WebGPU or WASM (onnxruntime-web, browser and Node), or `cpu-native`
 * (onnxruntime-node's CPU execution provider: the CLI's default, never in the browser).
 */
export type BackendName = 'webgpu' | 'wasm' | 'cpu-native';

/** Which of the image's own display values mapped its pixels to intensities. */
export type VoiSource = 'voi-lut' | 'window' | 'full-range';

/** Exact map between the model's input grid and the image's pixel grid. */
export interface InputGeometry {
  imageRows: number;
  imageColumns: number;
  /** Region of the image (pixel units, pixel centres at integer + 0.5 edges) that fills the model grid. */
  crop: { x: number; y: number; width: number; height: number };
  /** Model grid, [height, width]. */
  gridSize: [number, number];
}

export interface PreparedInput {
  /** NCHW float32, ready for the model. */
  tensorData: Float32Array;
  shape: [number, number, number, number];
  geometry: InputGeometry;
  /** Which VOI the preparation used, for the audit trail. */
  voiSource: VoiSource;
}

export interface FindingResult {
  name: string;
  probability: number;
  threshold: number;
  positive: boolean;
  trained: boolean;
}

export interface ModelIdentity {
  name: string;
  version: string;
  sha256: string;
  demo: boolean;
}

export interface Timings {
  prepareMs: number;
  inferenceMs: number;
  totalMs: number;
}

/**
 * One finding's heat, row-major `rows * columns`, in logit units, on a grid laid over the image:
 * the map's `rows x columns` pixels tile `imageRegion` exactly (edges, image pixel units).
 */
export interface Heatmap {
  finding: string;
  rows: number;
  columns: number;
  /**
   * The image rectangle the map covers, edge to edge, in image pixel units (pixel centres at
   * integer + 0.5). Absent: the map is on the image's own pixel grid (rows x columns of the image).
   */
  imageRegion?: { x: number; y: number; width: number; height: number };
  data: Float32Array;
  /** Value at which the colour scale saturates (the manifest's fullScaleLogits). */
  fullScale: number;
  /** Largest value in `data`. */
  max: number;
  /** Where the largest value is (image pixel row and column), when the map records it. */
  peak?: { row: number; column: number };
}

export interface AnalysisResult {
  /** The chest-film gate's word on this image (never 'refuse': a refused image has no result). */
  gate?: GateAssessment;
  /** The image the result belongs to (RadiographPixels.imageKey). */
  imageKey: string | undefined;
  findings: FindingResult[];
  backend: BackendName;
  model: ModelIdentity;
  intendedUse: string;
  timingsMs: Timings;
  geometry: InputGeometry;
  /** The image's VOI the preparation used (audit trail: never the user's window/level). */
  voiSource: VoiSource;
  /** Raw CAM output [1, F, h, w] as the model gave it. */
  cams: { data: Float32Array; shape: [number, number, number, number] };
  /** Raw probabilities in model order. */
  probabilities: Float32Array;
  /** Heat value (logit units) at which the colour scale saturates: the manifest's fullScaleLogits. */
  heatmapFullScale: number;
  /** The NCHW float32 input session.run was given; only with `analyze(pixels, { keepInput: true })`. */
  input?: { data: Float32Array; shape: [number, number, number, number] };
}

export type { ModelManifest };
