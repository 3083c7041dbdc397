/**
 * DenseNet (torchvision topology) with a CheXNet-style head and in-graph Grad-CAM, written as
 * ONNX with seeded random weights. See buildDenseNet.
 */
import { type Activation, type BatchNormInit, CalibratedLayers } from './CalibratedLayers';
import { type InputNormalization, syntheticCalibrationBatch } from './calibrationImages';
import { attribute, OnnxGraphWriter } from './OnnxGraphWriter';
import { SeededRandom } from './random';
import { IMAGENET_NORMALIZATION, NIH_FINDINGS } from '../contract';

export interface DenseNetConfig {
  /** Image channels of the input (3 for ImageNet-style models). */
  inputChannels: number;
  /** Input grid, [height, width]. */
  inputSize: [number, number];
  /** Channels out of the stem (conv0). */
  initFeatures: number;
  /** Channels each dense layer adds. */
  growthRate: number;
  /** Bottleneck width multiplier: the 1x1 conv of a dense layer has bnSize * growthRate channels. */
  bnSize: number;
  /** Dense layers per block; a transition (halving channels and size) sits between blocks. */
  blockLayers: number[];
  /** Findings F: the head is Linear(C, F). */
  numClasses: number;
  /** Seeds every random weight; same config and seed give byte-identical bytes. */
  seed: number;
  /** Adds the `cams` output; off to measure what the CAM subgraph costs. */
  includeCams: boolean;
  /** Also exposes the final feature map (after the last ReLU) as output `features`. */
  exposeFeatures: boolean;
  /** What the model expects its input normalised with; shapes the synthetic calibration images. */
  inputNormalization: InputNormalization;
  /** Size of the calibration images; below the input size to keep builds fast. */
  calibrationSize: [number, number];
  calibrationImageCount: number;
  /** Std of the classifier weights, which sets how far the logits spread. */
  classifierWeightStd: number;
}

export const TENSOR_NAMES = {
  image: 'image',
  probabilities: 'probabilities',
  cams: 'cams',
  features: 'features',
  logits: 'logits',
} as const;

const IMAGENET_INPUT: InputNormalization = {
  mean: [...IMAGENET_NORMALIZATION.mean],
  std: [...IMAGENET_NORMALIZATION.std],
};

/** torchvision densenet121 with a 14-finding head (CheXNet), 224 x 224 RGB input. */
export const densenet121Config: DenseNetConfig = {
  inputChannels: 3,
  inputSize: [224, 224],
  initFeatures: 64,
  growthRate: 32,
  bnSize: 4,
  blockLayers: [6, 12, 24, 16],
  numClasses: NIH_FINDINGS.length,
  seed: 121,
  includeCams: true,
  exposeFeatures: false,
  inputNormalization: IMAGENET_INPUT,
  calibrationSize: [128, 128],
  calibrationImageCount: 2,
  classifierWeightStd: 0.08,
};

/** [1, channels, height, width] */
export type Shape4 = [number, number, number, number];

export interface DenseNetModel {
  onnxBytes: Uint8Array;
  inputShape: Shape4;
  /** Final feature map A (after the last ReLU), exposed or not. */
  featureShape: Shape4;
  outputShapes: {
    probabilities: [number, number];
    cams?: Shape4;
    features?: Shape4;
  };
  /** Learnable parameters as torchvision counts them (conv, BN gamma/beta, Linear); BN running stats excluded. */
  parameterCount: number;
}

// Random streams, kept apart so that calibration images never shift the weights.
const WEIGHT_STREAM = 0;
const CALIBRATION_STREAM = 1;
const CLASSIFIER_STREAM = 2;

/**
 * gamma and beta inside the network. With beta = 0 each ReLU cuts at the calibration mean and
 * a 121-layer random net turns chaotic: an image unlike the calibration set drifts further from
 * it at every layer until activations are 20x too large. gamma 0.5 and beta 1 keep the ReLUs
 * mostly open (they cut at -2 sigma), so the network stays near its stable, almost linear regime.
 */
const innerBatchNormInit: BatchNormInit = {
  scale: (random, channels) => random.normalArray(channels, 0.05, 0.5),
  shift: (random, channels) => random.normalArray(channels, 0.1, 1),
};

