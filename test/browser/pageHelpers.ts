/**
 * Functions that run inside the harness page (passed to page.evaluate), so they may use only
 * browser globals and what the page put on window.
 */
import type { Ort } from '../../extension/src/engine';
import type { Harness } from './harness/entry';

type HarnessWindow = Window & { cxrEngine: Harness; ort: Ort };

export interface BackendComparison {
  adapter: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string; description?: string } | null;
  backends: string[];
  backendNote?: string;
  probabilityDifference: number;
  camDifference: number;
  probabilities: number[];
  camMax: number;
  webgpuMs: number;
  wasmMs: number;
}

/** The full model on WebGPU (required, so no silent fallback) and on WASM, on the same image. */
export async function compareBackendsInPage(args: {
  manifestUrl: string;
  imageUrl: string;
}): Promise<BackendComparison> {
  const { cxrEngine: engine, ort } = window as unknown as HarnessWindow;
  type AdapterInfo = { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
  const gpu = (
    navigator as unknown as {
      gpu?: { requestAdapter(): Promise<{ info?: AdapterInfo; isFallbackAdapter?: boolean } | null> };
    }
  ).gpu;
  const found = gpu ? await gpu.requestAdapter() : null;
  // GPUAdapterInfo's fields are getters: copy them out explicitly.
  const adapter = found
    ? {
        vendor: found.info?.vendor,
        architecture: found.info?.architecture,
        description: found.info?.description,
        isFallbackAdapter: found.info?.isFallbackAdapter ?? found.isFallbackAdapter,
      }
    : null;
  const pixels = await engine.decodeGreyPng(args.imageUrl);
  const timed = async (backend: 'webgpu' | 'wasm') => {
    const model = await engine.loadModel({ manifestUrl: args.manifestUrl, ort, backend });
    const start = performance.now();
    const result = await model.analyze(pixels);
    const ms = performance.now() - start;
    const note = model.backendNote;
    await model.dispose();
    return { result, ms, note };
  };
  const onGpu = await timed('webgpu');
  const onCpu = await timed('wasm');
  const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let max = a.length === b.length ? 0 : Infinity;
    for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
    return max;
  };
  return {
    adapter,
    backends: [onGpu.result.backend, onCpu.result.backend],
    backendNote: onGpu.note,
    probabilityDifference: maxDiff(onGpu.result.probabilities, onCpu.result.probabilities),
    camDifference: maxDiff(onGpu.result.cams.data, onCpu.result.cams.data),
    probabilities: Array.from(onCpu.result.probabilities),
    camMax: Math.max(...onCpu.result.cams.data),
    webgpuMs: onGpu.ms,
    wasmMs: onCpu.ms,
  };
}
