/**
 * Resamples a region of a single-channel image with a triangle (bilinear) filter whose support
 * widens with the reduction factor, so downsizing averages instead of aliasing (as PIL's
 * antialiased bilinear resize does). Separable: rows first, then columns.
 */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface AxisWeights {
  /** First source index per output sample. */
  first: Int32Array;
  /** Number of taps per output sample. */
  count: Int32Array;
  /** Normalised weights, `maxTaps` per output sample. */
  weights: Float32Array;
  maxTaps: number;
}

function axisWeights(start: number, length: number, outSize: number, sourceSize: number): AxisWeights {
  const scale = length / outSize;
  const support = Math.max(scale, 1);
  const maxTaps = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float32Array(outSize * maxTaps);
  for (let o = 0; o < outSize; o++) {
    const center = start + (o + 0.5) * scale; // continuous coordinate, pixel i spans [i, i+1)
    const lo = Math.max(0, Math.floor(center - support));
    const hi = Math.min(sourceSize - 1, Math.ceil(center + support));
    let total = 0;
    let taps = 0;
    for (let i = lo; i <= hi && taps < maxTaps; i++) {
      const w = Math.max(0, 1 - Math.abs(i + 0.5 - center) / support);
      if (w === 0 && taps === 0) continue;
      if (taps === 0) first[o] = i;
      weights[o * maxTaps + taps] = w;
      total += w;
      taps++;
    }
    if (total === 0) {
      // The sample falls outside the image: take the nearest edge pixel.
      first[o] = Math.min(sourceSize - 1, Math.max(0, Math.floor(center)));
      weights[o * maxTaps] = 1;
      taps = 1;
      total = 1;
    }
    for (let t = 0; t < taps; t++) weights[o * maxTaps + t] /= total;
    count[o] = taps;
  }
  return { first, count, weights, maxTaps };
}

export function resampleRegion(
  source: Float32Array,
  sourceRows: number,
  sourceColumns: number,
  region: Region,
  outRows: number,
  outColumns: number,
): Float32Array {
  const wx = axisWeights(region.x, region.width, outColumns, sourceColumns);
  const wy = axisWeights(region.y, region.height, outRows, sourceRows);
  // Only the source rows the vertical pass reads need the horizontal pass.
  const rowLo = wy.first.reduce((m, v) => Math.min(m, v), sourceRows);
  let rowHi = 0;
  for (let o = 0; o < outRows; o++) rowHi = Math.max(rowHi, wy.first[o] + wy.count[o] - 1);

  const horizontal = new Float32Array((rowHi - rowLo + 1) * outColumns);
  for (let r = rowLo; r <= rowHi; r++) {
    const rowOffset = r * sourceColumns;
    const outOffset = (r - rowLo) * outColumns;
    for (let o = 0; o < outColumns; o++) {
      const base = o * wx.maxTaps;
      const start = rowOffset + wx.first[o];
      let sum = 0;
      for (let t = 0; t < wx.count[o]; t++) sum += source[start + t] * wx.weights[base + t];
      horizontal[outOffset + o] = sum;
    }
  }
  const out = new Float32Array(outRows * outColumns);
  for (let o = 0; o < outRows; o++) {
    const base = o * wy.maxTaps;
    for (let t = 0; t < wy.count[o]; t++) {
      const w = wy.weights[base + t];
      const rowOffset = (wy.first[o] + t - rowLo) * outColumns;
      const outOffset = o * outColumns;
      for (let c = 0; c < outColumns; c++) out[outOffset + c] += horizontal[rowOffset + c] * w;
    }
  }
  return out;
}
