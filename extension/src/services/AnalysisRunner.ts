import {
  checkPixelBudget,
  EngineError,
  LatestRequestGate,
  type AnalysisResult,
  type AnalyzeOptions,
  type LoadedModel,
  type RequestToken,
} from '../engine';
import type { ActiveImageState, AnalysisState, ViewportLike } from '../types';
import type { Cornerstone } from '../utils/cornerstoneLibraries';
import { describeError, errorDetails } from '../utils/describeError';
import { ImageLoadFailed, ImageLoadFailures } from './ImageLoadFailures';
import { PixelWait, StaleRequest } from './PixelWait';

export { IMAGE_LOAD_TIMEOUT_MS } from './PixelWait';

export interface AnalysisRunnerDeps {
  ensureModel(options: { retry: boolean }): Promise<LoadedModel>;
  /** Why the model failed to load, when it did: shown instead of the analysis error. */
  modelError(): string | undefined;
  getViewport(viewportId: string): ViewportLike | undefined;
  cornerstone(): Cornerstone;
  /** A result for the active image was delivered (current token only); notifies the change itself. */
  onDelivered(result: AnalysisResult): void;
  onChange(): void;
  /** Per-analysis options from the site's configuration (the chest-film gate's policy). */
  analyzeOptions?(): AnalyzeOptions;
  /** The site's pixel budget for one analysis (default: the engine's, 60 megapixels). */
  maxPixels?(): number | undefined;
}

type Outcome = { ok: true; result: AnalysisResult } | { ok: false; error: unknown };

/**
 * Runs the model on the active image and keeps results per image key for the session. A result
 * reaches the display only through the request gate, so an image left mid-run never shows it.
 */
export class AnalysisRunner {
  private readonly gate = new LatestRequestGate();
  private readonly results = new Map<string, AnalysisResult>();
  /** The analysis status of one image (the one last asked for); other images read as idle. */
  private current?: { imageKey: string; viewportId: string; state: AnalysisState };

  /** Cornerstone's load-failure reports, so a wait for pixels that will never come ends at once. */
  private readonly loadFailures: ImageLoadFailures;
  /** Waits for pixels in progress, each with its request: called off when it goes stale. */
  private readonly waits = new Map<RequestToken, PixelWait>();

  constructor(private readonly deps: AnalysisRunnerDeps) {
    this.loadFailures = new ImageLoadFailures(deps.cornerstone);
  }

  /** Stops listening to Cornerstone (leaving the mode); the next analysis listens again. */
  dispose(): void {
    for (const wait of this.waits.values()) wait.abort();
    this.waits.clear();
    this.loadFailures.dispose();
  }

  /** Listeners this runner holds on Cornerstone's event target and viewport elements (leak checks). */
  get listenerCount(): number {
    let count = this.loadFailures.listenerCount;
    for (const wait of this.waits.values()) count += wait.listenerCount;
    return count;
  }

  stateFor(imageKey: string | undefined): AnalysisState {
    if (!imageKey) return { status: 'idle' };
    if (this.current?.imageKey === imageKey) return this.current.state;
    return this.results.has(imageKey) ? { status: 'done' } : { status: 'idle' };
  }

  /** The kept result of an image, only once its analysis is done. */
  resultFor(imageKey: string | undefined): AnalysisResult | undefined {
    if (!imageKey || this.stateFor(imageKey).status !== 'done') return undefined;
    return this.results.get(imageKey);
  }

  hasResult(imageKey: string): boolean {
    return this.results.has(imageKey);
  }

  /** Forgets every kept result. */
  forgetResults(): void {
    this.results.clear();
    this.current = undefined;
    this.deps.onChange();
  }

  /** The image was left or closed: its running analysis will never be delivered. */
  cancel(viewportId: string): void {
    this.gate.cancel(viewportId);
    this.abortStaleWaits();
    if (this.current?.viewportId === viewportId) this.current = undefined;
  }

  /** Calls off every wait for pixels whose request is no longer current: its listeners go now. */
  private abortStaleWaits(): void {
    for (const [token, wait] of this.waits) {
      if (this.gate.isCurrent(token)) continue;
      wait.abort();
      this.waits.delete(token);
    }
  }

