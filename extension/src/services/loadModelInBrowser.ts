import { createCacheApiByteStore, loadModel } from '../engine';
import type { ChestXrayAiConfig } from '../config';
import { defaultOrtBaseUrl, loadOrt } from './loadOrt';
import type { LoadModelFn } from './ModelLoader';

/** The browser's model loading: our onnxruntime-web bundle, the Cache API, the configured backend. */
export const loadModelInBrowser =
  (config: ChestXrayAiConfig): LoadModelFn =>
  async (onProgress) => {
    const ort = await loadOrt(config.ortBaseUrl ?? defaultOrtBaseUrl(), config.backend);
    return loadModel({
      manifestUrl: new URL(config.modelManifestUrl, window.location.href).href,
      ort,
      backend: config.backend,
      byteStore: createCacheApiByteStore(),
      wasmThreads: config.wasmThreads,
      onProgress,
    });
  };
