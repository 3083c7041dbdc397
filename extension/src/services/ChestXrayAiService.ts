import type { AnalysisResult } from '../engine';
import { resolveConfig, type ChestXrayAiConfig } from '../config';
import type { ChestXrayAiHotkey } from '../hotkeys';
import { SERVICE_NAME } from '../id';
import type { ExtensionManager, ServiceRegistration, ServicesManager, Subscription } from '../ohifTypes';
import { HeatmapDrawer } from '../overlays/HeatmapDrawer';
import type { ActiveImageState, AnalysisState, ChestXrayAiState, FindingOrder } from '../types';
import { boundHotkeys } from './boundHotkeys';
import { FindingList } from './FindingList';
import { getCornerstone, type Cornerstone } from '../utils/cornerstoneLibraries';
import { ActiveImageTracker, sameImage, type ViewportReading } from './ActiveImageTracker';
import { AnalysisRunner } from './AnalysisRunner';
import { loadModelInBrowser } from './loadModelInBrowser';
import { ModelLoader, type LoadModelFn } from './ModelLoader';
import { PacsResults, type PacsResultsDeps } from './PacsResults';
import { StateEvents } from './StateEvents';
import { whyNotAnalysable } from './whyNotAnalysable';

const STATE_CHANGED = 'event::chestXrayAiService:stateChanged';

/** What tests replace: how the model is loaded (the browser loads onnxruntime-web from a URL). */
export interface ChestXrayAiServiceDeps {
  loadModel?: (config: ChestXrayAiConfig) => LoadModelFn;
  /** The PACS store (tests: a fake store and clock; the browser: the viewer's data source). */
  pacs?: Pick<PacsResultsDeps, 'access' | 'now' | 'newRequest'>;
}

/**
 * The OHIF-facing facade: the service the panel reads and the commands call. It wires the parts
 * that each own one piece of state (model loader, active-image tracker, analysis runner, heatmap
 * drawer) and composes their state into one snapshot for the panel.
 */
export class ChestXrayAiService {
  static readonly REGISTRATION: ServiceRegistration = {
    name: SERVICE_NAME,
    altName: 'ChestXrayAiService',
    create: ({ servicesManager, extensionManager, configuration }) =>
      new ChestXrayAiService(servicesManager, extensionManager, configuration),
  };

  readonly EVENTS = { STATE_CHANGED };

  private config: ChestXrayAiConfig;
  private readonly events = new StateEvents<ChestXrayAiState>(STATE_CHANGED, () => this.compose());
  private readonly tracker: ActiveImageTracker;
  private readonly loader: ModelLoader;
  private readonly runner: AnalysisRunner;
  private drawer: HeatmapDrawer;
  /** What the active viewport held at the last look. */
  private reading: ViewportReading = { kind: 'none' };
  private cornerstoneLibs?: Cornerstone;
  /** How the panel lists findings and names them. */
  readonly findings: FindingList;
  /** Storing results in the PACS, and the results stored there before. */
  private readonly pacs: PacsResults;

  constructor(
    private readonly servicesManager: ServicesManager,
    private readonly extensionManager: ExtensionManager,
    configuration?: unknown,
    deps: ChestXrayAiServiceDeps = {},
  ) {
    this.config = resolveConfig(configuration);
    const changed = () => this.events.changed();
    const cornerstone = () => this.cornerstone;
    const makeLoader = deps.loadModel ?? loadModelInBrowser;
    this.tracker = new ActiveImageTracker(servicesManager, cornerstone);
    this.loader = new ModelLoader((onProgress) => makeLoader(this.config)(onProgress), changed);
    this.drawer = this.newDrawer();
    this.runner = new AnalysisRunner({
      ensureModel: (options) => this.loader.ensure(options),
      modelError: () => this.loader.state().error,
      getViewport: (viewportId) => this.tracker.getViewport(viewportId),
      cornerstone,
      onDelivered: (result) => {
        this.loader.logBackendNote();
        this.drawer.arriveAt(result, this.config.autoShowHeatmaps);
        this.redraw();
        this.afterDelivery(result);
      },
      onChange: changed,
      analyzeOptions: () => ({ gatePolicy: this.config.gatePolicy }),
      maxPixels: () => this.config.maxPixels,
    });
    this.findings = new FindingList(() => this.config, this.loader);
    this.pacs = new PacsResults({
      servicesManager,
      extensionManager,
      config: () => this.config,
      cornerstone,
      getViewport: (viewportId) => this.tracker.getViewport(viewportId),
      onChange: () => this.onPacsChanged(),
      ...deps.pacs,
    });
  }