  /** Analyses `active` (again, with force); a kept result is shown as it is otherwise. */
  async analyse(active: ActiveImageState, { force = false, retryModel = false } = {}): Promise<void> {
    const { imageKey, viewportId } = active;
    const kept = force ? undefined : this.results.get(imageKey);
    if (kept) return this.deliver(active, kept);
    if (!force && this.current?.imageKey === imageKey && this.current.state.status === 'running') return;
    const token = this.gate.begin(imageKey, viewportId);
    this.abortStaleWaits();
    this.setState(active, { status: 'running', message: 'Analysing this radiograph…' });
    const outcome = this.work(active, token, retryModel).then(
      (result): Outcome => ({ ok: true, result }),
      (error: unknown): Outcome => ({ ok: false, error }),
    );
    await this.gate.deliverIfCurrent(token, outcome, (settled) => {
      if (settled.ok) return this.deliver(active, settled.result);
      if (settled.error instanceof StaleRequest) return; // called off (mode exit): nothing to show
      if (settled.error instanceof EngineError && settled.error.code === 'image-refused') {
        // The chest-film gate's sentence is the whole answer: not a failure of ours.
        return this.setState(active, { status: 'refused', message: settled.error.message });
      }
      console.error('[chest-xray-ai] analysis failed', settled.error);
      const modelError = this.deps.modelError();
      const message = modelError ?? describeError(settled.error, 'analysis');
      const details =
        modelError === undefined
          ? settled.error instanceof ImageLoadFailed
            ? settled.error.technical
            : errorDetails(settled.error)
          : undefined;
      this.setState(active, { status: 'error', message, ...(details ? { details } : {}) });
    });
  }

  private async work(active: ActiveImageState, token: RequestToken, retryModel: boolean): Promise<AnalysisResult> {
    this.loadFailures.listen();
    const model = await this.deps.ensureModel({ retry: retryModel });
    this.checkDeclaredSize(active.imageId);
    if (!this.gate.isCurrent(token)) throw new StaleRequest();
    const wait = new PixelWait(active, {
      getViewport: (viewportId) => this.deps.getViewport(viewportId),
      cornerstone: () => this.deps.cornerstone(),
      loadFailures: this.loadFailures,
    });
    this.waits.set(token, wait);
    const pixels = await wait.pixels.finally(() => this.waits.delete(token));
    checkPixelBudget(pixels.rows, pixels.columns, {
      frames: pixels.numberOfFrames,
      maxPixels: this.deps.maxPixels?.() ?? undefined,
    });
    const result = await model.analyze(pixels, this.deps.analyzeOptions?.());
    if (result.imageKey !== active.imageKey) throw new Error('The result came back for another image.');
    // Kept even if the reader has moved on: coming back shows it without a new run.
    this.results.set(active.imageKey, result);
    return result;
  }

  /**
   * The pixel budget against the size the header declares (Cornerstone's metadata), before the
   * pixels are waited for: an oversized image is refused without waiting for its decode.
   */
  private checkDeclaredSize(imageId: string): void {
    const { metaData } = this.deps.cornerstone();
    const pixel = metaData.get('imagePixelModule', imageId) as { rows?: unknown; columns?: unknown } | undefined;
    const multiframe = metaData.get('multiframeModule', imageId) as { NumberOfFrames?: unknown } | undefined;
    const rows = Number(pixel?.rows);
    const columns = Number(pixel?.columns);
    if (!(rows > 0 && columns > 0)) return;
    const frames = Number(multiframe?.NumberOfFrames);
    checkPixelBudget(rows, columns, {
      frames: frames > 0 ? frames : 1,
      maxPixels: this.deps.maxPixels?.() ?? undefined,
    });
  }

  /** Done and drawn in one change: the panel never sees the numbers without their heatmaps. */
  private deliver(active: ActiveImageState, result: AnalysisResult): void {
    this.current = { imageKey: active.imageKey, viewportId: active.viewportId, state: { status: 'done' } };
    this.deps.onDelivered(result);
  }

  private setState(active: ActiveImageState, state: AnalysisState): void {
    this.current = { imageKey: active.imageKey, viewportId: active.viewportId, state };
    this.deps.onChange();
  }
}
