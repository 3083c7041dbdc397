import {
  clampHeatmapThreshold,
  DEFAULT_HEATMAP_THRESHOLD,
  DEFAULT_MAX_PIXELS,
  isColormapName,
  type BackendPreference,
  type GateAction,
  type GatePolicy,
} from './engine';
import type { FindingOrder, HeatmapColouring } from './types';

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
  /** 'by-finding' (default: each shown map in its own hue) or one scale: 'jet', 'turbo', 'hot'. */
  defaultColormap: HeatmapColouring;
  /** 'fill' (default) or 'outline' (isolines). */
  defaultHeatmapStyle: 'fill' | 'outline';
  /** 'above-cutoff': on each new image, show the maps of the findings at or above their cut-off; 'none': none. */
  autoShowHeatmaps: 'above-cutoff' | 'none';
  /** Initial order of the findings list (the reader's choice is remembered after that). */
  findingOrder: FindingOrder;
  /** The chest-film gate per check: 'refuse', 'caution' or 'off' (engine defaults otherwise). */
  gatePolicy: GatePolicy;
  /** Modalities the panel accepts (single-frame projection radiographs). */
  modalities: string[];
  /** Largest image (rows x columns x frames) one analysis takes; default the engine's 60 megapixels. */
  maxPixels: number;
  /**
   * Storing results in the PACS through the viewer's own data source (STOW-RS): 'ask' (default: a
   * "Send to PACS" button), 'auto' (sent after each new analysis) or 'never' (no button).
   */
  storeResults: StoreResultsMode;
  /** What the panel says when the data source cannot store (e.g. how to turn a PACS on). */
  storeResultsOffHint?: string;
}

export type StoreResultsMode = 'ask' | 'auto' | 'never';

export const DEFAULT_CONFIG: ChestXrayAiConfig = {
  modelManifestUrl: '/models/demo/manifest.json',
  autoRun: true,
  backend: 'webgpu-then-wasm',
  defaultOpacity: 0.5,
  defaultHeatmapThreshold: DEFAULT_HEATMAP_THRESHOLD,
  defaultColormap: 'by-finding',
  defaultHeatmapStyle: 'fill',
  autoShowHeatmaps: 'none',
  findingOrder: 'model',
  gatePolicy: {},
  modalities: ['CR', 'DX'],
  maxPixels: DEFAULT_MAX_PIXELS,
  storeResults: 'ask',
};

function pick<T>(value: unknown, check: (v: unknown) => boolean, fallback: T): T {
  return check(value) ? (value as T) : fallback;
}

const isString = (v: unknown) => typeof v === 'string' && v.length > 0;
const isBool = (v: unknown) => typeof v === 'boolean';
const isBackendPreference = (v: unknown): v is BackendPreference =>
  v === 'wasm' || v === 'webgpu' || v === 'webgpu-then-wasm';
const isFraction = (v: unknown) => typeof v === 'number' && v >= 0 && v <= 1;

const GATE_ACTIONS: GateAction[] = ['refuse', 'caution', 'off'];

/** The site's gate choices, keeping only known actions (the engine ignores unknown checks). */
function gatePolicyOf(value: unknown): GatePolicy {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(
    Object.entries(value).filter(([, action]) => GATE_ACTIONS.includes(action as GateAction)),
  ) as GatePolicy;
}

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
    defaultColormap: pick(merged.defaultColormap, (v) => v === 'by-finding' || isColormapName(v), d.defaultColormap),
    defaultHeatmapStyle: pick(
      merged.defaultHeatmapStyle,
      (v) => v === 'fill' || v === 'outline',
      d.defaultHeatmapStyle,
    ),
    autoShowHeatmaps: pick(merged.autoShowHeatmaps, (v) => v === 'above-cutoff' || v === 'none', d.autoShowHeatmaps),
    findingOrder: pick(merged.findingOrder, (v) => v === 'model' || v === 'score', d.findingOrder),
    gatePolicy: gatePolicyOf(merged.gatePolicy),
    modalities: pick(merged.modalities, (v) => Array.isArray(v) && v.every(isString), d.modalities),
    maxPixels: pick(merged.maxPixels, (v) => Number.isSafeInteger(v) && (v as number) > 0, d.maxPixels),
    storeResults: pick(merged.storeResults, (v) => v === 'ask' || v === 'auto' || v === 'never', d.storeResults),
    storeResultsOffHint: pick<string | undefined>(merged.storeResultsOffHint, isString, undefined),
  };
}
