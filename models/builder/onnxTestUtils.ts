/**
 * Helpers for the tests beside this file: decode models, read weights, cut subgraphs, and run
 * models with onnxruntime-web. Not part of the public API.
 *
 * onnxruntime-web's Node build loads its WebAssembly glue with a dynamic import(): jest runs with
 * NODE_OPTIONS=--experimental-vm-modules (see package.json) so it can run in-process.
 */
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-web';
import { attribute, OnnxGraphWriter } from './OnnxGraphWriter';
import type { DenseNetConfig } from './densenet';
import { densenet121Config } from './densenet';

/** A tiny DenseNet (two blocks, 16 feature channels at 4 x 4) that builds and runs in milliseconds. */
export const tinyDenseNetConfig: DenseNetConfig = {
  ...densenet121Config,
  inputSize: [32, 32],
  initFeatures: 8,
  growthRate: 4,
  bnSize: 4,
  blockLayers: [2, 2],
  numClasses: 5,
  calibrationSize: [32, 32],
  seed: 7,
  exposeFeatures: true,
};

export interface FloatTensor {
  dims: number[];
  data: Float32Array;
}
export type Feeds = Record<string, FloatTensor>;

/** Runs `modelBytes` once per entry of `runs` (same session) and returns every output of each run. */
export async function runModel(modelBytes: Uint8Array, runs: Feeds[]): Promise<Feeds[]> {
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(modelBytes.slice());
  try {
    const results: Feeds[] = [];
    for (const feeds of runs) {
      const tensors = Object.fromEntries(
        Object.entries(feeds).map(([name, t]) => [name, new ort.Tensor('float32', t.data, t.dims)]),
      );
      const outputs = await session.run(tensors);
      results.push(
        Object.fromEntries(
          Object.entries(outputs).map(([name, t]) => [
            name,
            { dims: [...t.dims], data: new Float32Array(t.data as Float32Array) },
          ]),
        ),
      );
    }
    return results;
  } finally {
    await session.release();
  }
}

export function decodeModel(bytes: Uint8Array): onnx.ModelProto {
  return onnx.ModelProto.decode(bytes);
}

export function graphOf(model: onnx.ModelProto): onnx.IGraphProto {
  if (!model.graph) throw new Error('model has no graph');
  return model.graph;
}

export function findInitializer(model: onnx.ModelProto, name: string): onnx.ITensorProto {
  const tensor = graphOf(model).initializer?.find((candidate) => candidate.name === name);
  if (!tensor) throw new Error(`no initializer ${name}`);
  return tensor;
}

export function dimsOf(tensor: onnx.ITensorProto): number[] {
  return (tensor.dims ?? []).map(Number);
}

/** Float32 values of an initializer stored as little-endian raw_data. */
export function floatValues(tensor: onnx.ITensorProto): Float32Array {
  const raw = tensor.rawData;
  if (!raw || tensor.dataType !== onnx.TensorProto.DataType.FLOAT)
    throw new Error(`${tensor.name} is not raw float data`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return Float32Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getFloat32(4 * i, true));
}

/** Dims of a graph input or output as declared in the model. */
export function declaredDims(info: onnx.IValueInfoProto): number[] {
  return (info.type?.tensorType?.shape?.dim ?? []).map((dim) => Number(dim.dimValue));
}

export function nodesOfType(model: onnx.ModelProto, opType: string): onnx.INodeProto[] {
  return (graphOf(model).node ?? []).filter((node) => node.opType === opType);
}

export function intAttribute(node: onnx.INodeProto, name: string): number | undefined {
  const found = node.attribute?.find((candidate) => candidate.name === name);
  return found?.i === undefined || found.i === null ? undefined : Number(found.i);
}

/**
 * A new model computing `outputs` from tensor `from` (fed as a graph input with `fromDims`):
 * the backward slice of the original graph, with the initializers it reads.
 */
export function extractSubgraph(
  model: onnx.ModelProto,
  from: FloatTensor & { name: string },
  outputs: Array<{ name: string; dims: number[] }>,
): Uint8Array {
  const graph = graphOf(model);
  const needed = new Set(outputs.map((output) => output.name));
  const keptNodes: onnx.INodeProto[] = [];
  for (const node of [...(graph.node ?? [])].reverse()) {
    if (!(node.output ?? []).some((name) => needed.has(name))) continue;
    keptNodes.unshift(node);
    for (const input of node.input ?? []) if (input !== from.name) needed.add(input);
  }

  const writer = new OnnxGraphWriter('subgraph');
  writer.addInput(from.name, from.dims);
  for (const tensor of graph.initializer ?? []) {
    if (!needed.has(tensor.name ?? '')) continue;
    const dims = dimsOf(tensor);
    if (tensor.dataType === onnx.TensorProto.DataType.FLOAT) {
      writer.addInitializer(tensor.name ?? '', dims, floatValues(tensor));
    } else {
      const raw = tensor.rawData ?? new Uint8Array();
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      writer.addInitializer(
        tensor.name ?? '',
        dims,
        BigInt64Array.from({ length: raw.byteLength / 8 }, (_, i) => view.getBigInt64(8 * i, true)),
      );
    }
  }
  for (const node of keptNodes) {
    const attributes = Object.fromEntries(
      (node.attribute ?? []).map((a) => [
        a.name ?? '',
        a.type === onnx.AttributeProto.AttributeType.INTS
          ? attribute.ints((a.ints ?? []).map(Number))
          : a.type === onnx.AttributeProto.AttributeType.FLOAT
            ? attribute.float(a.f ?? 0)
            : attribute.int(Number(a.i ?? 0)),
      ]),
    );
    writer.addNode(node.opType ?? '', node.input ?? [], node.output ?? [], attributes);
  }
  for (const output of outputs) writer.addOutput(output.name, output.dims);
  return writer.toBytes({ producerName: 'test-subgraph', producerVersion: '1' });
}

/** Deterministic test input with values in roughly [-2, 2], like a normalised image. */
export function pseudoRandomImage(dims: number[], seed: number): Float32Array {
  let state = seed >>> 0;
  return Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32) * 4 - 2;
  });
}
