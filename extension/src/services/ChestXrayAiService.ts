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
  type RadiographPixels,
} from '../engine';
import { backendPreference, resolveConfig, type ChestXrayAiConfig } from '../config';
import type { ExtensionManager, ServiceRegistration, ServicesManager, Subscription } from '../ohifTypes';
import { getCornerstone, type Cornerstone } from '../utils/cornerstoneLibraries';
import { HeatmapLayers } from '../utils/HeatmapLayers';
import { describeError } from '../utils/describeError';
import {
  displayedImage,
  radiographPixelsFromViewport,
  type DisplayedImage,
} from '../utils/radiographPixelsFromViewport';
import { heatmapLabelText } from '../utils/wording';
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
  /** The engine's own (technical) words on why WebGPU is not in use; for the administrator. */
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
}

type Listener = (state: ChestXrayAiState) => void;
type RequestToken = ReturnType<LatestRequestGate['begin']>;

const STATE_CHANGED = 'event::chestXrayAiService:stateChanged';

/** How long an image may take to load before the analysis gives up on it. */
const IMAGE_LOAD_TIMEOUT_MS = 60_000;

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
  /** Results per image key for the session; each keeps its small CAMs, from which maps are rebuilt. */
  private readonly results = new Map<string, AnalysisResult>();
  /** Full-resolution maps of the shown result only (they are large): dropped on leaving the image. */
  private activeMaps?: { result: AnalysisResult; maps: Map<string, Heatmap> };
  private readonly gate = new LatestRequestGate();
  /** The analysis in flight, if any (its token stays current until the image changes). */
  private running?: RequestToken;
  private model?: LoadedModel;
  private modelPromise?: Promise<LoadedModel>;
  /** Why the model last failed to load; only an explicit Run tries again (no re-download per image). */
  private modelError?: unknown;
  private loggedBackendNote?: string;
  private subscriptions: Subscription[] = [];
  private readonly elementListeners = new Map<HTMLElement, () => void>();
  private layers?: HeatmapLayers;
  private cornerstoneLibs?: Cornerstone;
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
    this.state = { ...this.state, ...patch };
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

  private getViewport(viewportId: string): any {
    return this.servicesManager.services.cornerstoneViewportService.getCornerstoneViewport(viewportId);
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
    if (this.state.active) this.leaveImage(this.state.active);
    this.running = undefined;
    this.setState({ active: undefined, result: undefined, drawn: [], analysis: { status: 'idle' } });
  }

  // ---- model -------------------------------------------------------------------------------

  /**
   * The loaded model. After a failed load it fails at once with the same error unless `retry`
   * (an explicit Run from the user): a broken model is not downloaded again on every image.
   */
  private ensureModel({ retry = false }: { retry?: boolean } = {}): Promise<LoadedModel> {
    if (this.model) return Promise.resolve(this.model);
    if (this.modelPromise) return this.modelPromise;
    if (this.modelError !== undefined && !retry) return Promise.reject(this.modelError);
    this.modelError = undefined;
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
        this.logBackendNote(model);
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
        this.modelError = error;
        console.error('[chest-xray-ai] model load failed', error);
        this.setState({ model: { status: 'error', error: describeError(error, 'model') } });
      },
    );
    return this.modelPromise;
  }

  /** The engine's technical note on the backend goes to the console, for the administrator. */
  private logBackendNote(model: LoadedModel): void {
    if (model.backendNote && model.backendNote !== this.loggedBackendNote) {
      console.warn(`[chest-xray-ai] ${model.backendNote}`);
    }
    this.loggedBackendNote = model.backendNote;
  }

  // ---- active image ------------------------------------------------------------------------

  private activeViewport(): { viewportId: string; viewport: any } | undefined {
    const { viewportGridService } = this.servicesManager.services;
    const viewportId = viewportGridService.getActiveViewportId?.();
    if (!viewportId) return undefined;
    const viewport = this.getViewport(viewportId);
    return viewport ? { viewportId, viewport } : undefined;
  }

  /**
   * Listens for image changes on a viewport's element. OHIF replaces the viewport object (same id,
   * same element) on a series switch, so the listener holds only the id and looks the viewport up
   * when the event fires; listeners of elements no longer in the page are dropped.
   */
  private watchElement(viewportId: string, element: HTMLElement | undefined): void {
    for (const [watched, remove] of this.elementListeners) {
      if (!watched.isConnected) {
        remove();
        this.elementListeners.delete(watched);
      }
    }
    if (!element || this.elementListeners.has(element)) return;
    const { Events } = this.cornerstone.Enums;
    // Synchronous with the image swap, before the next render: no frame shows an old overlay.
    const onNewImage = (event: Event) => {
      const id: string = (event as CustomEvent<{ viewportId?: string }>).detail?.viewportId ?? viewportId;
      const viewport = this.getViewport(id);
      const layersImage = this.state.active?.viewportId === id ? this.state.active.imageId : undefined;
      if (viewport?.getCurrentImageId?.() !== layersImage) this.clearLayers(id);
      if (this.activeViewport()?.viewportId === id) this.refreshActiveImage();
    };
    const events = [Events.PRE_STACK_NEW_IMAGE, Events.STACK_NEW_IMAGE, Events.VIEWPORT_NEW_IMAGE_SET];
    events.forEach((e) => element.addEventListener(e, onNewImage));
    this.elementListeners.set(element, () => events.forEach((e) => element.removeEventListener(e, onNewImage)));
  }

  /**
   * Re-reads which image is active; shows its kept result or analyses it (auto-run). Many viewer
   * events fire for one image change: for the image already active this only redraws its layers.
   */
  refreshActiveImage({ autoRun = this.config.autoRun }: { autoRun?: boolean } = {}): void {
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
    this.watchElement(viewportId, viewport.element);
    const shown = displayedImage(this.cornerstone, viewport);
    if (
      previous &&
      shown &&
      previous.viewportId === viewportId &&
      previous.imageId === shown.imageId &&
      previous.imageKey === shown.imageKey
    ) {
      // Same image: its result is shown (layers may need re-adding), or it is running or settled.
      if (this.state.result) this.drawLayers();
      return;
    }
    if (previous) this.leaveImage(previous);
    if (!shown) {
      const isStack = typeof viewport.getCurrentImageId === 'function';
      this.setState({
        active: undefined,
        result: undefined,
        drawn: [],
        analysis: isStack
          ? { status: 'waiting-for-image' }
          : {
              status: 'not-applicable',
              message: 'Chest X-ray AI works on a single radiograph in a 2D (stack) viewport.',
            },
      });
      return;
    }
    const active: ActiveImageState = { ...shown, viewportId };
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
    if (autoRun) void this.analyse();
  }

  private leaveImage(previous: ActiveImageState): void {
    this.gate.cancel(previous.viewportId);
    this.clearLayers(previous.viewportId);
    this.activeMaps = undefined;
  }

  // ---- actions (through the commands module) -----------------------------------------------

  /**
   * The user's Run: analyses the active image (again, with force). It also retries a model that
   * failed to load, which automatic runs never do.
   */
  run({ force = false }: { force?: boolean } = {}): Promise<void> {
    if (!this.state.active) this.refreshActiveImage({ autoRun: false });
    return this.analyse({ force, retryModel: true });
  }

  private async analyse({
    force = false,
    retryModel = false,
  }: { force?: boolean; retryModel?: boolean } = {}): Promise<void> {
    const active = this.state.active;
    if (!active) return;
    if (!force && this.results.has(active.imageKey)) {
      this.setState({ result: this.results.get(active.imageKey), analysis: { status: 'done' } });
      this.drawLayers();
      return;
    }
    const inFlight = this.running;
    if (
      !force &&
      inFlight &&
      this.gate.isCurrent(inFlight) &&
      inFlight.channel === active.viewportId &&
      inFlight.imageKey === active.imageKey
    ) {
      return; // already running on this image
    }
    const token = this.gate.begin(active.imageKey, active.viewportId);
    this.running = token;
    // The old result's heatmaps go with it.
    this.clearLayers(active.viewportId);
    this.activeMaps = undefined;
    this.setState({
      result: undefined,
      drawn: [],
      analysis: { status: 'running', message: 'Analysing this radiograph…' },
    });
    try {
      const model = await this.ensureModel({ retry: retryModel });
      if (!this.gate.isCurrent(token)) return;
      const pixels = await this.waitForPixels(active, token);
      if (!pixels || !this.gate.isCurrent(token)) return;
      const result = await model.analyze(pixels);
      if (result.imageKey !== active.imageKey) throw new Error('The result came back for another image.');
      this.results.set(active.imageKey, result);
      if (!this.gate.isCurrent(token)) return;
      this.logBackendNote(model);
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
    } finally {
      if (this.running === token) this.running = undefined;
    }
  }

  /**
   * The active image's pixels once Cornerstone has loaded them (the viewport may still show the
   * previous image object); undefined as soon as the request is no longer current.
   */
  private waitForPixels(active: ActiveImageState, token: RequestToken): Promise<RadiographPixels | undefined> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const attempt = () => {
        if (!this.gate.isCurrent(token)) {
          resolve(undefined);
          return;
        }
        let got: ReturnType<typeof radiographPixelsFromViewport>;
        try {
          const viewport = this.getViewport(active.viewportId);
          got = viewport ? radiographPixelsFromViewport(this.cornerstone, viewport) : undefined;
        } catch (error) {
          reject(error);
          return;
        }
        if (got && got.image.imageId === active.imageId && got.image.imageKey === active.imageKey) {
          resolve(got.pixels);
        } else if (Date.now() - started > IMAGE_LOAD_TIMEOUT_MS) {
          reject(new EngineError('image-unsupported', 'The image did not finish loading.'));
        } else {
          setTimeout(attempt, 100);
        }
      };
      attempt();
    });
  }

  setHeatmapVisible(finding: string, visible?: boolean): void {
    const current = this.state.heatmaps.visible;
    const on = visible ?? !current.includes(finding);
    const next = on
      ? current.includes(finding)
        ? current
        : [...current, finding]
      : current.filter((f) => f !== finding);
    this.setState({ heatmaps: { ...this.state.heatmaps, visible: next } });
    this.drawLayers();
  }

  setHeatmapLook(look: Partial<Omit<HeatmapSettings, 'visible'>>): void {
    const heatmaps = { ...this.state.heatmaps };
    if (typeof look.opacity === 'number') heatmaps.opacity = Math.min(1, Math.max(0, look.opacity));
    if (typeof look.threshold === 'number') heatmaps.threshold = Math.min(0.99, Math.max(0, look.threshold));
    if (look.colormap === 'jet' || look.colormap === 'turbo' || look.colormap === 'hot')
      heatmaps.colormap = look.colormap;
    this.setState({ heatmaps });
    this.drawLayers();
  }

  /** Hides every heatmap; with `results`, also forgets the results kept for this session. */
  clear({ results = false }: { results?: boolean } = {}): void {
    this.setState({ heatmaps: { ...this.state.heatmaps, visible: [] } });
    if (this.state.active) this.clearLayers(this.state.active.viewportId);
    this.activeMaps = undefined;
    if (results) {
      this.results.clear();
      this.setState({ result: undefined, analysis: { status: 'idle' } });
    }
  }

  // ---- layers ------------------------------------------------------------------------------

  /** Maps of the visible findings of `result`, built from its CAMs on demand. */
  private heatmapsFor(result: AnalysisResult): Map<string, Heatmap> {
    if (this.activeMaps?.result !== result) this.activeMaps = { result, maps: new Map() };
    const { maps } = this.activeMaps;
    const visible = this.state.heatmaps.visible;
    for (const name of [...maps.keys()]) if (!visible.includes(name)) maps.delete(name);
    for (const name of visible) {
      if (maps.has(name)) continue;
      const index = result.findings.findIndex((f) => f.name === name);
      if (index >= 0) maps.set(name, heatmapForFinding(result, index));
    }
    return maps;
  }

  private drawLayers(): void {
    const { active, result, heatmaps } = this.state;
    if (!active) return;
    const viewport = this.getViewport(active.viewportId);
    if (!viewport) return;
    try {
      // The result must belong to the image on screen, or nothing is drawn.
      if (
        !result ||
        result.imageKey !== active.imageKey ||
        displayedImage(this.cornerstone, viewport)?.imageKey !== active.imageKey
      ) {
        this.clearLayers(active.viewportId);
        return;
      }
      this.heatmapLayers.sync(
        viewport,
        active.imageId,
        active.imageKey,
        () => this.heatmapsFor(result),
        heatmaps.visible,
        { opacity: heatmaps.opacity, threshold: heatmaps.threshold, colormap: heatmaps.colormap },
        heatmapLabelText(result.model.demo),
      );
      this.setState({ drawn: this.heatmapLayers.shown(active.viewportId) });
    } catch (error) {
      console.error('[chest-xray-ai] heatmap layer failed', error);
      this.clearLayers(active.viewportId);
      this.setState({
        analysis: { status: 'done', message: `The heatmap could not be drawn: ${describeError(error, 'heatmap')}` },
      });
    }
  }

  private clearLayers(viewportId: string): void {
    const viewport = this.getViewport(viewportId);
    if (viewport) this.heatmapLayers.clear(viewport);
    else this.layers?.forget(viewportId);
    if (this.state.drawn.length) this.setState({ drawn: [] });
  }
}
