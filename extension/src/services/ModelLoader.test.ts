import { EngineError, type LoadedModel, type LoadProgress } from '../engine';
import { ModelLoader } from './ModelLoader';

function fakeLoadedModel(backend: 'wasm' | 'webgpu' = 'wasm'): LoadedModel {
  return {
    manifest: { name: 'm', version: '1', sha256: 'ab'.repeat(32), demo: true, intendedUse: 'demo' },
    backend,
    analyze: async () => {
      throw new Error('not used');
    },
    dispose: async () => undefined,
  } as unknown as LoadedModel;
}

describe('ModelLoader', () => {
  it('loads once for concurrent callers and reports loading, progress and ready', async () => {
    let calls = 0;
    let report: (p: LoadProgress) => void = () => undefined;
    let finish: (m: LoadedModel) => void = () => undefined;
    const changes: string[] = [];
    const loader = new ModelLoader(
      (onProgress) => {
        calls++;
        report = onProgress;
        return new Promise((resolve) => (finish = resolve));
      },
      () => changes.push(loader.state().status),
    );
    expect(loader.state().status).toBe('idle');
    const first = loader.ensure();
    const second = loader.ensure();
    report({ stage: 'download', fraction: 0.5, message: 'Downloading' });
    expect(loader.state()).toMatchObject({ status: 'loading', progress: { fraction: 0.5 } });
    const model = fakeLoadedModel();
    finish(model);
    await expect(first).resolves.toBe(model);
    await expect(second).resolves.toBe(model);
    expect(calls).toBe(1);
    expect(loader.state()).toMatchObject({ status: 'ready', backend: 'wasm', identity: { name: 'm', demo: true } });
    expect(changes[0]).toBe('loading');
    expect(changes[changes.length - 1]).toBe('ready');
  });

  it('remembers a failure: no new download until an explicit retry', async () => {
    let calls = 0;
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const loader = new ModelLoader(
      async () => {
        calls++;
        throw new EngineError('model-unreadable', 'The model file could not be read.');
      },
      () => undefined,
    );
    await expect(loader.ensure()).rejects.toThrow('could not be read');
    await expect(loader.ensure()).rejects.toThrow('could not be read');
    expect(calls).toBe(1);
    expect(loader.state()).toMatchObject({ status: 'error', error: expect.stringContaining('could not be read') });
    await expect(loader.ensure({ retry: true })).rejects.toThrow();
    expect(calls).toBe(2);
    error.mockRestore();
  });

  it('reads the backend live, so a GPU lost mid-session shows as WASM', async () => {
    const model = fakeLoadedModel('webgpu');
    const loader = new ModelLoader(
      async () => model,
      () => undefined,
    );
    await loader.ensure();
    expect(loader.state().backend).toBe('webgpu');
    (model as { backend: string }).backend = 'wasm';
    expect(loader.state().backend).toBe('wasm');
  });

  it('shows the start-up timings and re-reads the model when it reports a change after ready', async () => {
    const model = fakeLoadedModel('wasm');
    Object.assign(model, {
      startup: { manifestMs: 1, readMs: 2, source: 'cache', hashMs: 3, hashMethod: 'webcrypto', sessionMs: 4 },
    });
    let report: (p: LoadProgress) => void = () => undefined;
    let changes = 0;
    const loader = new ModelLoader(
      async (onProgress) => {
        report = onProgress;
        return model;
      },
      () => changes++,
    );
    await loader.ensure();
    expect(loader.state().startup).toMatchObject({ source: 'cache', hashMethod: 'webcrypto', sessionMs: 4 });
    const before = changes;
    Object.assign(model, { backend: 'webgpu' });
    Object.assign(model.startup!, { webgpuCheckMs: 5, webgpuOutcome: 'in-use' });
    report({ stage: 'ready', message: 'changed' });
    expect(changes).toBe(before + 1);
    expect(loader.state()).toMatchObject({ status: 'ready', backend: 'webgpu', startup: { webgpuOutcome: 'in-use' } });
  });
});