/** norm5 cuts at the mean instead: A is then sparse and varies across the image, as trained CAMs do. */
const finalBatchNormInit: BatchNormInit = {
  scale: (random, channels) => random.normalArray(channels, 0.1, 1),
  shift: (random, channels) => random.normalArray(channels, 0.1, 0),
};

/**
 * Builds DenseNet `features` (conv0/norm0/relu0/pool0, dense blocks and transitions, norm5),
 * the final ReLU giving A, then
 *   probabilities = Sigmoid(Gemm(Flatten(GlobalAveragePool(A)), W, b, transB=1))
 *   cams          = ReLU(Conv1x1(A, W as [F, C, 1, 1])) / (h * w)
 * The CAM is Grad-CAM of each logit against A: with GAP then a linear head,
 * d logit_c / d A_k(i, j) = W_ck / (h * w) everywhere, so alpha_ck = W_ck / (h * w).
 *
 * Weights are random (He-normal convs, Normal(0, classifierWeightStd) classifier). Every
 * BatchNormalization gets running statistics measured by pushing synthetic calibration images
 * through the network as it is written, so activations keep a sane scale through all the layers.
 */
export function buildDenseNet(config: DenseNetConfig): DenseNetModel {
  validateConfig(config);
  const writer = new OnnxGraphWriter('densenet');
  const layers = new CalibratedLayers(writer, SeededRandom.derive(config.seed, WEIGHT_STREAM), innerBatchNormInit);

  const calibration = syntheticCalibrationBatch(
    SeededRandom.derive(config.seed, CALIBRATION_STREAM),
    config.calibrationImageCount,
    config.inputChannels,
    config.calibrationSize,
    config.inputNormalization,
  );
  const image = layers.input(TENSOR_NAMES.image, [config.inputChannels, ...config.inputSize], calibration);
  const features = denseNetFeatures(layers, image, config);
  const head = writeHead(layers, features, config);

  const inputShape: Shape4 = [1, config.inputChannels, ...config.inputSize];
  const featureShape: Shape4 = [1, features.channels, features.height, features.width];
  writer.addOutput(TENSOR_NAMES.probabilities, head.probabilitiesShape);
  if (config.includeCams) writer.addOutput(TENSOR_NAMES.cams, head.camsShape);
  if (config.exposeFeatures) writer.addOutput(TENSOR_NAMES.features, featureShape);

  const onnxBytes = writer.toBytes({
    producerName: 'chest-xray-ai-ohif/densenet-builder',
    producerVersion: '1',
    docString:
      `DenseNet (init ${config.initFeatures}, growth ${config.growthRate}, blocks ${config.blockLayers.join('-')}) ` +
      `with seeded random weights (seed ${config.seed}); not trained.`,
  });
  return {
    onnxBytes,
    inputShape,
    featureShape,
    outputShapes: {
      probabilities: head.probabilitiesShape,
      ...(config.includeCams ? { cams: head.camsShape } : {}),
      ...(config.exposeFeatures ? { features: featureShape } : {}),
    },
    parameterCount: layers.parameterCount,
  };
}

/** torchvision DenseNet.features followed by the ReLU that forward() applies. */
function denseNetFeatures(layers: CalibratedLayers, image: Activation, config: DenseNetConfig): Activation {
  let x = layers.conv('features.conv0', image, config.initFeatures, { kernel: 7, stride: 2, pad: 3 });
  x = layers.batchNorm('features.norm0', x);
  x = layers.relu('features.relu0', x);
  x = layers.maxPool('features.pool0', x, { kernel: 3, stride: 2, pad: 1 });

  config.blockLayers.forEach((layerCount, blockIndex) => {
    const block = `features.denseblock${blockIndex + 1}`;
    for (let layer = 1; layer <= layerCount; layer++) {
      const newFeatures = denseLayer(layers, `${block}.denselayer${layer}`, x, config);
      x = layers.concat(`${block}.concat${layer}`, [x, newFeatures]);
    }
    if (blockIndex < config.blockLayers.length - 1) {
      const transition = `features.transition${blockIndex + 1}`;
      x = layers.batchNorm(`${transition}.norm`, x);
      x = layers.relu(`${transition}.relu`, x);
      x = layers.conv(`${transition}.conv`, x, Math.floor(x.channels / 2), { kernel: 1, stride: 1, pad: 0 });
      x = layers.averagePool(`${transition}.pool`, x, { kernel: 2, stride: 2, pad: 0 });
    }
  });

  x = layers.batchNorm('features.norm5', x, finalBatchNormInit);
  return layers.relu(TENSOR_NAMES.features, x);
}

