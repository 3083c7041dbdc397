/**
 * The builder calibrates BatchNorm statistics with these JS layers, so they must agree with
 * what onnxruntime computes for the same nodes; otherwise the BN statistics would be wrong.
 */
import { attribute, OnnxGraphWriter } from './OnnxGraphWriter';
import { concatChannels, conv2d, type FeatureMap, pool, type WindowGeometry, windowOutputSize } from './featureMap';
import { pseudoRandomImage, runModel } from './onnxTestUtils';
import { SeededRandom } from './random';

jest.setTimeout(30_000);

function featureMap(batch: number, channels: number, height: number, width: number, seed: number): FeatureMap {
  return { batch, channels, height, width, data: pseudoRandomImage([batch, channels, height, width], seed) };
}

async function runSingleNode(
  opType: string,
  input: FeatureMap,
  geometry: WindowGeometry,
  weight?: { data: Float32Array; outChannels: number },
): Promise<Float32Array> {
  const { kernel, stride, pad } = geometry;
  const writer = new OnnxGraphWriter('single');
  const dims = [input.batch, input.channels, input.height, input.width];
  writer.addInput('x', dims);
  const inputs = ['x'];
  if (weight)
    inputs.push(writer.addInitializer('w', [weight.outChannels, input.channels, kernel, kernel], weight.data));
  writer.addNode(opType, inputs, ['y'], {
    kernel_shape: attribute.ints([kernel, kernel]),
    strides: attribute.ints([stride, stride]),
    pads: attribute.ints([pad, pad, pad, pad]),
  });
  const outHeight = windowOutputSize(input.height, kernel, stride, pad);
  const outWidth = windowOutputSize(input.width, kernel, stride, pad);
  writer.addOutput('y', [input.batch, weight?.outChannels ?? input.channels, outHeight, outWidth]);
  const [outputs] = await runModel(writer.toBytes({ producerName: 'test', producerVersion: '1' }), [
    { x: { dims, data: input.data } },
  ]);
  return outputs.y.data;
}

function expectClose(actual: Float32Array, expected: Float32Array, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  actual.forEach((value, i) => (worst = Math.max(worst, Math.abs(value - expected[i]))));
  expect(worst).toBeLessThan(tolerance);
}

describe('featureMap layers agree with onnxruntime', () => {
  const geometries: Array<[string, WindowGeometry, number]> = [
    ['stem 7x7 stride 2 pad 3', { kernel: 7, stride: 2, pad: 3 }, 3],
    ['3x3 pad 1', { kernel: 3, stride: 1, pad: 1 }, 10],
    ['1x1 (pointwise, odd channel count)', { kernel: 1, stride: 1, pad: 0 }, 13],
  ];
  it.each(geometries)('Conv %s', async (_, geometry, channels) => {
    const input = featureMap(2, channels, 11, 9, 3);
    const outChannels = 5;
    const weight = new SeededRandom(4).normalArray(outChannels * channels * geometry.kernel ** 2, 0.2);
    expectClose(
      conv2d(input, weight, outChannels, geometry).data,
      await runSingleNode('Conv', input, geometry, { data: weight, outChannels }),
      1e-4,
    );
  });

  it('MaxPool 3x3 stride 2 pad 1 and AveragePool 2x2 stride 2 (odd sizes floor)', async () => {
    const input = featureMap(2, 3, 9, 7, 5);
    const maxGeometry = { kernel: 3, stride: 2, pad: 1 };
    const averageGeometry = { kernel: 2, stride: 2, pad: 0 };
    expectClose(pool(input, 'max', maxGeometry).data, await runSingleNode('MaxPool', input, maxGeometry), 1e-6);
    expectClose(
      pool(input, 'average', averageGeometry).data,
      await runSingleNode('AveragePool', input, averageGeometry),
      1e-6,
    );
  });

  it('concatenates along channels per batch item', () => {
    const a: FeatureMap = { batch: 2, channels: 1, height: 1, width: 2, data: Float32Array.of(1, 2, 3, 4) };
    const b: FeatureMap = {
      batch: 2,
      channels: 2,
      height: 1,
      width: 2,
      data: Float32Array.of(5, 6, 7, 8, 9, 10, 11, 12),
    };
    expect(Array.from(concatChannels([a, b]).data)).toEqual([1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12]);
  });
});
