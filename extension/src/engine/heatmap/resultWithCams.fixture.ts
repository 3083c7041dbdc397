import { inputGeometry } from '../pixels/inputGeometry';
import type { AnalysisResult } from '../types/Analysis';

/** A result with hand-made CAMs on a 300x200 (rows x columns) image, model grid 224 via a central square. */
export function resultWithCams(cams: Float32Array, findings: number, camSize = 7): AnalysisResult {
  const geometry = inputGeometry(300, 200, {
    outputSize: [224, 224],
    resize: { kind: 'center-square' },
    intensity: { kind: 'range', min: 0, max: 1 },
  });
  return {
    imageKey: 'img',
    findings: Array.from({ length: findings }, (_, i) => ({
      name: `F${i}`,
      probability: 0.5,
      threshold: 0.5,
      positive: true,
      trained: true,
    })),
    backend: 'wasm',
    model: { name: 'm', version: '1', sha256: '0'.repeat(64), demo: true },
    intendedUse: 'test',
    timingsMs: { prepareMs: 0, inferenceMs: 0, totalMs: 0 },
    geometry,
    voiSource: 'window',
    cams: { data: cams, shape: [1, findings, camSize, camSize] },
    probabilities: new Float32Array(findings),
    heatmapFullScale: 5,
  };
}
