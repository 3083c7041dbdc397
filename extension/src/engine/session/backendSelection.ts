import type { InferenceSession } from 'onnxruntime-web';
import { camsToLogits } from '../heatmap/camUnits';
import { checkModelAgainstManifest } from '../manifest/checkModelAgainstManifest';
import type { BackendName } from '../types/Analysis';
import type { ModelManifest } from '../types/ModelManifest';
import { EngineError } from '../utilities/EngineError';
import { fixedValidationInput } from './fixedValidationInput';
import type { BackendPreference, LoadProgress, Ort } from '../types/Session';

export const DEFAULT_WEBGPU_TOLERANCE = 1e-3;

export interface SelectedBackend {
  session: InferenceSession;
  backend: BackendName;
  note?: string;
}

export async function createSession(
  ort: Ort,
  bytes: Uint8Array,
  backend: BackendName,
  nativeThreads?: number,
): Promise<InferenceSession> {
  // onnxruntime may take ownership of the buffer; give each session its own copy.
  if (backend === 'cpu-native') {
    return ort.InferenceSession.create(bytes.slice(), {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      ...(nativeThreads !== undefined ? { intraOpNumThreads: nativeThreads, interOpNumThreads: 1 } : {}),
    });
  }
  return ort.InferenceSession.create(bytes.slice(), {
    executionProviders: [backend],
    graphOptimizationLevel: 'all',
  });
}

/** What a backend is compared on: probabilities and heat (logit units) on the fixed input. */
export interface DisplayedOutputs {
  probabilities: Float32Array;
  heat: Float32Array;
}

/** Probabilities (after the manifest's activation) and heat in logit units, as the panel shows them. */
export async function displayedOutputs(
  ort: Ort,
  session: InferenceSession,
  manifest: ModelManifest,
): Promise<DisplayedOutputs> {
  const shape = manifest.input.shape;
  // A fresh tensor per run: with a proxy worker the buffer is transferred away.
  const input = new ort.Tensor('float32', fixedValidationInput(shape), shape);
  const { probabilities, cams } = manifest.outputs;
  const outputs = await session.run({ [manifest.input.name]: input }, [probabilities.name, cams.name]);
  const sigmoid = probabilities.activation === 'sigmoid';
  return {
    probabilities: Float32Array.from(outputs[probabilities.name].data as Float32Array, (v) =>
      sigmoid ? 1 / (1 + Math.exp(-v)) : v,
    ),
    heat: camsToLogits(outputs[cams.name].data as Float32Array, cams.shape),
  };
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return Number.isNaN(max) ? Infinity : max;
}

/** Largest difference: probabilities as they are, heat as a fraction of its colour scale. */
export function outputsDifference(gpu: DisplayedOutputs, cpu: DisplayedOutputs, manifest: ModelManifest): number {
  return Math.max(
    maxAbsDifference(gpu.probabilities, cpu.probabilities),
    maxAbsDifference(gpu.heat, cpu.heat) / manifest.heatmap.fullScaleLogits,
  );
}

export function webgpuAvailable(): boolean {
  return typeof navigator !== 'undefined' && 'gpu' in navigator && Boolean((navigator as { gpu?: unknown }).gpu);
}

/**
 * Creates the session to use. The model is checked against its manifest on WASM first; WebGPU is
 * trusted only after its probabilities and heatmaps agree with WASM's on a fixed input;
 * otherwise WASM runs and `note` says why (or, when WebGPU is required, loading fails).
 */
export async function selectBackend(
  ort: Ort,
  bytes: Uint8Array,
  manifest: ModelManifest,
  preference: BackendPreference,
  report: (progress: LoadProgress) => void,
  nativeThreads?: number,
): Promise<SelectedBackend> {
  if (preference === 'cpu-native') {
    report({ stage: 'session', message: 'Starting the model on the CPU (onnxruntime-node)…' });
    const native = await createSession(ort, bytes, 'cpu-native', nativeThreads);
    try {
      checkModelAgainstManifest(native, manifest);
    } catch (error) {
      await native.release();
      throw error;
    }
    return { session: native, backend: 'cpu-native' };
  }
  report({ stage: 'session', message: 'Starting the model on the CPU (WASM)…' });
  const wasm = await createSession(ort, bytes, 'wasm');
  try {
    checkModelAgainstManifest(wasm, manifest);
  } catch (error) {
    await wasm.release();
    throw error;
  }
  if (preference === 'wasm') return { session: wasm, backend: 'wasm' };

  const refuse = async (reason: string): Promise<SelectedBackend> => {
    if (preference === 'webgpu') {
      await wasm.release();
      throw new EngineError('backend-unavailable', `This site requires the GPU (WebGPU), but ${reason}`);
    }
    return { session: wasm, backend: 'wasm', note: `Running on the CPU (WASM): ${reason}` };
  };

  if (!webgpuAvailable()) return refuse('WebGPU is not available in this browser.');
  let webgpu: InferenceSession;
  try {
    report({ stage: 'session', message: 'Starting the model on the GPU (WebGPU)…' });
    webgpu = await createSession(ort, bytes, 'webgpu');
  } catch (error) {
    return refuse(`WebGPU could not start the model (${String(error)}).`);
  }
  report({ stage: 'validation', message: 'Checking the GPU result against the CPU…' });
  const tolerance = manifest.webgpuTolerance ?? DEFAULT_WEBGPU_TOLERANCE;
  let difference: number;
  try {
    const fromGpu = await displayedOutputs(ort, webgpu, manifest);
    const fromCpu = await displayedOutputs(ort, wasm, manifest);
    difference = outputsDifference(fromGpu, fromCpu, manifest);
  } catch (error) {
    await webgpu.release();
    return refuse(`WebGPU failed its check run (${String(error)}).`);
  }
  if (!(difference <= tolerance)) {
    await webgpu.release();
    const shown = Number.isFinite(difference) ? difference.toExponential(2) : 'not a number';
    return refuse(`WebGPU disagreed with the CPU by ${shown} (tolerance ${tolerance}).`);
  }
  await wasm.release();
  return { session: webgpu, backend: 'webgpu' };
}
