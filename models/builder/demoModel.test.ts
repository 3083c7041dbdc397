import { IMAGENET_NORMALIZATION } from '../contract';
import { buildDemoModel, CHEXNET_FINDINGS, DEFAULT_DEMO_SEED } from './demoModel';
import { declaredDims, decodeModel, graphOf } from './onnxTestUtils';
import { createHash } from 'node:crypto';
import { validateManifest } from '../../extension/src/engine';

jest.setTimeout(60_000);

describe('buildDemoModel', () => {
  const demo = buildDemoModel(DEFAULT_DEMO_SEED);

  it('is byte-identical for the same seed', () => {
    const again = buildDemoModel(DEFAULT_DEMO_SEED);
    expect(Buffer.compare(again.onnxBytes, demo.onnxBytes)).toBe(0);
    expect(again.manifest).toEqual(demo.manifest);
  });

  it('describes its model file in a manifest that matches the graph', () => {
    const { manifest, onnxBytes } = demo;
    expect(manifest).toMatchObject({
      formatVersion: 1,
      name: 'chexnet-densenet121-demo',
      version: '1.0.0-demo+seed.121',
      file: 'model.onnx',
      input: { name: 'image', shape: [1, 3, 224, 224], channels: 3 },
      preprocessing: {
        outputSize: [224, 224],
        resize: { kind: 'stretch' },
        intensity: { kind: 'mean-std', mean: [...IMAGENET_NORMALIZATION.mean], std: [...IMAGENET_NORMALIZATION.std] },
      },
      outputs: {
        probabilities: { name: 'probabilities', activation: 'none' },
        cams: { name: 'cams', shape: [1, 14, 7, 7] },
      },
      demo: true,
      webgpuTolerance: 1e-3,
    });
    expect(manifest.sha256).toBe(createHash('sha256').update(onnxBytes).digest('hex'));
    expect(validateManifest(JSON.parse(JSON.stringify(manifest)))).toBeTruthy();
    expect(manifest.findings.map((f) => f.name)).toEqual([...CHEXNET_FINDINGS]);
    expect(manifest.findings.every((f) => f.threshold === 0.5)).toBe(true);
    expect(manifest.heatmap.fullScaleLogits).toBeGreaterThan(0);
    expect(manifest.intendedUse).toMatch(/DEMO WEIGHTS/);
    expect(manifest.intendedUse).toMatch(/not for diagnostic use/);

    const graph = graphOf(decodeModel(onnxBytes));
    expect(graph.input?.map((i) => [i.name, declaredDims(i)])).toEqual([[manifest.input.name, manifest.input.shape]]);
    expect(graph.output?.map((o) => [o.name, declaredDims(o)])).toEqual([
      [manifest.outputs.probabilities.name, [1, CHEXNET_FINDINGS.length]],
      [manifest.outputs.cams.name, manifest.outputs.cams.shape],
    ]);
  });

  it('builds a CAM-less variant for benchmarks, marked in its version', () => {
    const withoutCams = buildDemoModel(DEFAULT_DEMO_SEED, { includeCams: false });
    expect(graphOf(decodeModel(withoutCams.onnxBytes)).output?.map((o) => o.name)).toEqual(['probabilities']);
    expect(withoutCams.manifest.version).toBe('1.0.0-demo+seed.121.no-cams');
  });
});
