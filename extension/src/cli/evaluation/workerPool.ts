import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EngineError, type ModelManifest } from '../../engine';
import { loadModelFromDisk, type CliBackend } from '../nodeModel';
import { analyzeImage, type ImageOutcome } from './analyzeImage';
import { WORKER_KIND, type FromWorker, type ToWorker, type WorkerInit, type WorkerJob } from './evaluationWorker';

export interface PoolOptions {
  manifest?: string;
  /** Worker threads, each with its own model; default the machine's cores. */
  workers?: number;
  /**
   * Threads per worker (WASM threads, or onnxruntime-node intra-op threads); default 1: parallel over images, not inside one, so that every run
   * gives bit-identical probabilities whatever its worker count (multi-threaded convolutions sum in
   * another order, about 1e-7 apart) and shards merged equal a single run exactly.
   */
  threads?: number;
  /** The backend every worker runs (the CLI's default, cpu-native, unless given). */
  backend?: CliBackend;
}

export interface PoolRun {
  manifest: ModelManifest;
  backend: string;
  workers: number;
  threadsPerWorker: number;
}

export const defaultWorkers = (): number => availableParallelism();

/**
 * Runs `jobs` over a pool of worker threads (worker_threads, one model each) and calls `onOutcome`
 * as each image finishes, in completion order. One worker runs in this thread instead.
 */
export async function runPool(
  jobs: readonly WorkerJob[],
  options: PoolOptions,
  onOutcome: (outcome: ImageOutcome) => void,
  onReady: (run: PoolRun) => void = () => undefined,
): Promise<PoolRun> {
  const workers = Math.max(1, Math.min(options.workers ?? defaultWorkers(), Math.max(1, jobs.length)));
  const threadsPerWorker = options.threads ?? 1;
  if (workers === 1) {
    const model = await loadModelFromDisk(options.manifest, threadsPerWorker, options.backend);
    const run = { manifest: model.manifest, backend: model.backend, workers, threadsPerWorker };
    onReady(run);
    try {
      for (const job of jobs) onOutcome(await analyzeImage(model, job.path, job.file));
    } finally {
      await model.dispose();
    }
    return run;
  }
  const script = join(__dirname, 'evaluationWorker.js');
  if (!existsSync(script)) {
    throw new EngineError('inference-failed', `--workers needs the compiled CLI (no ${script}); use --workers 1.`);
  }
  const init: WorkerInit = {
    kind: WORKER_KIND,
    manifest: options.manifest,
    threads: threadsPerWorker,
    backend: options.backend,
  };
  const queue = [...jobs];
  const pool: Worker[] = [];
  let run: PoolRun | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      let failed = false;
      const fail = (error: Error) => {
        failed = true;
        reject(error);
      };
      const next = (worker: Worker) => {
        const job = queue.shift();
        if (!job) {
          if (running === 0) resolve();
          return;
        }
        running++;
        worker.postMessage({ type: 'job', job } satisfies ToWorker);
      };
      for (let i = 0; i < workers; i++) {
        const worker = new Worker(script, { workerData: init });
        pool.push(worker);
        worker.on('error', fail);
        worker.on('exit', (code) => {
          if (!failed && (queue.length > 0 || running > 0)) {
            fail(new EngineError('inference-failed', `an evaluation worker stopped (exit code ${code})`));
          }
        });
        worker.on('message', (message: FromWorker) => {
          if (failed) return;
          if (message.type === 'failed') return fail(new EngineError('inference-failed', message.message));
          if (message.type === 'ready') {
            if (!run) {
              run = { manifest: message.manifest, backend: message.backend, workers, threadsPerWorker };
              onReady(run);
            }
            return next(worker);
          }
          running--;
          onOutcome(message.outcome);
          next(worker);
        });
      }
    });
  } finally {
    // All work is in; the models go with their threads.
    await Promise.all(pool.map((w) => w.terminate()));
  }
  if (!run) throw new EngineError('inference-failed', 'no worker loaded the model');
  return run;
}
