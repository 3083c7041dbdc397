import type { InferenceSession } from 'onnxruntime-web';
import type { ModelManifest } from '../types/ModelManifest';
import type { Ort } from '../types/Session';
import {
  createSession,
  DEFAULT_WEBGPU_TOLERANCE,
  displayedOutputs,
  outputsDifference,
  webgpuAvailable,
  type DisplayedOutputs,
} from './backendSelection';

export type WebgpuProof =
  { outcome: 'in-use'; session: InferenceSession; ort: Ort } | { outcome: 'refused' | 'unavailable'; reason: string };

type GpuNavigator = { gpu?: { requestAdapter(): Promise<unknown> } };

/** An adapter is asked for before anything is downloaded: no GPU, no WebGPU bundle. */
async function hasAdapter(): Promise<boolean> {
  try {
    return Boolean(await (navigator as unknown as GpuNavigator).gpu?.requestAdapter());
  } catch {
    return false;
  }
}

/**
 * Starts the model on WebGPU and trusts it only when its probabilities and heatmaps on the fixed
 * input agree with the CPU's (`cpuReference`, from the WASM warm-up run) within the manifest's
 * tolerance. Runs beside a working WASM session, so nothing waits for it.
 */
export async function proveWebgpu(
  loadWebgpuOrt: () => Promise<Ort>,
  bytes: Uint8Array,
  manifest: ModelManifest,
  cpuReference: DisplayedOutputs,
  wasmThreads: number,
): Promise<WebgpuProof> {
  if (!webgpuAvailable() || !(await hasAdapter()))
    return { outcome: 'unavailable', reason: 'WebGPU is not available in this browser.' };
  let ort: Ort;
  let session: InferenceSession;
  try {
    ort = await loadWebgpuOrt();
    ort.env.wasm.numThreads = wasmThreads;
    session = await createSession(ort, bytes, 'webgpu');
  } catch (error) {
    return { outcome: 'refused', reason: `WebGPU could not start the model (${String(error)}).` };
  }
  const tolerance = manifest.webgpuTolerance ?? DEFAULT_WEBGPU_TOLERANCE;
  let difference: number;
  try {
    difference = outputsDifference(await displayedOutputs(ort, session, manifest), cpuReference, manifest);
  } catch (error) {
    await session.release().catch(() => undefined);
    return { outcome: 'refused', reason: `WebGPU failed its check run (${String(error)}).` };
  }
  if (!(difference <= tolerance)) {
    await session.release().catch(() => undefined);
    const shown = Number.isFinite(difference) ? difference.toExponential(2) : 'not a number';
    return { outcome: 'refused', reason: `WebGPU disagreed with the CPU by ${shown} (tolerance ${tolerance}).` };
  }
  return { outcome: 'in-use', session, ort };
}
