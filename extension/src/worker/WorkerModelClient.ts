import {
  EngineError,
  type AnalysisResult,
  type AnalyzeOptions,
  type BackendName,
  type LoadedModel,
  type LoadProgress,
  type ModelManifest,
  type RadiographPixels,
  type StartupTimings,
} from '../engine';
import type { FromWorker, LoadRequest, MessageEndpoint, ModelDescription } from './protocol';
import { deserializeError, pixelsForTransfer } from './transfer';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export interface WorkerClientHooks {
  onProgress?(progress: LoadProgress): void;
  /** The backend, its note or the start-up timings changed after the model was ready. */
  onChange?(): void;
  /** Ends the worker after dispose (Worker.terminate). */
  terminate?(): void;
}

/**
 * The page's side of the inference worker, as the engine's LoadedModel: the service, the runner
 * and the panel use it exactly as they would the engine's own model.
 */
class WorkerModel implements LoadedModel {
  manifest: ModelManifest;
  backend: BackendName;
  backendNote?: string;
  startup?: StartupTimings;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private stopped?: Error;

  constructor(
    private readonly endpoint: MessageEndpoint,
    description: ModelDescription,
    private readonly hooks: WorkerClientHooks,
  ) {
    this.manifest = description.manifest;
    this.backend = description.backend;
    this.backendNote = description.backendNote;
    this.startup = description.startup;
  }

  handle(message: FromWorker): void {
    if (message.type === 'changed') {
      this.backend = message.backend;
      this.backendNote = message.backendNote;
      this.startup = message.startup;
      this.hooks.onChange?.();
    } else if (message.type === 'result' || message.type === 'failed' || message.type === 'disposed') {
      const pending = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.type === 'failed') pending?.reject(deserializeError(message.error));
      else pending?.resolve(message.type === 'result' ? message.result : undefined);
    }
  }

  /** The worker died: every open request fails with a message fit for the panel. */
  fail(reason: string): void {
    this.stopped = new EngineError('inference-failed', `The AI stopped working in this page (${reason}).`);
    for (const pending of this.pending.values()) pending.reject(this.stopped);
    this.pending.clear();
  }

  private request<T>(build: (id: number) => { message: unknown; transfer?: ArrayBuffer[] }): Promise<T> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      const { message, transfer = [] } = build(id);
      this.endpoint.postMessage(message, transfer);
    });
  }

  analyze(pixels: RadiographPixels, options?: AnalyzeOptions): Promise<AnalysisResult> {
    return this.request((id) => {
      const copy = pixelsForTransfer(pixels);
      return { message: { type: 'analyze', id, pixels: copy.pixels, options }, transfer: copy.transfer };
    });
  }

  async dispose(): Promise<void> {
    try {
      await this.request((id) => ({ message: { type: 'dispose', id } }));
    } finally {
      this.hooks.terminate?.();
    }
  }
}

/**
 * Asks the worker behind `endpoint` to load the model and resolves once it is ready there (session
 * created, warm-up run done). `fail` lets the owner report the worker's death (its error event).
 */
export function connectModelWorker(
  endpoint: MessageEndpoint,
  request: LoadRequest,
  hooks: WorkerClientHooks = {},
): { model: Promise<LoadedModel>; fail(reason: string): void } {
  let model: WorkerModel | undefined;
  let settle: { resolve(model: LoadedModel): void; reject(error: Error): void } | undefined;
  const ready = new Promise<LoadedModel>((resolve, reject) => (settle = { resolve, reject }));
  endpoint.addEventListener('message', (event) => {
    const message = event.data as FromWorker;
    if (message.type === 'progress') hooks.onProgress?.(message.progress);
    else if (message.type === 'ready') {
      model = new WorkerModel(endpoint, message, hooks);
      settle?.resolve(model);
    } else if (message.type === 'load-failed') settle?.reject(deserializeError(message.error));
    else model?.handle(message);
  });
  endpoint.start?.();
  endpoint.postMessage(request, []);
  return {
    model: ready,
    fail(reason) {
      if (model) model.fail(reason);
      else settle?.reject(new WorkerStartError(reason));
    },
  };
}

/** The worker could not start at all (its script did not load): the page may run the model itself. */
export class WorkerStartError extends Error {
  constructor(reason: string) {
    super(`The inference worker could not start (${reason}).`);
    this.name = 'WorkerStartError';
  }
}
