import { onnx } from 'onnx-proto';
import { buildDenseNet, densenet121Config, type DenseNetModel, TENSOR_NAMES } from './densenet';
import {
  declaredDims,
  decodeModel,
  dimsOf,
  extractSubgraph,
  type Feeds,
  findInitializer,
  floatValues,
  graphOf,
  intAttribute,
  nodesOfType,
  pseudoRandomImage,
  runModel,
  tinyDenseNetConfig,
} from './onnxTestUtils';

jest.setTimeout(60_000);

/** torchvision.models.densenet121().features: conv weights plus BN weight and bias. */
const TORCHVISION_DENSENET121_FEATURE_PARAMETERS = 6_953_856;
const CHEXNET_CLASSIFIER_PARAMETERS = 1024 * 14 + 14;

async function runOnImage(network: DenseNetModel, bytes: Uint8Array = network.onnxBytes, seed = 11): Promise<Feeds> {
  const image = pseudoRandomImage(network.inputShape, seed);
  return (await runModel(bytes, [{ [TENSOR_NAMES.image]: { dims: network.inputShape, data: image } }]))[0];
}

/** Weight W [F, C] and bias b [F] of the classifier Gemm, read from the model itself. */
function classifierOf(model: onnx.ModelProto) {
  const [gemm] = nodesOfType(model, 'Gemm');
  expect(intAttribute(gemm, 'transB')).toBe(1);
  const weight = findInitializer(model, gemm.input?.[1] ?? '');
  const [findings, channels] = dimsOf(weight);
  return {
    weight: floatValues(weight),
    bias: floatValues(findInitializer(model, gemm.input?.[2] ?? '')),
    findings,
    channels,
  };
}

/**
 * Grad-CAM from its definition, by finite differences: the classifier part of the model (everything
 * downstream of `features`) is cut out and run on copies of A with one cell nudged up and down;
 * alpha_ck = mean over (i, j) of d logit_c / d A_k(i, j); CAM_c = ReLU(sum_k alpha_ck A_k).
 * Returns the worst difference from the model's `cams`, relative to the largest CAM value.
 */
async function camErrorAgainstFiniteDifferences(
  bytes: Uint8Array,
  network: DenseNetModel,
): Promise<{ relativeError: number; positiveFraction: number }> {
  const model = decodeModel(bytes);
  const outputs = await runOnImage(network, bytes);
  const features = outputs[TENSOR_NAMES.features].data;
  const cams = outputs[TENSOR_NAMES.cams].data;
  const [, channels, height, width] = network.featureShape;
  const findings = network.outputShapes.probabilities[1];
  const cells = height * width;
  const elements = channels * cells;

  // One batch item per nudge: item 2e has A + eps at element e, item 2e+1 has A - eps.
  // The head is linear in A, so a large eps costs no truncation error and keeps float32 rounding small.
  const epsilon = 0.5;
  const batch = 2 * elements;
  const nudged = new Float32Array(batch * elements);
  for (let e = 0; e < elements; e++) {
    nudged.set(features, 2 * e * elements);
    nudged.set(features, (2 * e + 1) * elements);
    nudged[2 * e * elements + e] += epsilon;
    nudged[(2 * e + 1) * elements + e] -= epsilon;
  }
  const head = extractSubgraph(
    model,
    { name: TENSOR_NAMES.features, dims: [batch, channels, height, width], data: nudged },
    [{ name: TENSOR_NAMES.logits, dims: [batch, findings] }],
  );
  const [headOutputs] = await runModel(head, [
    { [TENSOR_NAMES.features]: { dims: [batch, channels, height, width], data: nudged } },
  ]);
  const logits = headOutputs[TENSOR_NAMES.logits].data;

  let worst = 0;
  let largest = 0;
  let positive = 0;
  for (let c = 0; c < findings; c++) {
    const alpha = new Float64Array(channels);
    for (let e = 0; e < elements; e++) {
      const gradient = (logits[2 * e * findings + c] - logits[(2 * e + 1) * findings + c]) / (2 * epsilon);
      alpha[Math.floor(e / cells)] += gradient / cells;
    }
    for (let cell = 0; cell < cells; cell++) {
      let weighted = 0;
      for (let k = 0; k < channels; k++) weighted += alpha[k] * features[k * cells + cell];
      const expected = Math.max(0, weighted);
      const actual = cams[c * cells + cell];
      worst = Math.max(worst, Math.abs(actual - expected));
      largest = Math.max(largest, Math.abs(expected));
      if (expected > 0) positive++;
    }
  }
  return { relativeError: worst / largest, positiveFraction: positive / (findings * cells) };
}

