/**
 * Plain-JS reference versions of the few layers a DenseNet needs, on a small batch of feature maps.
 * The builder runs a few synthetic calibration images through them while it writes the graph, so each
 * BatchNormalization gets running statistics measured on the activations it will actually see.
 */

// A module constant: the global `Infinity` is a slow lookup inside a vm sandbox such as jest's.
const NEGATIVE_INFINITY = -Infinity;

/** A batch of feature maps, [batch, channels, height, width], row-major. */
export interface FeatureMap {
  batch: number;
  channels: number;
  height: number;
  width: number;
  data: Float32Array;
}

export function createFeatureMap(batch: number, channels: number, height: number, width: number): FeatureMap {
  return { batch, channels, height, width, data: new Float32Array(batch * channels * height * width) };
}

/** Output length of a convolution or pooling window along one axis (floor mode, as ONNX and PyTorch). */
export function windowOutputSize(size: number, kernel: number, stride: number, pad: number): number {
  return Math.floor((size + 2 * pad - kernel) / stride) + 1;
}

export interface WindowGeometry {
  kernel: number;
  stride: number;
  pad: number;
}

/**
 * Square convolution without bias; weight is [outChannels, inChannels, kernel, kernel].
 * Written as im2col plus a matrix product, which is far faster in plain JS than direct loops.
 */
export function conv2d(
  input: FeatureMap,
  weight: Float32Array,
  outChannels: number,
  geometry: WindowGeometry,
): FeatureMap {
  const { kernel, stride, pad } = geometry;
  const { batch, channels, height, width } = input;
  const outHeight = windowOutputSize(height, kernel, stride, pad);
  const outWidth = windowOutputSize(width, kernel, stride, pad);
  const output = createFeatureMap(batch, outChannels, outHeight, outWidth);
  const inputSize = channels * height * width;
  const outputSize = outChannels * outHeight * outWidth;
  const isPointwise = kernel === 1 && stride === 1 && pad === 0;
  for (let n = 0; n < batch; n++) {
    const image = input.data.subarray(n * inputSize, (n + 1) * inputSize);
    // A 1x1 stride-1 convolution already is a product with the [channels, pixels] image.
    const columns = isPointwise ? image : windowColumns(image, channels, height, width, geometry);
    const result = output.data.subarray(n * outputSize, (n + 1) * outputSize);
    multiplyInto(result, weight, columns, outChannels, channels * kernel * kernel, outHeight * outWidth);
  }
  return output;
}

/** im2col: row (c, ky, kx) holds, for every output pixel, the input value under that tap (0 in the padding). */
function windowColumns(
  image: Float32Array,
  channels: number,
  height: number,
  width: number,
  geometry: WindowGeometry,
): Float32Array {
  const { kernel, stride, pad } = geometry;
  const outHeight = windowOutputSize(height, kernel, stride, pad);
  const outWidth = windowOutputSize(width, kernel, stride, pad);
  const outPlane = outHeight * outWidth;
  const columns = new Float32Array(channels * kernel * kernel * outPlane);
  let row = 0;
  for (let c = 0; c < channels; c++) {
    for (let ky = 0; ky < kernel; ky++) {
      for (let kx = 0; kx < kernel; kx++, row++) {
        for (let oy = 0; oy < outHeight; oy++) {
          const y = oy * stride - pad + ky;
          if (y < 0 || y >= height) continue;
          for (let ox = 0; ox < outWidth; ox++) {
            const x = ox * stride - pad + kx;
            if (x >= 0 && x < width) columns[row * outPlane + oy * outWidth + ox] = image[(c * height + y) * width + x];
          }
        }
      }
    }
  }
  return columns;
}

/**
 * result[o, p] = sum_j left[o, j] * right[j, p], accumulated in float64. The inner dimension is
 * taken eight rows at a time so each accumulator update serves eight multiply-adds (about 3x faster).
 */
