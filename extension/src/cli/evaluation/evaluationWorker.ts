/**
 * A worker thread of the evaluation pool: loads the model once (the same engine as everywhere, on
 * the pool's backend) and analyses the images the pool hands it, one at a time. Does nothing unless started as
 * such a worker, so the pool can import it (which also makes tsc compile it beside the pool).
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { ModelManifest } from '../../engine';
import { loadModelFromDisk, type CliBackend } from '../nodeModel';
import { analyzeImage, type ImageOutcome } from './analyzeImage';

export const WORKER_KIND = 'cxr-ai-evaluation-worker';

export interface WorkerInit {
  kind: typeof WORKER_KIND;
  manifest?: string;
  threads: number;
  backend?: CliBackend;
}

export interface WorkerJob {
  path: string;
  file: string;
}

export type ToWorker = { type: 'job'; job: WorkerJob } | { type: 'close' };
export type FromWorker =
  | { type: 'ready'; manifest: ModelManifest; backend: string }
  | { type: 'result'; outcome: ImageOutcome }
  | { type: 'failed'; message: string };

function isWorkerInit(value: unknown): value is WorkerInit {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === WORKER_KIND;
}

async function serve(init: WorkerInit): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const send = (message: FromWorker) => port.postMessage(message);
  try {
    const model = await loadModelFromDisk(init.manifest, init.threads, init.backend);
    send({ type: 'ready', manifest: model.manifest, backend: model.backend });
    port.on('message', (message: ToWorker) => {
      if (message.type === 'close') {
        void model.dispose().then(() => port.close());
        return;
      }
      analyzeImage(model, message.job.path, message.job.file).then(
        (outcome) => send({ type: 'result', outcome }),
        (error: unknown) => send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
      );
    });
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
}

if (!isMainThread && isWorkerInit(workerData)) void serve(workerData);
