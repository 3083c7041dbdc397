/**
 * Layer helpers that write ONNX nodes and, in the same step, run a calibration batch through
 * plain-JS versions of the layers. Random convolution weights are drawn here; each
 * BatchNormalization takes its running mean and variance from the calibration activations,
 * so every BN really normalises its input and signals stay in range through all 121 layers.
 */
import { attribute, type OnnxGraphWriter } from './OnnxGraphWriter';
import {
  channelAffine,
  channelStatistics,
  concatChannels,
  conv2d,
  type FeatureMap,
  pool,
  relu,
  type WindowGeometry,
  windowOutputSize,
} from './featureMap';
import { type SeededRandom } from './random';

export const BATCH_NORM_EPSILON = 1e-5;

/**
 * Channels whose calibration variance is tiny (nearly constant maps) would be blown up by
 * 1/sqrt(var) on other images; their variance is raised to this fraction of the layer median.
 */
const VARIANCE_FLOOR_FRACTION = 0.05;

/** A tensor in the graph under construction: its ONNX name, shape [C, H, W] and calibration values. */
export interface Activation {
  name: string;
  channels: number;
  height: number;
  width: number;
  calibration: FeatureMap;
}

export interface BatchNormInit {
  /** Draws gamma and beta for `channels` channels. */
  scale: (random: SeededRandom, channels: number) => Float32Array;
  shift: (random: SeededRandom, channels: number) => Float32Array;
}

export class CalibratedLayers {
  /** Learnable parameters written so far (conv weights, BN gamma and beta), as torchvision counts them. */
  parameterCount = 0;

  constructor(
    readonly writer: OnnxGraphWriter,
    private readonly random: SeededRandom,
    private readonly batchNormInit: BatchNormInit,
  ) {}

  input(name: string, dims: [number, number, number], calibration: FeatureMap): Activation {
    const [channels, height, width] = dims;
    if (calibration.channels !== channels) {
      throw new Error(`calibration batch has ${calibration.channels} channels, the input ${channels}`);
    }
    this.writer.addInput(name, [1, channels, height, width]);
    return { name, channels, height, width, calibration };
  }

  /** Convolution without bias, He-normal weights (std sqrt(2 / fan_in), suited to ReLU inputs). */
  conv(name: string, x: Activation, outChannels: number, geometry: WindowGeometry): Activation {
    const { kernel, stride, pad } = geometry;
    const fanIn = x.channels * kernel * kernel;
    const weight = this.random.normalArray(outChannels * fanIn, Math.sqrt(2 / fanIn));
    const weightName = this.parameter(`${name}.weight`, [outChannels, x.channels, kernel, kernel], weight);
    this.writer.addNode('Conv', [x.name, weightName], [name], {
      kernel_shape: attribute.ints([kernel, kernel]),
      strides: attribute.ints([stride, stride]),
      pads: attribute.ints([pad, pad, pad, pad]),
    });
    return {
      name,
      channels: outChannels,
      height: windowOutputSize(x.height, kernel, stride, pad),
      width: windowOutputSize(x.width, kernel, stride, pad),
      calibration: conv2d(x.calibration, weight, outChannels, geometry),
    };
  }

  /** Inference-form BatchNormalization with running statistics measured on the calibration batch. */
  batchNorm(name: string, x: Activation, init: BatchNormInit = this.batchNormInit): Activation {
    const { mean, variance } = channelStatistics(x.calibration);
    const varianceFloor = VARIANCE_FLOOR_FRACTION * median(variance);
    const runningVariance = Float32Array.from(variance, (v) => Math.max(v, varianceFloor));
    const runningMean = Float32Array.from(mean);
    const scale = init.scale(this.random, x.channels);
    const shift = init.shift(this.random, x.channels);

    const inputs = [
      x.name,
      this.parameter(`${name}.weight`, [x.channels], scale),
      this.parameter(`${name}.bias`, [x.channels], shift),
      this.writer.addInitializer(`${name}.running_mean`, [x.channels], runningMean),
      this.writer.addInitializer(`${name}.running_var`, [x.channels], runningVariance),
    ];
    this.writer.addNode('BatchNormalization', inputs, [name], { epsilon: attribute.float(BATCH_NORM_EPSILON) });

    // y = (x - mean) / sqrt(var + eps) * gamma + beta, folded into one affine map for the JS side.
    const multiplier = scale.map((gamma, c) => gamma / Math.sqrt(runningVariance[c] + BATCH_NORM_EPSILON));
    const offset = shift.map((beta, c) => beta - runningMean[c] * multiplier[c]);
    return { ...x, name, calibration: channelAffine(x.calibration, multiplier, offset) };
  }

  relu(name: string, x: Activation): Activation {
    this.writer.addNode('Relu', [x.name], [name]);
    return { ...x, name, calibration: relu(x.calibration) };
  }

  maxPool(name: string, x: Activation, geometry: WindowGeometry): Activation {
    return this.pool(name, x, 'max', geometry);
  }

  averagePool(name: string, x: Activation, geometry: WindowGeometry): Activation {
    return this.pool(name, x, 'average', geometry);
  }

  concat(name: string, parts: Activation[]): Activation {
    this.writer.addNode(
      'Concat',
      parts.map((part) => part.name),
      [name],
      { axis: attribute.int(1) },
    );
    return {
      name,
      channels: parts.reduce((total, part) => total + part.channels, 0),
      height: parts[0].height,
      width: parts[0].width,
      calibration: concatChannels(parts.map((part) => part.calibration)),
    };
  }

  /** Adds a learnable initializer and counts it. */
  parameter(name: string, dims: number[], values: Float32Array): string {
    this.parameterCount += values.length;
    return this.writer.addInitializer(name, dims, values);
  }

  private pool(name: string, x: Activation, kind: 'max' | 'average', geometry: WindowGeometry): Activation {
    const { kernel, stride, pad } = geometry;
    this.writer.addNode(kind === 'max' ? 'MaxPool' : 'AveragePool', [x.name], [name], {
      kernel_shape: attribute.ints([kernel, kernel]),
      strides: attribute.ints([stride, stride]),
      pads: attribute.ints([pad, pad, pad, pad]),
    });
    return {
      name,
      channels: x.channels,
      height: windowOutputSize(x.height, kernel, stride, pad),
      width: windowOutputSize(x.width, kernel, stride, pad),
      calibration: pool(x.calibration, kind, geometry),
    };
  }
}

function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
