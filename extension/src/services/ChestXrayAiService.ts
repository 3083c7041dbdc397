import {
  EngineError,
  LatestRequestGate,
  createCacheApiByteStore,
  heatmapForFinding,
  loadModel,
  type AnalysisResult,
  type ColormapName,
  type Heatmap,
  type LoadedModel,
  type LoadProgress,
  type ModelIdentity,
} from '../engine';
import { backendPreference, resolveConfig, type ChestXrayAiConfig } from '../config';
import type { ExtensionManager, ServiceRegistration, ServicesManager, Subscription } from '../ohifTypes';
import { getCornerstone, type Cornerstone } from '../utils/cornerstoneLibraries';
import { HeatmapLayers } from '../utils/HeatmapLayers';
import { describeError } from '../utils/describeError';
import { displayedImage, radiographPixelsFromViewport, type DisplayedImage } from '../utils/radiographPixelsFromViewport';
import { defaultOrtBaseUrl, loadOrt } from './loadOrt';

export type ModelStatus = 'idle' | 'loading' | 'ready' | 'error';
export type AnalysisStatus = 'idle' | 'waiting-for-image' | 'running' | 'done' | 'error' | 'not-applicable';

export interface ModelState {
  status: ModelStatus;
  progress?: LoadProgress;
  identity?: ModelIdentity;
  intendedUse?: string;
  /** The backend the loaded model runs on. */
  backend?: string;
  backendNote?: string;
  error?: string;
}

export interface ActiveImageState extends DisplayedImage {
  viewportId: string;
}

export interface HeatmapSettings {
  /** Findings whose heatmap is on, in the order they were turned on. */
  visible: string[];
  opacity: number;
  threshold: number;
  colormap: ColormapName;
}

export interface ChestXrayAiState {
  config: ChestXrayAiConfig;
  model: ModelState;
  active?: ActiveImageState;
  analysis: { status: AnalysisStatus; message?: string };
  /** Result for the active image only; never another image's. */
  result?: AnalysisResult;
  heatmaps: HeatmapSettings;
  /** Findings drawn on the active viewport right now. */
  drawn: string[];
  /** How many images have results kept for this session. */
  resultsKept: number;
}

type Listener = (state: ChestXrayAiState) => void;

const STATE_CHANGED = 'event::chestXrayAiService:stateChanged';

/**
 * Runs the model on the active viewport's radiograph and keeps its results per image
 * (SOPInstanceUID) for the session; owns the heatmap layers. The panel reads its state; the
 * commands module is the only caller of its actions.
 */
export class ChestXrayAiService {
  static readonly REGISTRATION: ServiceRegistration = {
    name: 'chestXrayAiService',
    altName: 'ChestXrayAiService',
    create: ({ servicesManager, extensionManager, configuration }) =>
      new ChestXrayAiService(servicesManager, extensionManager, configuration),
  };

  readonly EVENTS = { STATE_CHANGED };

  private config: ChestXrayAiConfig;
  private state: ChestXrayAiState;
  private readonly listeners = new Set<Listener>();
  private readonly results = new Map<string, AnalysisResult>();
  private readonly heatmapCache = new Map<string, Map<string, Heatmap>>();
  private readonly gate = new LatestRequestGate();
  private model?: LoadedModel;
  private modelPromise?: Promise<LoadedModel>;
  private subscriptions: Subscription[] = [];
  private readonly elementListeners = new Map<HTMLElement, () => void>();
  private layers?: HeatmapLayers;
  private cornerstoneLibs?: Cornerstone;
  private waitTimer?: ReturnType<typeof setTimeout>;
  private following = false;

  constructor(
    private readonly servicesManager: ServicesManager,
    private readonly extensionManager: ExtensionManager,
    configuration?: unknown,
  ) {
    this.config = resolveConfig(configuration);
    this.state = this.initialState();
  }

  private initialState(): ChestXrayAiState {
    return {
      config: this.config,
      model: { status: 'idle' },
      analysis: { status: 'idle' },
      heatmaps: {
        visible: [],
        opacity: this.config.defaultOpacity,
        threshold: this.config.defaultHeatmapThreshold,
        colormap: this.config.defaultColormap,
      },
      drawn: [],
      resultsKept: 0,
    };
  }

  configure(...sources: unknown[]): void {
    this.config = resolveConfig(...sources);
    this.state = this.initialState();
    this.emit();
  }

  getState(): ChestXrayAiState {
    return this.state;
  }

  subscribe(event: string, callback: Listener): Subscription {
    if (event !== STATE_CHANGED) throw new Error(`Unknown event ${event}`);
    this.listeners.add(callback);
    return { unsubscribe: () => this.listeners.delete(callback) };
  }