/** Replaces the raw data of one float initializer (to plant a bug in a built model). */
function withInitializer(bytes: Uint8Array, name: string, values: Float32Array, dims?: number[]): Uint8Array {
  const model = decodeModel(bytes);
  const tensor = findInitializer(model, name);
  tensor.rawData = new Uint8Array(values.buffer.slice(0));
  if (dims) tensor.dims = dims;
  return onnx.ModelProto.encode(model).finish();
}

describe('buildDenseNet (tiny config)', () => {
  const network = buildDenseNet(tinyDenseNetConfig);

  it('is byte-identical for the same seed and differs for another seed', () => {
    expect(Buffer.compare(buildDenseNet(tinyDenseNetConfig).onnxBytes, network.onnxBytes)).toBe(0);
    const other = buildDenseNet({ ...tinyDenseNetConfig, seed: tinyDenseNetConfig.seed + 1 });
    expect(Buffer.compare(other.onnxBytes, network.onnxBytes)).not.toBe(0);
  });

  it('declares and produces the expected shapes', async () => {
    // 32 -> conv0 16 -> pool0 8 (block 1) -> transition 4 (block 2); channels 8 + 2*4 = 16 -> 8 -> 8 + 2*4 = 16.
    expect(network.featureShape).toEqual([1, 16, 4, 4]);
    expect(network.outputShapes).toEqual({ probabilities: [1, 5], cams: [1, 5, 4, 4], features: [1, 16, 4, 4] });
    const graph = graphOf(decodeModel(network.onnxBytes));
    expect(graph.input?.map((i) => [i.name, declaredDims(i)])).toEqual([['image', [1, 3, 32, 32]]]);
    expect(graph.output?.map((o) => [o.name, declaredDims(o)])).toEqual([
      ['probabilities', [1, 5]],
      ['cams', [1, 5, 4, 4]],
      ['features', [1, 16, 4, 4]],
    ]);
    const outputs = await runOnImage(network);
    expect(outputs.probabilities.dims).toEqual([1, 5]);
    expect(outputs.cams.dims).toEqual([1, 5, 4, 4]);
    expect(outputs.features.dims).toEqual([1, 16, 4, 4]);
  });

  it('computes probabilities = sigmoid(Gemm(GAP(features)))', async () => {
    const { weight, bias, findings, channels } = classifierOf(decodeModel(network.onnxBytes));
    const outputs = await runOnImage(network);
    const features = outputs.features.data;
    expect(features.every((value) => value >= 0)).toBe(true); // A is taken after the final ReLU
    const cells = features.length / channels;
    for (let c = 0; c < findings; c++) {
      let logit = bias[c];
      for (let k = 0; k < channels; k++) {
        let mean = 0;
        for (let cell = 0; cell < cells; cell++) mean += features[k * cells + cell] / cells;
        logit += weight[c * channels + k] * mean;
      }
      expect(outputs.probabilities.data[c]).toBeCloseTo(1 / (1 + Math.exp(-logit)), 5);
    }
    // Spread, not saturated: the classifier scale keeps the probabilities apart and away from 0 and 1.
    const probabilities = Array.from(outputs.probabilities.data);
    expect(Math.max(...probabilities) - Math.min(...probabilities)).toBeGreaterThan(0.05);
  });

  it('outputs CAMs equal to Grad-CAM computed by finite differences of the logits', async () => {
    const { relativeError, positiveFraction } = await camErrorAgainstFiniteDifferences(network.onnxBytes, network);
    expect(relativeError).toBeLessThan(1e-4);
    // Non-trivial maps: the ReLU keeps some cells and clears others.
    expect(positiveFraction).toBeGreaterThan(0.1);
    expect(positiveFraction).toBeLessThan(0.9);
  });

  it('would catch a CAM subgraph without the 1/(h*w) factor or with a transposed weight', async () => {
    const model = decodeModel(network.onnxBytes);
    const { weight, findings, channels } = classifierOf(model);

    const unscaled = withInitializer(network.onnxBytes, 'cam_scale', Float32Array.of(1));
    expect((await camErrorAgainstFiniteDifferences(unscaled, network)).relativeError).toBeGreaterThan(0.1);

    // W^T's values read as [F, C]: what reshaping the wrong orientation of the weight would give.
    const transposed = Float32Array.from(
      { length: weight.length },
      (_, i) => weight[(i % findings) * channels + Math.floor(i / findings)],
    );
    const [reshape] = nodesOfType(model, 'Reshape');
    const planted = decodeModel(network.onnxBytes);
    planted.graph?.initializer?.push({
      name: 'transposed_weight',
      dims: [channels, findings],
      dataType: 1,
      rawData: new Uint8Array(transposed.buffer),
    });
    const plantedReshape = nodesOfType(planted, 'Reshape')[0];
    plantedReshape.input = ['transposed_weight', reshape.input?.[1] ?? ''];
    const transposedBytes = onnx.ModelProto.encode(planted).finish();
    expect((await camErrorAgainstFiniteDifferences(transposedBytes, network)).relativeError).toBeGreaterThan(0.1);
  });

  it('can leave out the CAM output', () => {
    const withoutCams = buildDenseNet({ ...tinyDenseNetConfig, includeCams: false, exposeFeatures: false });
    expect(withoutCams.outputShapes).toEqual({ probabilities: [1, 5] });
    const model = decodeModel(withoutCams.onnxBytes);
    expect(graphOf(model).output?.map((o) => o.name)).toEqual(['probabilities']);
    expect(nodesOfType(model, 'Conv').length).toBe(nodesOfType(decodeModel(network.onnxBytes), 'Conv').length - 1);
  });

  it('rejects configs it cannot build', () => {
    expect(() => buildDenseNet({ ...tinyDenseNetConfig, growthRate: 0 })).toThrow(/growthRate/);
    expect(() => buildDenseNet({ ...tinyDenseNetConfig, blockLayers: [] })).toThrow(/at least one block/);
    expect(() => buildDenseNet({ ...tinyDenseNetConfig, inputSize: [4, 4] })).toThrow(/at least 8/);
  });
});

