import type { AnalysisResult, ColormapName, LoadProgress, ModelIdentity } from '../engine';
import type { ChestXrayAiConfig } from '../config';
import type { DisplayedImage } from '../utils/radiographPixelsFromViewport';

export type ModelStatus = 'idle' | 'loading' | 'ready' | 'error';
export type AnalysisStatus =
  | 'idle'
  | 'waiting-for-image'
  | 'running'
  | 'done'
  /** The chest-film gate refused the image: the message says why; no result. */
  | 'refused'
  | 'error'
  | 'not-applicable';

export interface ModelState {
  status: ModelStatus;
  progress?: LoadProgress;
  identity?: ModelIdentity;
  intendedUse?: string;
  /** The backend the loaded model runs on. */
  backend?: string;
  /** The engine's own (technical) words on why WebGPU is not in use; for the administrator. */
  backendNote?: string;
  /** Present when the site calibrated the thresholds (`cxr-ai calibrate`): on how many images, and when. */
  calibration?: { images: number; date: string };
  /** Each start-up stage's time (ms) and where inference runs: the panel's details and the bench read it. */
  startup?: import('../engine').StartupTimings;
  error?: string;
}

export interface ActiveImageState extends DisplayedImage {
  viewportId: string;
}

/** 'by-finding': each shown map in its own single hue; or one colour scale for all. */
export type HeatmapColouring = 'by-finding' | ColormapName;

export interface HeatmapSettings {
  /** Findings whose heatmap is on, in the order they were turned on. */
  visible: string[];
  opacity: number;
  threshold: number;
  colormap: HeatmapColouring;
  /** Filled colour, or outline: isolines only, the film untouched between them. */
  style: 'fill' | 'outline';
  /** All our overlays hidden for a moment (a hotkey), the choices kept. */
  hidden: boolean;
}

export type FindingOrder = 'model' | 'score';

export interface AnalysisState {
  status: AnalysisStatus;
  message?: string;
  /** Technical text behind an error message, shown folded away under it. */
  details?: string;
}

/**
 * What the panel reads: a snapshot composed from the pieces that own each part (model loader,
 * active-image tracker, analysis runner, heatmap drawer), never a second copy of their state.
 */
export interface ChestXrayAiState {
  config: ChestXrayAiConfig;
  model: ModelState;
  active?: ActiveImageState;
  analysis: AnalysisState;
  /** Result for the active image only; never another image's. */
  result?: AnalysisResult;
  heatmaps: HeatmapSettings;
  /** Findings drawn on the active viewport right now. */
  drawn: string[];
  /** Shown findings whose map has nothing above the display threshold on this image. */
  emptyMaps: string[];
  /** How the panel lists findings; remembered across sessions. */
  findingOrder: FindingOrder;
}