  private setState(patch: Partial<ChestXrayAiState>): void {
    this.state = { ...this.state, ...patch, resultsKept: this.results.size };
    this.emit();
  }

  private emit(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(this.state);
      } catch (error) {
        console.error('[chest-xray-ai] panel listener failed', error);
      }
    }
  }

  private get cornerstone(): Cornerstone {
    this.cornerstoneLibs ??= getCornerstone(this.extensionManager);
    return this.cornerstoneLibs;
  }

  private get heatmapLayers(): HeatmapLayers {
    this.layers ??= new HeatmapLayers(this.cornerstone);
    return this.layers;
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  /**
   * Starts following the active viewport: from the Chest X-ray AI mode, or when our panel opens in
   * another mode. (Not onModeEnter: OHIF calls that on every service in every mode.)
   */
  activate(): void {
    if (this.following) return;
    this.following = true;
    const { viewportGridService, cornerstoneViewportService } = this.servicesManager.services;
    const refresh = () => this.refreshActiveImage();
    this.subscriptions = [
      viewportGridService.subscribe(viewportGridService.EVENTS.ACTIVE_VIEWPORT_ID_CHANGED, refresh),
      viewportGridService.subscribe(viewportGridService.EVENTS.GRID_STATE_CHANGED, refresh),
      cornerstoneViewportService.subscribe(cornerstoneViewportService.EVENTS.VIEWPORT_DATA_CHANGED, refresh),
    ].filter(Boolean);
    if (this.config.autoRun) void this.ensureModel().catch(() => undefined);
    refresh();
  }

  /** OHIF calls this on leaving any mode: stop following viewports, drop our layers. */
  onModeExit(): void {
    this.deactivate();
  }

  deactivate(): void {
    this.following = false;
    this.subscriptions.forEach((s) => s.unsubscribe());
    this.subscriptions = [];
    for (const [element, remove] of this.elementListeners) {
      remove();
      this.elementListeners.delete(element);
    }
    if (this.waitTimer) clearTimeout(this.waitTimer);
    if (this.state.active) {
      this.gate.cancel(this.state.active.viewportId);
      this.clearLayers(this.state.active.viewportId);
    }
    this.state = { ...this.state, active: undefined, result: undefined, drawn: [], analysis: { status: 'idle' } };
  }

  // ---- model -------------------------------------------------------------------------------

  private ensureModel(): Promise<LoadedModel> {
    if (this.model) return Promise.resolve(this.model);
    if (this.modelPromise) return this.modelPromise;
    const backend = backendPreference(this.config);
    this.setState({ model: { status: 'loading', progress: { stage: 'manifest', message: 'Loading the AI model…' } } });
    this.modelPromise = (async () => {
      const ort = await loadOrt(this.config.ortBaseUrl ?? defaultOrtBaseUrl(), backend);
      return loadModel({
        manifestUrl: new URL(this.config.modelManifestUrl, window.location.href).href,
        ort,
        backend,
        byteStore: createCacheApiByteStore(),
        wasmThreads: this.config.wasmThreads,
        onProgress: (progress) => this.setState({ model: { ...this.state.model, status: 'loading', progress } }),
      });
    })();
    this.modelPromise.then(
      (model) => {
        this.model = model;
        this.setState({
          model: {
            status: 'ready',
            identity: {
              name: model.manifest.name,
              version: model.manifest.version,
              sha256: model.manifest.sha256,
              demo: model.manifest.demo,
            },
            intendedUse: model.manifest.intendedUse,
            backend: model.backend,
            backendNote: model.backendNote,
          },
        });
      },
      (error) => {
        this.modelPromise = undefined;
        console.error('[chest-xray-ai] model load failed', error);
        this.setState({ model: { status: 'error', error: describeError(error, 'model') } });
      },
    );
    return this.modelPromise;
  }

  // ---- active image ------------------------------------------------------------------------

  private activeViewport(): { viewportId: string; viewport: any } | undefined {
    const { viewportGridService, cornerstoneViewportService } = this.servicesManager.services;
    const viewportId = viewportGridService.getActiveViewportId?.();
    if (!viewportId) return undefined;
    const viewport = cornerstoneViewportService.getCornerstoneViewport(viewportId);
    return viewport ? { viewportId, viewport } : undefined;
  }

  private watchElement(viewport: any): void {
    const element: HTMLElement | undefined = viewport?.element;
    if (!element || this.elementListeners.has(element)) return;
    const { Events } = this.cornerstone.Enums;
    // Synchronous with the image swap, before the next render: no frame shows an old overlay.
    const onNewImage = () => {
      const current = this.activeViewport();
      const viewportId: string = viewport.id;
      const layersImage = this.state.active?.viewportId === viewportId ? this.state.active.imageId : undefined;
      if (viewport.getCurrentImageId?.() !== layersImage) this.clearLayers(viewportId);
      if (current?.viewportId === viewportId) this.refreshActiveImage();
    };
    const events = [Events.PRE_STACK_NEW_IMAGE, Events.STACK_NEW_IMAGE, Events.VIEWPORT_NEW_IMAGE_SET];
    events.forEach((e) => element.addEventListener(e, onNewImage));
    this.elementListeners.set(element, () => events.forEach((e) => element.removeEventListener(e, onNewImage)));
  }

  /** Re-reads which image is active; shows its kept result or analyses it (auto-run). */
  refreshActiveImage(): void {
    let found: { viewportId: string; viewport: any } | undefined;
    try {
      found = this.activeViewport();
    } catch {
      found = undefined;
    }
    const previous = this.state.active;
    if (!found) {
      if (previous) this.leaveImage(previous);
      this.setState({ active: undefined, result: undefined, drawn: [], analysis: { status: 'idle' } });
      return;
    }
    const { viewportId, viewport } = found;
    this.watchElement(viewport);
    const shown = displayedImage(this.cornerstone, viewport);
    if (previous && (previous.viewportId !== viewportId || previous.imageId !== shown?.imageId)) {
      this.leaveImage(previous);
    }
    if (!shown) {
      const isStack = typeof viewport.getCurrentImageId === 'function';
      this.setState({
        active: undefined,
        result: undefined,
        drawn: [],
        analysis: isStack
          ? { status: 'waiting-for-image' }
          : { status: 'not-applicable', message: 'Chest X-ray AI works on a single radiograph in a 2D (stack) viewport.' },
      });
      return;
    }
    const active: ActiveImageState = { ...shown, viewportId };
    if (previous?.imageId === active.imageId && previous.viewportId === viewportId && this.state.result) {
      this.drawLayers();
      return; // Same image: nothing to redo.
    }
    const modality = active.modality?.toUpperCase();
    if (modality && !this.config.modalities.includes(modality)) {
      this.setState({
        active,
        result: undefined,
        drawn: [],
        analysis: {
          status: 'not-applicable',
          message: `Chest X-ray AI reads ${this.config.modalities.join(' and ')} radiographs; this image is ${modality}.`,
        },
      });
      return;
    }
    const kept = this.results.get(active.imageKey);
    if (kept) {
      this.setState({ active, result: kept, analysis: { status: 'done' } });
      this.drawLayers();
      return;
    }
    this.setState({ active, result: undefined, drawn: [], analysis: { status: 'idle' } });
    if (this.config.autoRun) void this.run();
  }

  private leaveImage(previous: ActiveImageState): void {
    this.gate.cancel(previous.viewportId);
    this.clearLayers(previous.viewportId);
  }

  // ---- actions (through the commands module) -----------------------------------------------

  /** Analyses the active image (again, with force). */
  async run({ force = false }: { force?: boolean } = {}): Promise<void> {
    const active = this.state.active;
    if (!active) {
      this.refreshActiveImage();
      if (!this.state.active) return;
      return this.run({ force });
    }
    if (!force && this.results.has(active.imageKey)) {
      this.setState({ result: this.results.get(active.imageKey), analysis: { status: 'done' } });
      this.drawLayers();
      return;
    }
    const token = this.gate.begin(active.imageKey, active.viewportId);
    this.setState({ result: undefined, drawn: [], analysis: { status: 'running', message: 'Analysing this radiograph…' } });
    try {
      const model = await this.ensureModel();
      if (!this.gate.isCurrent(token)) return;
      const pixels = await this.waitForPixels(active);
      if (!this.gate.isCurrent(token)) return;
      const result = await model.analyze(pixels);
      if (result.imageKey !== active.imageKey) throw new Error('The result came back for another image.');
      this.results.set(active.imageKey, result);
      this.heatmapCache.delete(active.imageKey);
      if (!this.gate.isCurrent(token)) {
        this.setState({});
        return;
      }
      this.setState({
        result,
        analysis: { status: 'done' },
        model: { ...this.state.model, backend: model.backend, backendNote: model.backendNote },
      });
      this.drawLayers();
    } catch (error) {
      if (!this.gate.isCurrent(token)) return;
      console.error('[chest-xray-ai] analysis failed', error);
      const modelFailed = this.state.model.status === 'error';
      this.setState({
        analysis: { status: 'error', message: modelFailed ? this.state.model.error : describeError(error, 'analysis') },
      });
    }
  }

  /** The displayed image's pixels once Cornerstone has loaded it (it may still be loading). */
  private waitForPixels(active: ActiveImageState) {
    return new Promise<ReturnType<typeof radiographPixelsFromViewport> & object>((resolve, reject) => {
      const started = Date.now();
      const attempt = () => {
        const viewport = this.servicesManager.services.cornerstoneViewportService.getCornerstoneViewport(active.viewportId);
        const got = viewport && radiographPixelsFromViewport(this.cornerstone, viewport);
        if (got && got.image.imageId === active.imageId) {
          resolve(got);
        } else if (Date.now() - started > 60000) {
          reject(new EngineError('image-unsupported', 'The image did not finish loading.'));
        } else {
          this.waitTimer = setTimeout(attempt, 100);
        }
      };
      attempt();
    }).then((got) => got.pixels);
  }

  setHeatmapVisible(finding: string, visible?: boolean): void {
    const current = this.state.heatmaps.visible;
    const on = visible ?? !current.includes(finding);
    const next = on ? (current.includes(finding) ? current : [...current, finding]) : current.filter((f) => f !== finding);
    this.setState({ heatmaps: { ...this.state.heatmaps, visible: next } });
    this.drawLayers();
  }

  setHeatmapLook(look: Partial<Omit<HeatmapSettings, 'visible'>>): void {
    const heatmaps = { ...this.state.heatmaps };
    if (typeof look.opacity === 'number') heatmaps.opacity = Math.min(1, Math.max(0, look.opacity));
    if (typeof look.threshold === 'number') heatmaps.threshold = Math.min(0.99, Math.max(0, look.threshold));
    if (look.colormap === 'jet' || look.colormap === 'turbo' || look.colormap === 'hot') heatmaps.colormap = look.colormap;
    this.setState({ heatmaps });
    this.drawLayers();
  }

  /** Hides every heatmap; with `results`, also forgets the results kept for this session. */
  clear({ results = false }: { results?: boolean } = {}): void {
    this.setState({ heatmaps: { ...this.state.heatmaps, visible: [] } });
    if (this.state.active) this.clearLayers(this.state.active.viewportId);
    if (results) {
      this.results.clear();
      this.heatmapCache.clear();
      this.setState({ result: undefined, analysis: { status: 'idle' } });
    }
  }

  // ---- layers ------------------------------------------------------------------------------

  private heatmapsFor(result: AnalysisResult): Map<string, Heatmap> {
    const key = result.imageKey ?? '';
    let maps = this.heatmapCache.get(key);
    if (!maps) {
      maps = new Map();
      this.heatmapCache.set(key, maps);
    }
    for (const name of this.state.heatmaps.visible) {
      if (maps.has(name)) continue;
      const index = result.findings.findIndex((f) => f.name === name);
      if (index >= 0) maps.set(name, heatmapForFinding(result, index));
    }
    return maps;
  }

  private drawLayers(): void {
    const { active, result, heatmaps } = this.state;
    if (!active) return;
    const viewport = this.servicesManager.services.cornerstoneViewportService.getCornerstoneViewport(active.viewportId);
    if (!viewport) return;
    try {
      // The result must belong to the image on screen, or nothing is drawn.
      if (!result || result.imageKey !== active.imageKey || displayedImage(this.cornerstone, viewport)?.imageKey !== active.imageKey) {
        this.clearLayers(active.viewportId);
        return;
      }
      this.heatmapLayers.sync(viewport, active.imageId, active.imageKey, () => this.heatmapsFor(result), heatmaps.visible, {
        opacity: heatmaps.opacity,
        threshold: heatmaps.threshold,
        colormap: heatmaps.colormap,
      });
      this.setState({ drawn: this.heatmapLayers.shown(active.viewportId) });
    } catch (error) {
      console.error('[chest-xray-ai] heatmap layer failed', error);
      this.clearLayers(active.viewportId);
      this.setState({ analysis: { status: 'done', message: `The heatmap could not be drawn: ${describeError(error, 'heatmap')}` } });
    }
  }

  private clearLayers(viewportId: string): void {
    const viewport = this.servicesManager.services.cornerstoneViewportService.getCornerstoneViewport(viewportId);
    if (viewport) this.heatmapLayers.clear(viewport);
    else this.layers?.forget(viewportId);
    if (this.state.drawn.length) this.state = { ...this.state, drawn: [] };
  }
}
