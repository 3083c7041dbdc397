import type { InputGeometry } from '../types/Analysis';

/** Catmull-Rom taps along one axis: 4 clamped CAM cell indices and weights per sample. */
export interface CubicTaps {
  /** index[s * 4 + k]; -1 at index[s * 4] when sample s is outside the model's crop. */
  index: Int32Array;
  weight: Float32Array;
}

/**
 * Taps for samples at image coordinates `position(s)` (continuous pixel units, pixel centres at
 * integer + 0.5) along an axis whose crop starts at `cropStart` and spans `cropLength` pixels.
 */
export function cubicTaps(
  count: number,
  position: (sample: number) => number,
  cropStart: number,
  cropLength: number,
  camSize: number,
): CubicTaps {
  const index = new Int32Array(count * 4).fill(-1);
  const weight = new Float32Array(count * 4);
  for (let s = 0; s < count; s++) {
    const inCrop = (position(s) - cropStart) / cropLength; // 0..1 across the model's view
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
      index[s * 4 + k] = Math.min(camSize - 1, Math.max(0, base - 1 + k));
      weight[s * 4 + k] = w[k];
    }
  }
  return { index, weight };
}

/** A map evaluated on a grid: values, the largest one and where it is (sample row, column). */
export interface SampledMap {
  data: Float32Array;
  max: number;
  peak: { row: number; column: number };
}

/**
 * The CAM, Catmull-Rom interpolated at the samples of `xs` (columns) and `ys` (rows), separably,
 * clipped below at zero (the CAM is a ReLU) and multiplied by `scale` (logit units). Samples
 * outside the crop are zero.
 */
export function sampleCam(
  cam: Float32Array,
  camRows: number,
  camColumns: number,
  xs: CubicTaps,
  ys: CubicTaps,
  scale: number,
): SampledMap {
  const columns = xs.index.length / 4;
  const rows = ys.index.length / 4;
  const alongX = new Float32Array(camRows * columns);
  for (let r = 0; r < camRows; r++) {
    for (let x = 0; x < columns; x++) {
      if (xs.index[x * 4] < 0) continue;
      let v = 0;
      for (let k = 0; k < 4; k++) v += xs.weight[x * 4 + k] * cam[r * camColumns + xs.index[x * 4 + k]];
      alongX[r * columns + x] = v;
    }
  }
  const data = new Float32Array(rows * columns);
  let max = 0;
  let peak = { row: 0, column: 0 };
  for (let y = 0; y < rows; y++) {
    if (ys.index[y * 4] < 0) continue;
    const rowsAt = [0, 1, 2, 3].map((k) => ys.index[y * 4 + k] * columns);
    const weights = [0, 1, 2, 3].map((k) => ys.weight[y * 4 + k]);
    for (let x = 0; x < columns; x++) {
      if (xs.index[x * 4] < 0) continue;
      let v = 0;
      for (let k = 0; k < 4; k++) v += weights[k] * alongX[rowsAt[k] + x];
      data[y * columns + x] = Math.max(0, v) * scale;
      const value = data[y * columns + x]; // as stored (float32)
      if (value > max) {
        max = value;
        peak = { row: y, column: x };
      }
    }
  }
  return { data, max, peak };
}

/** Both axes' taps for a grid of `rows x columns` samples tiling `region` of the image. */
export function regionTaps(
  geometry: InputGeometry,
  region: { x: number; y: number; width: number; height: number },
  rows: number,
  columns: number,
  camRows: number,
  camColumns: number,
) {
  const { crop } = geometry;
  const xs = cubicTaps(columns, (s) => region.x + ((s + 0.5) * region.width) / columns, crop.x, crop.width, camColumns);
  const ys = cubicTaps(rows, (s) => region.y + ((s + 0.5) * region.height) / rows, crop.y, crop.height, camRows);
  return { xs, ys };
}
