import { createCacheApiByteStore, loadModel, type LoadedModel, type LoadProgress } from '../engine';
import type { ChestXrayAiConfig } from '../config';
import { loadModelInWorker } from '../worker/startModelWorker';
import { WorkerStartError } from '../worker/WorkerModelClient';
import { defaultOrtBaseUrl, loadOrt } from './loadOrt';
import type { LoadModelFn } from './ModelLoader';

/** The model on the page's own thread: only where no worker can start (the old path, WebGPU checked first). */
async function loadOnMainThread(
  config: ChestXrayAiConfig,
  manifestUrl: string,
  ortBaseUrl: string,
  onProgress: (progress: LoadProgress) => void,
  why: string,
): Promise<LoadedModel> {
  const started = performance.now();
  const ort = await loadOrt(ortBaseUrl, config.backend === 'wasm' ? 'wasm' : 'webgpu');
  const ortLoadMs = performance.now() - started;
  const model = await loadModel({
    manifestUrl,
    ort,
    backend: config.backend,
    byteStore: createCacheApiByteStore(),
    wasmThreads: config.wasmThreads,
    onProgress,
  });
  if (model.startup) Object.assign(model.startup, { ortLoadMs, thread: 'main' });
  console.warn(`[chest-xray-ai] the model runs on the page's main thread: ${why}`);
  return model;
}

/**
 * The browser's model loading: in a dedicated worker (our onnxruntime-web bundle, the Cache API,
 * the configured backend), the page's thread only sending pixels and receiving results.
 */
export const loadModelInBrowser =
  (config: ChestXrayAiConfig): LoadModelFn =>
  async (onProgress) => {
    const manifestUrl = new URL(config.modelManifestUrl, window.location.href).href;
    const ortBaseUrl = new URL(config.ortBaseUrl ?? defaultOrtBaseUrl(), window.location.href).href;
    if (typeof Worker === 'undefined')
      return loadOnMainThread(config, manifestUrl, ortBaseUrl, onProgress, 'this browser has no Web Workers');
    try {
      return await loadModelInWorker(
        { type: 'load', manifestUrl, ortBaseUrl, backend: config.backend, wasmThreads: config.wasmThreads },
        onProgress,
      );
    } catch (error) {
      if (!(error instanceof WorkerStartError)) throw error;
      return loadOnMainThread(config, manifestUrl, ortBaseUrl, onProgress, error.message);
    }
  };
