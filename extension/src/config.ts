import { clampHeatmapThreshold, DEFAULT_HEATMAP_THRESHOLD, isColormapName, type BackendPreference, type ColormapName } from './engine';

/**
 * What a site sets in its app-config.js:
 *
 *   window.config.chestXrayAi = { modelManifestUrl: '/models/cxr/manifest.json', autoRun: true };
 *
 * (or as the extension's configuration in a site build). Every key is optional but the model URL.
 */
export interface ChestXrayAiConfig {
  /** URL of the model's manifest.json; the .onnx file sits beside it. */
  modelManifestUrl: string;
  /** Analyse every radiograph as it becomes active (true) or only on request (false). */
  autoRun: boolean;
  /** Findings to list, by manifest name; all when absent. */
  findings?: string[];
  /**
   * 'webgpu-then-wasm' (default: WebGPU when it agrees with the CPU, else WASM), 'webgpu' (refuse
   * to run without a GPU) or 'wasm' (CPU only). The older `requireWebGPU: true` still reads as
   * 'webgpu' when no backend is named.
   */
  backend: BackendPreference;
  /** WASM threads; default: what the page allows (1 without cross-origin isolation). */
  wasmThreads?: number;
  /** Folder (URL ending in '/') holding our onnxruntime-web files; default: `ort/` beside the plugin. */
  ortBaseUrl?: string;
  /** Initial heatmap look. */
  defaultOpacity: number;
  /** Fraction of the colour scale below which heat is not drawn. */
  defaultHeatmapThreshold: number;
  defaultColormap: ColormapName;
  /** Modalities the panel accepts (single-frame projection radiographs). */
  modalities: string[];
}

export const DEFAULT_CONFIG: ChestXrayAiConfig = {
  modelManifestUrl: '/models/demo/manifest.json',
  autoRun: true,
  backend: 'webgpu-then-wasm',
  defaultOpacity: 0.5,
  defaultHeatmapThreshold: DEFAULT_HEATMAP_THRESHOLD,
  defaultColormap: 'jet',
  modalities: ['CR', 'DX'],
};

function pick<T>(value: unknown, check: (v: unknown) => boolean, fallback: T): T {
  return check(value) ? (value as T) : fallback;
}

const isString = (v: unknown) => typeof v === 'string' && v.length > 0;
const isBool = (v: unknown) => typeof v === 'boolean';
const isBackendPreference = (v: unknown): v is BackendPreference =>
  v === 'wasm' || v === 'webgpu' || v === 'webgpu-then-wasm';
const isFraction = (v: unknown) => typeof v === 'number' && v >= 0 && v <= 1;

/** Merges the app-config key and the extension configuration over the defaults, ignoring bad values. */
export function resolveConfig(...sources: unknown[]): ChestXrayAiConfig {
  const merged: Record<string, unknown> = {};
  for (const source of sources) {
    if (source && typeof source === 'object') Object.assign(merged, source);
  }
  const d = DEFAULT_CONFIG;
  const legacyBackend: BackendPreference = merged.requireWebGPU === true ? 'webgpu' : d.backend;
  const backend = pick<BackendPreference>(merged.backend, isBackendPreference, legacyBackend);
  return {
    modelManifestUrl: pick(merged.modelManifestUrl, isString, d.modelManifestUrl),
    autoRun: pick(merged.autoRun, isBool, d.autoRun),
    findings: pick<string[] | undefined>(merged.findings, (v) => Array.isArray(v) && v.every(isString), undefined),
    backend,
    wasmThreads: pick<number | undefined>(
      merged.wasmThreads,
      (v) => Number.isInteger(v) && (v as number) > 0,
      undefined,
    ),
    ortBaseUrl: pick<string | undefined>(merged.ortBaseUrl, isString, undefined),
    defaultOpacity: pick(merged.defaultOpacity, isFraction, d.defaultOpacity),
    defaultHeatmapThreshold: clampHeatmapThreshold(
      pick(merged.defaultHeatmapThreshold, isFraction, d.defaultHeatmapThreshold),
    ),
    defaultColormap: pick(merged.defaultColormap, isColormapName, d.defaultColormap),
    modalities: pick(merged.modalities, (v) => Array.isArray(v) && v.every(isString), d.modalities),
  };
}