  private newDrawer(): HeatmapDrawer {
    return HeatmapDrawer.forConfig(this.config, () => this.cornerstone);
  }

  private get cornerstone(): Cornerstone {
    this.cornerstoneLibs ??= getCornerstone(this.extensionManager);
    return this.cornerstoneLibs;
  }

  /** Site configuration (app-config `chestXrayAi`, then the extension's own); resets the look. */
  configure(...sources: unknown[]): void {
    this.config = resolveConfig(...sources);
    this.drawer = this.newDrawer();
    this.findings.reset();
    this.events.changed();
  }

  getState(): ChestXrayAiState {
    return this.events.get();
  }

  subscribe(event: string, callback: (state: ChestXrayAiState) => void): Subscription {
    return this.events.subscribe(event, callback);
  }

  /** Listeners and watched elements, for leak checks. */
  get listenerCounts(): { panel: number; elements: number; analysis: number } {
    return {
      panel: this.events.listenerCount,
      elements: this.tracker.watchedElementCount,
      analysis: this.runner.listenerCount,
    };
  }

  private active(): ActiveImageState | undefined {
    return this.reading.kind === 'image' ? this.reading.active : undefined;
  }

  private notAnalysable(): AnalysisState | undefined {
    return whyNotAnalysable(this.reading, this.config);
  }

