import { backendPreference, DEFAULT_CONFIG, resolveConfig } from './config';

describe('resolveConfig', () => {
  it('merges app-config and extension configuration over the defaults, later sources winning', () => {
    const config = resolveConfig(
      { modelManifestUrl: '/a/manifest.json', autoRun: false },
      { autoRun: true, findings: ['Cardiomegaly'] },
    );
    expect(config.modelManifestUrl).toBe('/a/manifest.json');
    expect(config.autoRun).toBe(true);
    expect(config.findings).toEqual(['Cardiomegaly']);
    expect(config.defaultColormap).toBe(DEFAULT_CONFIG.defaultColormap);
  });

  it('ignores values of the wrong type instead of failing', () => {
    const config = resolveConfig({ autoRun: 'yes', defaultOpacity: 3, findings: 'Cardiomegaly', backend: 'cuda' });
    expect(config.autoRun).toBe(DEFAULT_CONFIG.autoRun);
    expect(config.defaultOpacity).toBe(DEFAULT_CONFIG.defaultOpacity);
    expect(config.findings).toBeUndefined();
    expect(config.backend).toBeUndefined();
  });

  it('maps requireWebGPU to a backend preference unless a backend is named', () => {
    expect(backendPreference(resolveConfig({}))).toBe('webgpu-then-wasm');
    expect(backendPreference(resolveConfig({ requireWebGPU: true }))).toBe('webgpu');
    expect(backendPreference(resolveConfig({ requireWebGPU: true, backend: 'wasm' }))).toBe('wasm');
  });
});
