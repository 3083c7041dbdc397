import type { AnalysisResult, BackendName, ColormapName, LoadProgress, ModelIdentity, StartupTimings } from '../engine';
import type { ChestXrayAiConfig, StoreResultsMode } from '../config';
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
  startup?: StartupTimings;
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

/** Where sending the shown result to the PACS stands. */
export type SendState =
  | { status: 'sending'; sent: number; total: number }
  | { status: 'sent'; at: string; pacs: string; seriesInstanceUids: string[]; objects: number; bytes: number }
  | {
      status: 'failed';
      kind: 'unreachable' | 'refused' | 'server' | 'timeout' | 'build';
      message: string;
      details?: string;
      /** Objects the PACS had accepted before the failure (a resend sends the rest). */
      stored: number;
    };

/** Whether results can be stored from this viewer, and the shown result's send. */
export interface StoreState {
  mode: StoreResultsMode;
  /** The active data source stores (a DICOMweb PACS). */
  available: boolean;
  /** Why storing is off, and the site's hint on turning it on. */
  offReason?: string;
  offHint?: string;
  /** The PACS's name, as the data source calls it. */
  pacs?: string;
  send?: SendState;
}

/** The shown result came from the PACS (our SR in the study), not from an analysis in this session. */
export interface StoredResultView {
  storedAt: string;
  model: ModelIdentity;
  backend: BackendName;
  srSeriesInstanceUid: string;
  /** The configured model, where it is another one than the stored result's (sha256). */
  currentModel?: ModelIdentity;
  /** Reading the stored heatmaps: until they are read the result shows without them. */
  maps: 'reading' | 'ready' | 'failed';
  mapsMessage?: string;
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
  store: StoreState;
  /** Present when `result` is a stored result read back from the PACS. */
  stored?: StoredResultView;
}