describe('buildDenseNet (DenseNet-121)', () => {
  const network = buildDenseNet(densenet121Config);
  const model = decodeModel(network.onnxBytes);

  it('has torchvision densenet121 parameter counts', () => {
    // Counted from the graph: conv weights, BN scale and bias, Gemm weight and bias (running stats are buffers).
    const learnable = new Set<string>();
    for (const node of graphOf(model).node ?? []) {
      const inputs = node.input ?? [];
      if (node.opType === 'Conv') learnable.add(inputs[1]);
      if (node.opType === 'BatchNormalization' || node.opType === 'Gemm')
        inputs.slice(1, 3).forEach((name) => learnable.add(name));
    }
    const initializerNames = new Set((graphOf(model).initializer ?? []).map((t) => t.name));
    const sizeOf = (name: string) => dimsOf(findInitializer(model, name)).reduce((a, b) => a * b, 1);
    const counted = [...learnable].filter((name) => initializerNames.has(name));
    const featureParameters = counted
      .filter((name) => name.startsWith('features.'))
      .reduce((sum, name) => sum + sizeOf(name), 0);
    const classifierParameters = counted
      .filter((name) => name.startsWith('classifier.'))
      .reduce((sum, name) => sum + sizeOf(name), 0);

    expect(featureParameters).toBe(TORCHVISION_DENSENET121_FEATURE_PARAMETERS);
    expect(classifierParameters).toBe(CHEXNET_CLASSIFIER_PARAMETERS);
    expect(network.parameterCount).toBe(TORCHVISION_DENSENET121_FEATURE_PARAMETERS + CHEXNET_CLASSIFIER_PARAMETERS);
    // norm0, two per dense layer (58 layers), one per transition (3), norm5; conv0, two per layer, transitions, the CAM conv.
    expect(nodesOfType(model, 'BatchNormalization')).toHaveLength(1 + 2 * 58 + 3 + 1);
    expect(nodesOfType(model, 'Conv')).toHaveLength(1 + 2 * 58 + 3 + 1);
  });

  it('has the CheXNet input and output shapes and runs', async () => {
    expect(network.inputShape).toEqual([1, 3, 224, 224]);
    expect(network.featureShape).toEqual([1, 1024, 7, 7]);
    expect(network.outputShapes).toEqual({ probabilities: [1, 14], cams: [1, 14, 7, 7] });
    const outputs = await runOnImage(network);
    expect(outputs.probabilities.dims).toEqual([1, 14]);
    expect(outputs.cams.dims).toEqual([1, 14, 7, 7]);
    const probabilities = Array.from(outputs.probabilities.data);
    expect(probabilities.every((p) => p >= 0 && p <= 1)).toBe(true);
    expect(new Set(probabilities.map((p) => p.toFixed(3))).size).toBeGreaterThan(7); // not all the same
    const cams = Array.from(outputs.cams.data);
    expect(cams.every(Number.isFinite)).toBe(true);
    expect(cams.some((value) => value > 0)).toBe(true);
  });
});
