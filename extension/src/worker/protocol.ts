import type {
  AnalysisResult,
  AnalyzeOptions,
  BackendName,
  BackendPreference,
  EngineErrorCode,
  GateAssessment,
  LoadProgress,
  ModelManifest,
  RadiographPixels,
  StartupTimings,
} from '../engine';

/**
 * Messages between the page and the inference worker. Pixels go over as a transferred copy, results
 * come back with their typed arrays transferred; errors travel as data and become EngineErrors again.
 */
export interface LoadRequest {
  type: 'load';
  /** Absolute URLs: a worker has no page location to resolve against. */
  manifestUrl: string;
  ortBaseUrl: string;
  backend: BackendPreference;
  wasmThreads?: number;
}

export type ToWorker =
  | LoadRequest
  | { type: 'analyze'; id: number; pixels: RadiographPixels; options?: AnalyzeOptions }
  | { type: 'dispose'; id: number };

export interface SerializedError {
  /** Set for an EngineError: the panel's wording depends on it. */
  code?: EngineErrorCode;
  name: string;
  message: string;
  gate?: GateAssessment;
}

export interface ModelDescription {
  manifest: ModelManifest;
  backend: BackendName;
  backendNote?: string;
  startup?: StartupTimings;
}

export type FromWorker =
  | { type: 'progress'; progress: LoadProgress }
  | ({ type: 'ready' } & ModelDescription)
  | { type: 'load-failed'; error: SerializedError }
  /** The backend, its note or the start-up timings changed (the WebGPU check ended, a GPU was lost). */
  | ({ type: 'changed' } & Omit<ModelDescription, 'manifest'>)
  | { type: 'result'; id: number; result: AnalysisResult }
  | { type: 'failed'; id: number; error: SerializedError }
  | { type: 'disposed'; id: number };

/** The side of a Worker, a worker's global scope or a MessagePort that both ends use. */
export interface MessageEndpoint {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  start?(): void;
}
