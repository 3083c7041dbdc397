import type { AnalysisResult, Heatmap } from '../types/Analysis';
import { logitScaleOfCams } from './camUnits';
import { camOfFinding } from './heatmapForFinding';

/** Catmull-Rom taps along one axis: 4 clamped cell indices and weights per image pixel, or none outside the crop. */
function cubicAxis(imageSize: number, cropStart: number, cropLength: number, camSize: number) {
  const index = new Int32Array(imageSize * 4).fill(-1);
  const weight = new Float32Array(imageSize * 4);
  for (let p = 0; p < imageSize; p++) {
    const inCrop = (p + 0.5 - cropStart) / cropLength;
    if (inCrop < 0 || inCrop >= 1) continue;
    const c = Math.min(camSize - 1, Math.max(0, inCrop * camSize - 0.5));
    const base = Math.floor(c);
    const t = c - base;
    // Catmull-Rom (cubic convolution, a = -0.5): C1-smooth, passes through every cell value.
    const w = [
      ((-t + 2) * t - 1) * t * 0.5,
      ((3 * t - 5) * t * t + 2) * 0.5,
      ((-3 * t + 4) * t + 1) * t * 0.5,
      (t - 1) * t * t * 0.5,
    ];
    for (let k = 0; k < 4; k++) {
      index[p * 4 + k] = Math.min(camSize - 1, Math.max(0, base - 1 + k));
      weight[p * 4 + k] = w[k];
    }
  }
  return { index, weight };
}

/**
 * One finding's map in image pixel space for display: the same registration and logit units as
 * `heatmapForFinding`, interpolated with Catmull-Rom instead of bilinear so the coarse grid
 * (7x7 for DenseNet-121 at 224) shows as smooth blobs, not facets when zoomed in. Overshoot
 * below zero is clipped (the CAM is a ReLU). Stored results and their CAMs are not changed.
 */
export function smoothHeatmapForFinding(result: AnalysisResult, findingIndex: number): Heatmap {
  const { cam, camRows, camColumns } = camOfFinding(result, findingIndex);
  const scale = logitScaleOfCams(result.cams.shape);
  const { imageRows, imageColumns, crop } = result.geometry;
  const xs = cubicAxis(imageColumns, crop.x, crop.width, camColumns);
  const ys = cubicAxis(imageRows, crop.y, crop.height, camRows);
  // Separable: along x for each CAM row, then along y.
  const alongX = new Float32Array(camRows * imageColumns);
  for (let r = 0; r < camRows; r++) {
    for (let x = 0; x < imageColumns; x++) {
      if (xs.index[x * 4] < 0) continue;
      let v = 0;
      for (let k = 0; k < 4; k++) v += xs.weight[x * 4 + k] * cam[r * camColumns + xs.index[x * 4 + k]];
      alongX[r * imageColumns + x] = v;
    }
  }
  const data = new Float32Array(imageRows * imageColumns);
  let max = 0;
  let peak = { row: 0, column: 0 };
  for (let y = 0; y < imageRows; y++) {
    if (ys.index[y * 4] < 0) continue;
    const rowsAt = [0, 1, 2, 3].map((k) => ys.index[y * 4 + k] * imageColumns);
    const weights = [0, 1, 2, 3].map((k) => ys.weight[y * 4 + k]);
    for (let x = 0; x < imageColumns; x++) {
      if (xs.index[x * 4] < 0) continue;
      let v = 0;
      for (let k = 0; k < 4; k++) v += weights[k] * alongX[rowsAt[k] + x];
      data[y * imageColumns + x] = Math.max(0, v) * scale;
      const value = data[y * imageColumns + x]; // as stored (float32)
      if (value > max) {
        max = value;
        peak = { row: y, column: x };
      }
    }
  }
  return {
    finding: result.findings[findingIndex].name,
    rows: imageRows,
    columns: imageColumns,
    data,
    fullScale: result.heatmapFullScale,
    max,
    peak,
  };
}
