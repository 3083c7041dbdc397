import type { GatePolicy } from './ChestFilmGate';
import type * as OrtModule from 'onnxruntime-web';
import type { AnalysisResult, BackendName } from './Analysis';
import type { ModelManifest } from './ModelManifest';
import type { RadiographPixels } from './RadiographPixels';

/**
 * The onnxruntime namespace in use: the browser passes an onnxruntime-web bundle, the CLI
 * onnxruntime-node (same onnxruntime-common API) or onnxruntime-web's Node build.
 */
export type Ort = typeof OrtModule;

/** Where model bytes are kept between sessions, keyed by sha256 (the browser uses the Cache API). */
export interface ModelByteStore {
  get(sha256: string): Promise<Uint8Array | undefined>;
  put(sha256: string, bytes: Uint8Array): Promise<void>;
}

export type BackendPreference =
  /** WebGPU when it is there and agrees with WASM, else WASM. */
  | 'webgpu-then-wasm'
  /** WebGPU or nothing: a site that requires a GPU. */
  | 'webgpu'
  | 'wasm'
  /** onnxruntime-node's CPU execution provider (Node only: `ort` must be onnxruntime-node). */
  | 'cpu-native';

export interface LoadProgress {
  stage: 'manifest' | 'download' | 'session' | 'validation' | 'ready';
  /** 0..1 where known (download). */
  fraction?: number;
  message: string;
}

export interface LoadModelOptions {
  /** URL (browser) or file path / file URL (Node) of the manifest; the model file is resolved beside it. */
  manifestUrl: string;
  ort: Ort;
  backend?: BackendPreference;
  byteStore?: ModelByteStore;
  /** Reads a URL or path to bytes; defaults to fetch(). */
  readBytes?: (url: string, onFraction?: (fraction: number) => void) => Promise<Uint8Array>;
  onProgress?: (progress: LoadProgress) => void;
  /** WASM threads; defaults to what the page allows (1 without cross-origin isolation). */
  wasmThreads?: number;
  /** Intra-op threads of the `cpu-native` backend; defaults to onnxruntime-node's choice. */
  nativeThreads?: number;
}

export interface AnalyzeOptions {
  /**
   * Hand back the very input tensor given to session.run, as `AnalysisResult.input` (the CLI's
   * --dump-tensors, so the exporter's proof checks PyTorch on exactly what the engine ran).
   */
  keepInput?: boolean;
  /** The site's choice per chest-film check (refuse, caution or off); defaults otherwise. */
  gatePolicy?: GatePolicy;
}

export interface LoadedModel {
  manifest: ModelManifest;
  /** The backend that actually runs this model. */
  backend: BackendName;
  /** Why WebGPU is not in use, when it was wanted and is not. */
  backendNote?: string;
  /** Runs the model on one image. Rejects with an EngineError whose message is fit for the panel. */
  analyze(pixels: RadiographPixels, options?: AnalyzeOptions): Promise<AnalysisResult>;
  dispose(): Promise<void>;
}
