/**
 * Backend choice when WebGPU misbehaves. A faulty or lost GPU cannot be produced on this machine,
 * so WebGPU is simulated: a real onnxruntime WASM session standing in for the 'webgpu' provider,
 * with its outputs perturbed or its runs failing. Everything else is the real engine and model.
 */
import { readFile } from 'node:fs/promises';
import * as realOrt from 'onnxruntime-web';
import type { InferenceSession } from 'onnxruntime-web';
import { DEFAULT_MANIFEST } from '../../cli/nodeModel';
import { readImageFile } from '../../cli/io/readImageFile';
import { nihPng } from '../../../../test/fixtures/paths';
import { loadModel } from './loadModel';
import type { Ort } from './types';

type Fault = { kind: 'perturb'; by: number } | { kind: 'fail-after'; runs: number };

/** onnxruntime whose 'webgpu' sessions are WASM sessions with a fault injected. */
function ortWithFaultyWebGpu(fault: Fault): Ort {
  const create = async (bytes: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession> => {
    const session = await realOrt.InferenceSession.create(bytes, { ...options, executionProviders: ['wasm'] });
    if (!options?.executionProviders?.includes('webgpu')) return session;
    let runs = 0;
    const run = async (feeds: InferenceSession.FeedsType, fetches?: string[]) => {
      runs++;
      if (fault.kind === 'fail-after' && runs > fault.runs) throw new Error('GPUDevice was lost');
      const outputs = await (fetches ? session.run(feeds, fetches) : session.run(feeds));
      if (fault.kind === 'perturb') {
        for (const tensor of Object.values(outputs)) (tensor.data as Float32Array).forEach((v, i, a) => (a[i] = v + fault.by));
      }
      return outputs;
    };
    return Object.assign(Object.create(session) as InferenceSession, { run, release: () => session.release() });
  };
  return { ...realOrt, InferenceSession: { create } } as unknown as Ort;
}

const readBytes = async (path: string) => new Uint8Array(await readFile(path));

describe('backend selection with a misbehaving GPU (simulated)', () => {
  beforeAll(() => {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: {}, hardwareConcurrency: 2 }, configurable: true });
  });
  afterAll(() => {
    Object.defineProperty(globalThis, 'navigator', { value: undefined, configurable: true });
  });

  it('trusts WebGPU that agrees with WASM', async () => {
    const model = await loadModel({ manifestUrl: DEFAULT_MANIFEST, ort: ortWithFaultyWebGpu({ kind: 'perturb', by: 1e-5 }), readBytes, wasmThreads: 1 });
    expect(model.backend).toBe('webgpu');
    expect(model.backendNote).toBeUndefined();
    await model.dispose();
  });

  it('drops WebGPU that disagrees with WASM, runs on WASM and says why', async () => {
    const model = await loadModel({ manifestUrl: DEFAULT_MANIFEST, ort: ortWithFaultyWebGpu({ kind: 'perturb', by: 0.01 }), readBytes, wasmThreads: 1 });
    expect(model.backend).toBe('wasm');
    expect(model.backendNote).toMatch(/WebGPU disagreed with the CPU by 1\.00e-2 \(tolerance 0\.001\)/);
    const result = await model.analyze(await readImageFile(nihPng('txv__00027426_000.png')));
    expect(result.backend).toBe('wasm');
    await model.dispose();
  });

  it('refuses to load when the site requires WebGPU and it disagrees', async () => {
    await expect(
      loadModel({ manifestUrl: DEFAULT_MANIFEST, ort: ortWithFaultyWebGpu({ kind: 'perturb', by: 0.01 }), readBytes, backend: 'webgpu', wasmThreads: 1 }),
    ).rejects.toThrow(/requires the GPU \(WebGPU\), but WebGPU disagreed/);
  });

  it('moves to WASM when the GPU device is lost mid-session, and the result says so', async () => {
    const model = await loadModel({ manifestUrl: DEFAULT_MANIFEST, ort: ortWithFaultyWebGpu({ kind: 'fail-after', runs: 1 }), readBytes, wasmThreads: 1 });
    expect(model.backend).toBe('webgpu'); // its one check run succeeded
    const pixels = await readImageFile(nihPng('txv__00027426_000.png'));
    const result = await model.analyze(pixels);
    expect(result.backend).toBe('wasm');
    expect(model.backendNote).toMatch(/the GPU stopped working \(Error: GPUDevice was lost\)/);
    await model.dispose();
  });
});