  private compose(): ChestXrayAiState {
    const active = this.active();
    const blocked = this.notAnalysable();
    const stored = blocked ? undefined : this.pacs.shown(active);
    const analysis = blocked ?? (stored ? { status: 'done' as const } : this.runner.stateFor(active?.imageKey));
    const drawFailure = this.drawer.failureFor(active?.imageKey);
    const result = blocked ? undefined : (stored?.result ?? this.runner.resultFor(active?.imageKey));
    return {
      config: this.config,
      model: this.loader.state(),
      active,
      analysis: analysis.status === 'done' && drawFailure ? { status: 'done', message: drawFailure } : analysis,
      result,
      store: this.pacs.storeState(stored ? undefined : result),
      ...(stored ? { stored: this.pacs.viewOf(stored.entry, this.loader.state().identity) } : {}),
      heatmaps: this.drawer.settings,
      drawn: this.drawer.shown(active?.viewportId),
      emptyMaps: this.drawer.emptyFor(active?.imageKey),
      findingOrder: this.findings.order,
    };
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  /**
   * Starts following the active viewport: from the Chest X-ray AI mode, or when our panel opens in
   * another mode. (Not onModeEnter: OHIF calls that on every service in every mode.)
   */
  activate(): void {
    if (this.tracker.following) return;
    this.pacs.stored.start();
    this.tracker.start({
      onViewerChanged: () => this.refreshActiveImage(),
      onImageSwapped: (viewportId) => this.onImageSwapped(viewportId),
    });
    if (this.config.autoRun) void this.loader.ensure().catch(() => undefined);
    this.refreshActiveImage();
  }

  /** OHIF calls this on leaving any mode: stop following viewports, drop our layers. */
  onModeExit(): void {
    this.deactivate();
  }

  deactivate(): void {
    this.tracker.stop();
    this.pacs.stored.stop();
    this.runner.dispose();
    this.leave(this.reading);
    this.reading = { kind: 'none' };
    this.events.changed();
  }

  /**
   * Re-reads which image is active; shows its kept result or analyses it (auto-run). Many viewer
   * events fire for one image change: for the image already active this only redraws its layers.
   */
  refreshActiveImage({ autoRun = this.config.autoRun }: { autoRun?: boolean } = {}): void {
    const next = this.tracker.read();
    if (sameImage(this.reading, next)) {
      this.redraw();
      return;
    }
    this.leave(this.reading);
    this.reading = next;
    const active = this.active();
    this.events.changed();
    if (!active || this.notAnalysable()) return;
    // A result stored in the PACS for this very image is shown as it is: no new analysis.
    if (this.pacs.shown(active)) return this.redraw();
    if (this.runner.hasResult(active.imageKey) || autoRun) void this.runner.analyse(active);
  }

  /**
   * Synchronous with Cornerstone's image swap, before the next render: layers computed on another
   * image go at once, so no frame shows an old overlay.
   */
  private onImageSwapped(viewportId: string): void {
    const viewport = this.tracker.getViewport(viewportId);
    const active = this.active();
    const layersImage = active?.viewportId === viewportId ? active.imageId : undefined;
    if (viewport?.getCurrentImageId?.() !== layersImage) this.clearLayers(viewportId);
    if (this.tracker.activeViewportId() === viewportId) this.refreshActiveImage();
  }

  private leave(previous: ViewportReading): void {
    if (previous.kind !== 'image') return;
    this.runner.cancel(previous.active.viewportId);
    this.clearLayers(previous.active.viewportId);
    this.drawer.leaveImage();
  }

  // ---- actions (through the commands module) -----------------------------------------------

  /**
   * The user's Run: analyses the active image (again, with force). It also retries a model that
   * failed to load, which automatic runs never do.
   */
  run({ force = false }: { force?: boolean } = {}): Promise<void> {
    if (!this.active()) this.refreshActiveImage({ autoRun: false });
    const active = this.active();
    if (!active || this.notAnalysable()) return Promise.resolve();
    // Asked for: a stored result of this image gives way to the new analysis (never mixed).
    const fromStored = !!this.pacs.shown(active);
    this.pacs.preferAnalysis(active.imageKey);
    // The old result's heatmaps go with it.
    if (force || fromStored) this.clearLayers(active.viewportId);
    return this.runner.analyse(active, { force, retryModel: true });
  }

  /** Hides every heatmap; with `results`, also forgets the results kept for this session. */
  clear({ results = false }: { results?: boolean } = {}): void {
    this.drawer.hideAll();
    const active = this.active();
    if (active) this.clearLayers(active.viewportId);
    if (results) this.runner.forgetResults();
    this.events.changed();
  }

  /** Our hotkeys as this viewer binds them (the site may rebind them in app-config). */
  hotkeys(): readonly ChestXrayAiHotkey[] {
    return boundHotkeys(this.servicesManager.services.customizationService);
  }

  setFindingOrder(order: FindingOrder): void {
    this.findings.setOrder(order);
    this.events.changed();
  }

  /**
   * Applies a change to the reader's heatmap choices (a command: toggle, look, hotkeys), then
   * redraws the active image's layers.
   */
  updateHeatmaps(change: (heatmaps: HeatmapDrawer) => void): void {
    change(this.drawer);
    this.redraw();
  }

  // ---- layers ------------------------------------------------------------------------------

  /** Draws the active result's wanted maps (or clears them when there is none), then notifies. */
  private redraw(): void {
    const active = this.active();
    const viewport = active && this.tracker.getViewport(active.viewportId);
    const stored = this.notAnalysable() ? undefined : this.pacs.shown(active);
    const result = stored?.result ?? this.runner.resultFor(active?.imageKey);
    if (active && viewport) {
      const displayName = (f: string) => this.findings.displayName(f);
      if (result) this.drawer.draw({ active, viewport, result, displayName, storedMaps: stored?.entry.maps });
      else this.drawer.clear(active.viewportId, viewport);
    }
    this.events.changed();
  }

  /** Takes our layers off a viewport; the caller notifies (one panel render per change). */
  private clearLayers(viewportId: string): void {
    this.drawer.clear(viewportId, this.tracker.getViewport(viewportId));
    this.drawer.releaseMaps();
  }

  // ---- PACS ---------------------------------------------------------------------------------

  /**
   * Sends the shown result (a new analysis of this session) to the PACS: the SR, every finding's
   * map as drawn, a capture of each map on screen. At most once per result; a failed send again.
   */
  sendToPacs(): Promise<void> {
    const active = this.active();
    const result = this.runner.resultFor(active?.imageKey);
    if (!active || !result || this.notAnalysable() || this.pacs.shown(active)) return Promise.resolve();
    return this.pacs.send({
      active,
      result,
      maps: this.drawer.displayedMaps(result),
      shown: this.drawer.shown(active.viewportId),
      displayName: (f) => this.findings.displayName(f),
    });
  }

  /** 'auto': a new analysis goes to the PACS (once), unless this image's stored result is the same model's. */
  private afterDelivery(result: AnalysisResult): void {
    if (this.pacs.shouldAutoSend(result, this.active())) void this.sendToPacs();
  }

  /** Series arrived or stored maps were read: the shown result may now be a stored one. */
  private onPacsChanged(): void {
    const active = this.active();
    const stored = this.pacs.shown(active);
    if (active && stored) {
      this.runner.cancel(active.viewportId);
      this.drawer.arriveAt(stored.result, this.config.autoShowHeatmaps);
    }
    this.redraw();
  }
}
