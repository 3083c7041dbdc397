import type { LoadedModel, LoadProgress } from '../engine';
import type { LoadRequest } from './protocol';
import { connectModelWorker, WorkerStartError } from './WorkerModelClient';

/** The worker bundle's file name: a webpack entry of its own (webpack.config.js). */
export const INFERENCE_WORKER_FILE = 'chest-xray-ai-inference-worker.mjs';

/**
 * Where the worker script is: beside the run-time plugin bundle (webpack's public path, i.e. the
 * folder OHIF imported us from), or in a site build beside the copied ort/ folder.
 */
export function inferenceWorkerUrl(ortBaseUrl: string): string {
  if (typeof __CXR_RUNTIME_BUNDLE__ !== 'undefined' && __CXR_RUNTIME_BUNDLE__) {
    return new URL(INFERENCE_WORKER_FILE, new URL(__webpack_public_path__, window.location.href)).href;
  }
  return new URL(`../${INFERENCE_WORKER_FILE}`, ortBaseUrl).href;
}

/**
 * Starts the inference worker and loads the model in it. Rejects with WorkerStartError when the
 * worker itself cannot start (the caller may then run the model on the page), else with the
 * engine's own error.
 */
export function loadModelInWorker(
  request: LoadRequest,
  onProgress: (progress: LoadProgress) => void,
): Promise<LoadedModel> {
  let worker: Worker;
  try {
    worker = new Worker(inferenceWorkerUrl(request.ortBaseUrl), { type: 'module', name: 'chest-xray-ai-inference' });
  } catch (error) {
    return Promise.reject(new WorkerStartError(String(error)));
  }
  const connection = connectModelWorker(worker, request, {
    onProgress,
    // After ready, a report only makes the panel read the model again (backend, timings).
    onChange: () => onProgress({ stage: 'ready', message: 'The AI model changed backend.' }),
    terminate: () => worker.terminate(),
  });
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    connection.fail(event.message || 'its script could not be loaded');
  });
  connection.model.catch(() => worker.terminate());
  return connection.model;
}
