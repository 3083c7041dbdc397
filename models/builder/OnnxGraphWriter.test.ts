import { onnx } from 'onnx-proto';
import { attribute, ONNX_IR_VERSION, ONNX_OPSET_VERSION, OnnxGraphWriter } from './OnnxGraphWriter';
import { decodeModel, runModel } from './onnxTestUtils';

jest.setTimeout(30_000);

const metadata = { producerName: 'test', producerVersion: '1' };

/** y = Relu(Conv3x3(x, w) with pad 1) on a 1x1x3x3 input; the kernel picks the centre tap minus the left one. */
function writeCentreMinusLeft(): Uint8Array {
  const writer = new OnnxGraphWriter('conv-test');
  writer.addInput('x', [1, 1, 3, 3]);
  const kernel = new Float32Array(9);
  kernel[4] = 1; // centre
  kernel[3] = -1; // left neighbour
  writer.addInitializer('w', [1, 1, 3, 3], kernel);
  writer.addNode('Conv', ['x', 'w'], ['conv'], {
    pads: attribute.ints([1, 1, 1, 1]),
    kernel_shape: attribute.ints([3, 3]),
  });
  writer.addNode('Relu', ['conv'], ['y']);
  writer.addOutput('y', [1, 1, 3, 3]);
  return writer.toBytes(metadata);
}

describe('OnnxGraphWriter', () => {
  it('writes an opset 13 model that onnxruntime-web runs correctly', async () => {
    const bytes = writeCentreMinusLeft();
    const model = decodeModel(bytes);
    expect(Number(model.irVersion)).toBe(ONNX_IR_VERSION);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', ONNX_OPSET_VERSION]]);

    const x = Float32Array.of(1, 5, 2, 0, 3, 9, 4, 4, 1);
    const [outputs] = await runModel(bytes, [{ x: { dims: [1, 1, 3, 3], data: x } }]);
    // Row by row: x[r][c] - x[r][c-1] (left padding is 0), clipped at 0.
    expect(Array.from(outputs.y.data)).toEqual([1, 4, 0, 0, 3, 6, 4, 0, 0]);
    expect(outputs.y.dims).toEqual([1, 1, 3, 3]);
  });

  it('is deterministic and writes attributes in sorted order', () => {
    expect(Buffer.compare(writeCentreMinusLeft(), writeCentreMinusLeft())).toBe(0);
    const conv = decodeModel(writeCentreMinusLeft()).graph?.node?.[0];
    expect(conv?.attribute?.map((a) => a.name)).toEqual(['kernel_shape', 'pads']);
    expect(conv?.attribute?.[0].type).toBe(onnx.AttributeProto.AttributeType.INTS);
  });

  it('stores float and int64 initializers as little-endian raw data', () => {
    const writer = new OnnxGraphWriter('g');
    writer.addInitializer('f', [2], Float32Array.of(1, -2));
    writer.addInitializer('i', [2], BigInt64Array.of(3n, -1n));
    writer.addInput('x', [1]);
    writer.addNode('Identity', ['x'], ['y']);
    writer.addOutput('y', [1]);
    const [floats, ints] = decodeModel(writer.toBytes(metadata)).graph?.initializer ?? [];
    expect(floats.dataType).toBe(onnx.TensorProto.DataType.FLOAT);
    expect(Array.from(floats.rawData ?? [])).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]);
    expect(ints.dataType).toBe(onnx.TensorProto.DataType.INT64);
    expect(Array.from(ints.rawData ?? [])).toEqual([3, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255]);
  });

  it('refuses malformed graphs', () => {
    const writer = new OnnxGraphWriter('g');
    writer.addInput('x', [1]);
    expect(() => writer.addInput('x', [1])).toThrow(/defined twice/);
    expect(() => writer.addNode('Relu', ['missing'], ['y'])).toThrow(/before it is defined/);
    expect(() => writer.addOutput('nowhere', [1])).toThrow(/not produced/);
    expect(() => writer.addInitializer('w', [2, 2], new Float32Array(3))).toThrow(/hold 4 values/);
    expect(() => writer.toBytes(metadata)).toThrow(/no outputs/);
  });
});
