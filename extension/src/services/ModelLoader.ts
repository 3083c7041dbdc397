import type { FindingSpec, LoadedModel, LoadProgress } from '../engine';
import type { ModelState } from '../types';
import { describeError } from '../utils/describeError';

export type LoadModelFn = (onProgress: (progress: LoadProgress) => void) => Promise<LoadedModel>;

/**
 * The model's lifecycle: loads it once, reports progress, and remembers a failure so that a broken
 * model is not downloaded again on every image (only an explicit retry tries again).
 */
export class ModelLoader {
  private model?: LoadedModel;
  private pending?: Promise<LoadedModel>;
  private failure?: unknown;
  private progress?: LoadProgress;
  private loggedBackendNote?: string;

  constructor(
    private readonly load: LoadModelFn,
    private readonly onChange: () => void,
  ) {}

  /** The model as the panel shows it; backend and its note are read live (a lost GPU moves to WASM). */
  state(): ModelState {
    const model = this.model;
    if (model) {
      const { manifest } = model;
      return {
        status: 'ready',
        identity: { name: manifest.name, version: manifest.version, sha256: manifest.sha256, demo: manifest.demo },
        intendedUse: manifest.intendedUse,
        backend: model.backend,
        backendNote: model.backendNote,
        ...(model.startup ? { startup: { ...model.startup } } : {}),
        ...(manifest.calibration
          ? { calibration: { images: manifest.calibration.images, date: manifest.calibration.date } }
          : {}),
      };
    }
    if (this.pending) {
      return { status: 'loading', progress: this.progress ?? { stage: 'manifest', message: 'Loading the AI model…' } };
    }
    if (this.failure !== undefined) return { status: 'error', error: describeError(this.failure, 'model') };
    return { status: 'idle' };
  }

  /** The loaded model's manifest entry for a finding. */
  findingSpec(name: string): FindingSpec | undefined {
    return this.model?.manifest.findings.find((f) => f.name === name);
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** The loaded model; after a failure it rejects at once with the same error unless `retry`. */
  ensure({ retry = false }: { retry?: boolean } = {}): Promise<LoadedModel> {
    if (this.model) return Promise.resolve(this.model);
    if (this.pending) return this.pending;
    if (this.failure !== undefined && !retry) return Promise.reject(this.failure);
    this.failure = undefined;
    this.progress = undefined;
    const pending = this.load((progress) => {
      this.progress = progress;
      // After ready, a report means the model changed (backend, its note, start-up timings).
      if (this.model) this.logBackendNote();
      this.onChange();
    });
    this.pending = pending;
    this.onChange();
    pending.then(
      (model) => {
        this.model = model;
        this.pending = undefined;
        this.logBackendNote();
        this.onChange();
      },
      (error: unknown) => {
        this.pending = undefined;
        this.failure = error;
        console.error('[chest-xray-ai] model load failed', error);
        this.onChange();
      },
    );
    return pending;
  }

  /** The engine's technical note on the backend goes to the console, for the administrator. */
  logBackendNote(): void {
    const note = this.model?.backendNote;
    if (note && note !== this.loggedBackendNote) console.warn(`[chest-xray-ai] ${note}`);
    this.loggedBackendNote = note;
  }

  async dispose(): Promise<void> {
    const model = this.model;
    this.model = undefined;
    await model?.dispose();
  }
}
