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
  /**
   * The hash recorded with the bytes when they were stored after passing the check, if the store
   * keeps one: cached bytes are then not hashed again at start-up.
   */
  verifiedHash?(sha256: string): Promise<string | undefined>;
}

/** How the model's hash was established at start-up: computed, or recorded when the bytes were cached. */
export type HashMethod = 'webcrypto' | 'js' | 'remembered';

/** Each start-up stage's duration in ms (performance.now() differences), for the panel and the bench. */
export interface StartupTimings {
  /** Loading the onnxruntime bundle (set by whoever loads it; 0 in Node). */
  ortLoadMs?: number;
  manifestMs: number;
  /** Reading the model's bytes: from the cache, or downloading them. */
  readMs: number;
  source: 'cache' | 'download';
  hashMs: number;
  hashMethod: HashMethod;
  sessionMs: number;
  /** One run on a fixed input right after session creation (it also serves as WebGPU's reference). */
  warmupMs?: number;
  /** Loading WebGPU's bundle, starting its session and comparing it with the CPU, off the critical path. */
  webgpuCheckMs?: number;
  webgpuOutcome?: 'in-use' | 'refused' | 'unavailable';
  /** Where inference runs: a dedicated worker, or the page's main thread. */
  thread?: 'worker' | 'main';
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
  /**
   * With 'webgpu-then-wasm': the onnxruntime bundle for WebGPU. When given, the model starts on
   * WASM (from `ort`, the plain build) and WebGPU is checked later, off the critical path
   * (`LoadedModel.tryWebgpu`); without it WebGPU is checked before the model is ready.
   */
  loadWebgpuOrt?: () => Promise<Ort>;
  /**
   * Run once on a fixed input before the model is ready, so the first image's run is warm. Without
   * it the caller may warm up later, when idle (`LoadedModel.warmUp`).
   */
  warmUp?: boolean;
  /** Called whenever the backend in use changes (WebGPU proven, or a lost GPU moved to WASM). */
  onBackendChange?: (backend: BackendName, note: string | undefined) => void;
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
  /** Each start-up stage's time, where the loader records them (read live: the WebGPU check ends later). */
  startup?: StartupTimings;
  /** One run on a fixed input (once; later calls wait for the same run): warms the session up. */
  warmUp?(): Promise<void>;
  /**
   * Checks WebGPU in the background and switches to it once it is proven (see
   * LoadModelOptions.loadWebgpuOrt); resolves to the backend in use afterwards.
   */
  tryWebgpu?(): Promise<BackendName>;
}
