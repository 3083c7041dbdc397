import type { AnalysisResult } from '../engine';

/**
 * A result with hand-made 7x7 CAMs on a 300x200 (rows x columns) film whose model crop is the
 * central 200-pixel square (as the engine's center-square policy gives), for the overlay tests.
 */
export function resultWithCams(cams: Float32Array, findings: number): AnalysisResult {
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
    geometry: {
      imageRows: 300,
      imageColumns: 200,
      crop: { x: 0, y: 50, width: 200, height: 200 },
      gridSize: [224, 224],
    },
    voiSource: 'window',
    cams: { data: cams, shape: [1, findings, 7, 7] },
    probabilities: new Float32Array(findings),
    heatmapFullScale: 5,
  };
}