/** BN-ReLU-Conv1x1(bnSize * growth)-BN-ReLU-Conv3x3(growth): the growth channels to concatenate. */
function denseLayer(layers: CalibratedLayers, prefix: string, x: Activation, config: DenseNetConfig): Activation {
  let y = layers.batchNorm(`${prefix}.norm1`, x);
  y = layers.relu(`${prefix}.relu1`, y);
  y = layers.conv(`${prefix}.conv1`, y, config.bnSize * config.growthRate, { kernel: 1, stride: 1, pad: 0 });
  y = layers.batchNorm(`${prefix}.norm2`, y);
  y = layers.relu(`${prefix}.relu2`, y);
  return layers.conv(`${prefix}.conv2`, y, config.growthRate, { kernel: 3, stride: 1, pad: 1 });
}

/** Classifier and Grad-CAM subgraph on the feature map A. */
function writeHead(layers: CalibratedLayers, features: Activation, config: DenseNetConfig) {
  const { writer } = layers;
  const { channels, height, width } = features;
  const findings = config.numClasses;
  const random = SeededRandom.derive(config.seed, CLASSIFIER_STREAM);

  // Zero bias: each logit is then exactly the spatial mean of its CAM map taken before the ReLU and the 1/(h*w).
  const weight = layers.parameter(
    'classifier.weight',
    [findings, channels],
    random.normalArray(findings * channels, config.classifierWeightStd),
  );
  const bias = layers.parameter('classifier.bias', [findings], new Float32Array(findings));

  writer.addNode('GlobalAveragePool', [features.name], ['pooled']);
  writer.addNode('Flatten', ['pooled'], ['pooled_flat'], { axis: attribute.int(1) });
  writer.addNode('Gemm', ['pooled_flat', weight, bias], [TENSOR_NAMES.logits], { transB: attribute.int(1) });
  writer.addNode('Sigmoid', [TENSOR_NAMES.logits], [TENSOR_NAMES.probabilities]);

  if (config.includeCams) {
    // The same Linear weight viewed as a 1x1 conv kernel: row c of W weights the channels of A for finding c.
    const camShape = writer.addInitializer(
      'cam_weight_shape',
      [4],
      BigInt64Array.from([findings, channels, 1, 1].map(BigInt)),
    );
    writer.addNode('Reshape', [weight, camShape], ['cam_weight']);
    writer.addNode('Conv', [features.name, 'cam_weight'], ['cam_logit_map'], { kernel_shape: attribute.ints([1, 1]) });
    writer.addNode('Relu', ['cam_logit_map'], ['cam_positive']);
    const scale = writer.addInitializer('cam_scale', [], Float32Array.of(1 / (height * width)));
    writer.addNode('Mul', ['cam_positive', scale], [TENSOR_NAMES.cams]);
  }
  return {
    probabilitiesShape: [1, findings] as [number, number],
    camsShape: [1, findings, height, width] as Shape4,
  };
}

function validateConfig(config: DenseNetConfig): void {
  const positiveIntegers: Array<[string, number]> = [
    ['inputChannels', config.inputChannels],
    ['initFeatures', config.initFeatures],
    ['growthRate', config.growthRate],
    ['bnSize', config.bnSize],
    ['numClasses', config.numClasses],
    ['calibrationImageCount', config.calibrationImageCount],
    ...config.inputSize.map((size, i): [string, number] => [`inputSize[${i}]`, size]),
    ...config.calibrationSize.map((size, i): [string, number] => [`calibrationSize[${i}]`, size]),
    ...config.blockLayers.map((count, i): [string, number] => [`blockLayers[${i}]`, count]),
  ];
  for (const [name, value] of positiveIntegers) {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`DenseNetConfig.${name} must be a positive integer, got ${value}`);
  }
  if (config.blockLayers.length === 0) throw new Error('DenseNetConfig.blockLayers must list at least one block');
  // Stem divides by 4, each transition by 2 more: the grid must survive to at least 1 x 1.
  const downsampling = 4 * 2 ** (config.blockLayers.length - 1);
  for (const size of [...config.inputSize, ...config.calibrationSize]) {
    if (size < downsampling)
      throw new Error(
        `input and calibration sizes must be at least ${downsampling} for ${config.blockLayers.length} blocks`,
      );
  }
}
