import { COLORMAP_NAMES, DEFAULT_MAX_PIXELS, HEATMAP_THRESHOLD_RANGE } from './engine';
import { DEFAULT_CONFIG, resolveConfig } from './config';

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
    expect(config.backend).toBe(DEFAULT_CONFIG.backend);
  });

  it('has one backend key; the older requireWebGPU reads as it unless a backend is named', () => {
    expect(resolveConfig({}).backend).toBe('webgpu-then-wasm');
    expect(resolveConfig({ requireWebGPU: true }).backend).toBe('webgpu');
    expect(resolveConfig({ requireWebGPU: true, backend: 'wasm' }).backend).toBe('wasm');
    expect(Object.keys(resolveConfig({ requireWebGPU: true }))).not.toContain('requireWebGPU');
  });

  it("accepts exactly the engine's colormap names and threshold range", () => {
    for (const name of COLORMAP_NAMES) expect(resolveConfig({ defaultColormap: name }).defaultColormap).toBe(name);
    expect(resolveConfig({ defaultColormap: 'rainbow' }).defaultColormap).toBe(DEFAULT_CONFIG.defaultColormap);
    expect(resolveConfig({ defaultHeatmapThreshold: 0.999 }).defaultHeatmapThreshold).toBe(HEATMAP_THRESHOLD_RANGE.max);
  });

  it('takes a positive integer pixel budget, else the engine default', () => {
    expect(resolveConfig({}).maxPixels).toBe(DEFAULT_MAX_PIXELS);
    expect(resolveConfig({ maxPixels: 100_000_000 }).maxPixels).toBe(100_000_000);
    for (const bad of [0, -5, 1.5, '60000000', Number.NaN, Infinity])
      expect(resolveConfig({ maxPixels: bad }).maxPixels).toBe(DEFAULT_MAX_PIXELS);
  });

  it("stores results on request by default; 'auto' and 'never' are the other choices, anything else reads as the default", () => {
    expect(resolveConfig({}).storeResults).toBe('ask');
    for (const mode of ['ask', 'auto', 'never'] as const)
      expect(resolveConfig({ storeResults: mode }).storeResults).toBe(mode);
    for (const bad of [true, 'always', 1]) expect(resolveConfig({ storeResults: bad }).storeResults).toBe('ask');
    expect(resolveConfig({ storeResultsOffHint: 'Start Orthanc' }).storeResultsOffHint).toBe('Start Orthanc');
    expect(resolveConfig({ storeResultsOffHint: '' }).storeResultsOffHint).toBeUndefined();
  });
});