function multiplyInto(
  result: Float32Array,
  left: Float32Array,
  right: Float32Array,
  rows: number,
  inner: number,
  columns: number,
): void {
  const accumulator = new Float64Array(columns);
  const c = columns;
  for (let o = 0; o < rows; o++) {
    accumulator.fill(0);
    const leftRow = o * inner;
    let j = 0;
    for (; j + 8 <= inner; j += 8) {
      const k = leftRow + j;
      const w0 = left[k],
        w1 = left[k + 1],
        w2 = left[k + 2],
        w3 = left[k + 3];
      const w4 = left[k + 4],
        w5 = left[k + 5],
        w6 = left[k + 6],
        w7 = left[k + 7];
      for (let p = 0, q = j * c; p < c; p++, q++) {
        accumulator[p] +=
          w0 * right[q] +
          w1 * right[q + c] +
          w2 * right[q + 2 * c] +
          w3 * right[q + 3 * c] +
          w4 * right[q + 4 * c] +
          w5 * right[q + 5 * c] +
          w6 * right[q + 6 * c] +
          w7 * right[q + 7 * c];
      }
    }
    for (; j < inner; j++) {
      const w = left[leftRow + j];
      for (let p = 0, q = j * c; p < c; p++, q++) accumulator[p] += w * right[q];
    }
    result.set(accumulator, o * c);
  }
}

/** Per-channel mean and (population) variance over batch and space. */
export function channelStatistics(input: FeatureMap): { mean: Float64Array; variance: Float64Array } {
  const { batch, channels, height, width, data } = input;
  const plane = height * width;
  const count = batch * plane;
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * plane;
      for (let p = 0; p < plane; p++) sum += data[base + p];
    }
    const channelMean = sum / count;
    let squares = 0;
    for (let n = 0; n < batch; n++) {
      const base = (n * channels + c) * plane;
      for (let p = 0; p < plane; p++) squares += (data[base + p] - channelMean) ** 2;
    }
    mean[c] = channelMean;
    variance[c] = squares / count;
  }
  return { mean, variance };
}

/** Per-channel affine map y = x * multiplier + offset (an inference-form BatchNormalization). */
export function channelAffine(input: FeatureMap, multiplier: ArrayLike<number>, offset: ArrayLike<number>): FeatureMap {
  const output = createFeatureMap(input.batch, input.channels, input.height, input.width);
  const plane = input.height * input.width;
  for (let n = 0; n < input.batch; n++) {
    for (let c = 0; c < input.channels; c++) {
      const base = (n * input.channels + c) * plane;
      for (let p = 0; p < plane; p++) {
        output.data[base + p] = input.data[base + p] * multiplier[c] + offset[c];
      }
    }
  }
  return output;
}

export function relu(input: FeatureMap): FeatureMap {
  return { ...input, data: input.data.map((value) => (value > 0 ? value : 0)) };
}

/** Square max or average pooling; padded cells never win a max (as ONNX MaxPool). */
export function pool(input: FeatureMap, kind: 'max' | 'average', geometry: WindowGeometry): FeatureMap {
  const { kernel, stride, pad } = geometry;
  if (kind === 'average' && pad !== 0) {
    throw new Error('padded average pooling is not supported (its divisor convention would matter)');
  }
  const { batch, channels, height, width } = input;
  const outHeight = windowOutputSize(height, kernel, stride, pad);
  const outWidth = windowOutputSize(width, kernel, stride, pad);
  const output = createFeatureMap(batch, channels, outHeight, outWidth);
  for (let plane = 0; plane < batch * channels; plane++) {
    const inBase = plane * height * width;
    const outBase = plane * outHeight * outWidth;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        let max = NEGATIVE_INFINITY;
        let sum = 0;
        for (let ky = 0; ky < kernel; ky++) {
          const y = oy * stride - pad + ky;
          if (y < 0 || y >= height) continue;
          for (let kx = 0; kx < kernel; kx++) {
            const x = ox * stride - pad + kx;
            if (x < 0 || x >= width) continue;
            const value = input.data[inBase + y * width + x];
            if (value > max) max = value;
            sum += value;
          }
        }
        output.data[outBase + oy * outWidth + ox] = kind === 'max' ? max : sum / (kernel * kernel);
      }
    }
  }
  return output;
}

/** Concatenation along channels, as ONNX Concat(axis=1). */
export function concatChannels(inputs: FeatureMap[]): FeatureMap {
  const [first] = inputs;
  const channels = inputs.reduce((total, input) => total + input.channels, 0);
  const output = createFeatureMap(first.batch, channels, first.height, first.width);
  const plane = first.height * first.width;
  for (let n = 0; n < first.batch; n++) {
    let offset = n * channels * plane;
    for (const input of inputs) {
      const length = input.channels * plane;
      output.data.set(input.data.subarray(n * length, (n + 1) * length), offset);
      offset += length;
    }
  }
  return output;
}
