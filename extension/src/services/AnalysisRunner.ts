import {
  EngineError,
  LatestRequestGate,
  type AnalysisResult,
  type LoadedModel,
  type RadiographPixels,
  type RequestToken,
} from '../engine';
import type { ActiveImageState, AnalysisState, ViewportLike } from '../types';
import type { Cornerstone } from '../utils/cornerstoneLibraries';
import { describeError } from '../utils/describeError';
import { radiographPixelsFromViewport } from '../utils/radiographPixelsFromViewport';

/** How long an image may take to load before the analysis gives up on it. */
export const IMAGE_LOAD_TIMEOUT_MS = 60_000;
const PIXEL_POLL_MS = 100;

export interface AnalysisRunnerDeps {
  ensureModel(options: { retry: boolean }): Promise<LoadedModel>;
  /** Why the model failed to load, when it did: shown instead of the analysis error. */
  modelError(): string | undefined;
  getViewport(viewportId: string): ViewportLike | undefined;
  cornerstone(): Cornerstone;
  /** A result for the active image was delivered (current token only); notifies the change itself. */
  onDelivered(result: AnalysisResult): void;
  onChange(): void;
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

  constructor(private readonly deps: AnalysisRunnerDeps) {}

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
    if (this.current?.viewportId === viewportId) this.current = undefined;
  }

  /** Analyses `active` (again, with force); a kept result is shown as it is otherwise. */
  async analyse(active: ActiveImageState, { force = false, retryModel = false } = {}): Promise<void> {
    const { imageKey, viewportId } = active;
    const kept = force ? undefined : this.results.get(imageKey);
    if (kept) return this.deliver(active, kept);
    if (!force && this.current?.imageKey === imageKey && this.current.state.status === 'running') return;
    const token = this.gate.begin(imageKey, viewportId);
    this.setState(active, { status: 'running', message: 'Analysing this radiograph…' });
    const outcome = this.work(active, token, retryModel).then(
      (result): Outcome => ({ ok: true, result }),
      (error: unknown): Outcome => ({ ok: false, error }),
    );
    await this.gate.deliverIfCurrent(token, outcome, (settled) => {
      if (settled.ok) return this.deliver(active, settled.result);
      console.error('[chest-xray-ai] analysis failed', settled.error);
      const message = this.deps.modelError() ?? describeError(settled.error, 'analysis');
      this.setState(active, { status: 'error', message });
    });
  }

  private async work(active: ActiveImageState, token: RequestToken, retryModel: boolean): Promise<AnalysisResult> {
    const model = await this.deps.ensureModel({ retry: retryModel });
    const pixels = await this.waitForPixels(active, token);
    const result = await model.analyze(pixels);
    if (result.imageKey !== active.imageKey) throw new Error('The result came back for another image.');
    // Kept even if the reader has moved on: coming back shows it without a new run.
    this.results.set(active.imageKey, result);
    return result;
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

  /**
   * The active image's pixels once Cornerstone has loaded them (the viewport may still show the
   * previous image object); gives up as soon as the request is no longer current.
   */
  private waitForPixels(active: ActiveImageState, token: RequestToken): Promise<RadiographPixels> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const attempt = () => {
        if (!this.gate.isCurrent(token)) return reject(new StaleRequest());
        let got: ReturnType<typeof radiographPixelsFromViewport>;
        try {
          const viewport = this.deps.getViewport(active.viewportId);
          got = viewport ? radiographPixelsFromViewport(this.deps.cornerstone(), viewport) : undefined;
        } catch (error) {
          return reject(error);
        }
        if (got && got.image.imageId === active.imageId && got.image.imageKey === active.imageKey) {
          resolve(got.pixels);
        } else if (Date.now() - started > IMAGE_LOAD_TIMEOUT_MS) {
          reject(new EngineError('image-unsupported', 'The image did not finish loading.'));
        } else {
          setTimeout(attempt, PIXEL_POLL_MS);
        }
      };
      attempt();
    });
  }
}

/** The request went stale while waiting (the reader moved on); the gate never delivers it. */
class StaleRequest extends Error {}
