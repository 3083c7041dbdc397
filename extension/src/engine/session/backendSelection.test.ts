/**
 * Backend choice when WebGPU misbehaves. A faulty or lost GPU cannot be produced on this machine,
 * so WebGPU is simulated: a real onnxruntime WASM session standing in for the 'webgpu' provider,
 * with its outputs perturbed or its runs failing. Everything else is the real engine and model.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as realOrt from 'onnxruntime-web';
import type { InferenceSession } from 'onnxruntime-web';
import { DEFAULT_MANIFEST } from '../../cli/nodeModel';
import { readImageFile } from '../../cli/io/readImageFile';
import { nihPng } from '../../../../test/fixtures/paths';
import { loadModel } from './loadModel';
import type { Ort } from '../types/Session';

type Fault =
  { kind: 'perturb'; output: 'probabilities' | 'cams' | 'all'; by: number } | { kind: 'fail-after'; runs: number };

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
        for (const [name, tensor] of Object.entries(outputs)) {
          if (fault.output === 'all' || fault.output === name)
            (tensor.data as Float32Array).forEach((v, i, a) => (a[i] = v + fault.by));
        }
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
    const model = await loadModel({
      manifestUrl: DEFAULT_MANIFEST,
      ort: ortWithFaultyWebGpu({ kind: 'perturb', output: 'all', by: 1e-5 }),
      readBytes,
      wasmThreads: 1,
    });
    expect(model.backend).toBe('webgpu');
    expect(model.backendNote).toBeUndefined();
    await model.dispose();
  });

  it('drops WebGPU that disagrees with WASM, runs on WASM and says why', async () => {
    const model = await loadModel({
      manifestUrl: DEFAULT_MANIFEST,
      ort: ortWithFaultyWebGpu({ kind: 'perturb', output: 'probabilities', by: 0.01 }),
      readBytes,
      wasmThreads: 1,
    });
    expect(model.backend).toBe('wasm');
    expect(model.backendNote).toMatch(/WebGPU disagreed with the CPU by 1\.00e-2 \(tolerance 0\.001\)/);
    const result = await model.analyze(await readImageFile(nihPng('txv__00027426_000.png')));
    expect(result.backend).toBe('wasm');
    await model.dispose();
  });

  it('drops WebGPU whose heatmaps alone disagree (heat compared as a fraction of the colour scale)', async () => {
    // 1e-3 on the CAM is 0.049 logits of heat, 1.2% of the demo's 4-logit scale.
    const model = await loadModel({
      manifestUrl: DEFAULT_MANIFEST,
      ort: ortWithFaultyWebGpu({ kind: 'perturb', output: 'cams', by: 1e-3 }),
      readBytes,
      wasmThreads: 1,
    });
    expect(model.backend).toBe('wasm');
    expect(model.backendNote).toMatch(/WebGPU disagreed with the CPU by 1\.2[0-9]e-2/);
    await model.dispose();
  });

  it('refuses to load when the site requires WebGPU and it disagrees', async () => {
    await expect(
      loadModel({
        manifestUrl: DEFAULT_MANIFEST,
        ort: ortWithFaultyWebGpu({ kind: 'perturb', output: 'all', by: 0.01 }),
        readBytes,
        backend: 'webgpu',
        wasmThreads: 1,
      }),
    ).rejects.toThrow(/requires the GPU \(WebGPU\), but WebGPU disagreed/);
  });

  it('reports a model that does not match its manifest as such, even when the GPU is required', async () => {
    const manifest = JSON.parse(await readFile(DEFAULT_MANIFEST, 'utf8'));
    manifest.input.name = 'pixels';
    manifest.file = join(DEFAULT_MANIFEST, '..', 'model.onnx');
    const readPatched = async (path: string) =>
      path === 'patched.json' ? new TextEncoder().encode(JSON.stringify(manifest)) : readBytes(path);
    await expect(
      loadModel({
        manifestUrl: 'patched.json',
        ort: ortWithFaultyWebGpu({ kind: 'perturb', output: 'all', by: 0 }),
        readBytes: readPatched,
        backend: 'webgpu',
        wasmThreads: 1,
      }),
    ).rejects.toThrow(/does not match its manifest: the manifest's input "pixels" is not in the model/);
  });

  it('moves to WASM when the GPU device is lost mid-session, and the result says so', async () => {
    const model = await loadModel({
      manifestUrl: DEFAULT_MANIFEST,
      ort: ortWithFaultyWebGpu({ kind: 'fail-after', runs: 1 }),
      readBytes,
      wasmThreads: 1,
    });
    expect(model.backend).toBe('webgpu'); // its one check run succeeded
    const pixels = await readImageFile(nihPng('txv__00027426_000.png'));
    const result = await model.analyze(pixels);
    expect(result.backend).toBe('wasm');
    expect(model.backendNote).toMatch(/the GPU stopped working \(Error: GPUDevice was lost\)/);
    await model.dispose();
  });
});

describe('WebGPU proven in the background, after the model is ready on WASM (simulated GPU)', () => {
  const withAdapter = (adapter: unknown) =>
    Object.defineProperty(globalThis, 'navigator', {
      value: { gpu: { requestAdapter: async () => adapter }, hardwareConcurrency: 2 },
      configurable: true,
    });
  afterAll(() => Object.defineProperty(globalThis, 'navigator', { value: undefined, configurable: true }));

  async function startOnWasm(fault: Fault, adapter: unknown = {}) {
    withAdapter(adapter);
    const changes: [string, string | undefined][] = [];
    let webgpuBundleLoads = 0;
    const model = await loadModel({
      manifestUrl: DEFAULT_MANIFEST,
      ort: realOrt as unknown as Ort,
      readBytes,
      wasmThreads: 1,
      loadWebgpuOrt: async () => {
        webgpuBundleLoads++;
        return ortWithFaultyWebGpu(fault);
      },
      onBackendChange: (backend, note) => changes.push([backend, note]),
    });
    return { model, changes, webgpuBundleLoads: () => webgpuBundleLoads };
  }

  it('gives results on WASM at once, then switches to a WebGPU that agrees, and each result names its backend', async () => {
    const { model, changes } = await startOnWasm({ kind: 'perturb', output: 'all', by: 1e-5 });
    const pixels = await readImageFile(nihPng('txv__00027426_000.png'));
    expect(model.backend).toBe('wasm');
    expect((await model.analyze(pixels)).backend).toBe('wasm');
    await expect(model.tryWebgpu?.()).resolves.toBe('webgpu');
    expect(model.startup?.warmupMs).toBeGreaterThan(0); // WASM's reference run, before the check
    expect(changes).toEqual([['webgpu', undefined]]);
    expect(model.startup).toMatchObject({ webgpuOutcome: 'in-use' });
    expect(model.startup?.webgpuCheckMs).toBeGreaterThan(0);
    expect((await model.analyze(pixels)).backend).toBe('webgpu');
    await model.dispose();
  });

  it('stays on WASM when WebGPU disagrees, and says why', async () => {
    const { model, changes } = await startOnWasm({ kind: 'perturb', output: 'probabilities', by: 0.01 });
    await expect(model.tryWebgpu?.()).resolves.toBe('wasm');
    expect(model.backendNote).toMatch(/WebGPU disagreed with the CPU by 1\.00e-2/);
    expect(changes).toEqual([['wasm', model.backendNote]]);
    expect(model.startup?.webgpuOutcome).toBe('refused');
    expect((await model.analyze(await readImageFile(nihPng('txv__00027426_000.png')))).backend).toBe('wasm');
    await model.dispose();
  });

  it('does not even load the WebGPU bundle when the browser has no GPU adapter', async () => {
    const { model, webgpuBundleLoads } = await startOnWasm({ kind: 'perturb', output: 'all', by: 0 }, null);
    await expect(model.tryWebgpu?.()).resolves.toBe('wasm');
    expect(webgpuBundleLoads()).toBe(0);
    expect(model.startup?.webgpuOutcome).toBe('unavailable');
    await model.dispose();
  });

  it('moves back to WASM when the proven GPU is lost later', async () => {
    const { model, changes } = await startOnWasm({ kind: 'fail-after', runs: 1 });
    await expect(model.tryWebgpu?.()).resolves.toBe('webgpu');
    const result = await model.analyze(await readImageFile(nihPng('txv__00027426_000.png')));
    expect(result.backend).toBe('wasm');
    expect(changes.map(([backend]) => backend)).toEqual(['webgpu', 'wasm']);
    expect(model.backendNote).toMatch(/the GPU stopped working/);
    await model.dispose();
  });
});
