/**
 * A small ONNX graph writer on top of the protobufjs classes from `onnx-proto`.
 * It collects inputs, initializers, nodes and outputs in insertion order and encodes them
 * once, so the same calls always give byte-identical model files.
 */
import { onnx } from 'onnx-proto';

/** The ai.onnx operator set every node is written against. */
export const ONNX_OPSET_VERSION = 13;
/** IR version 7 is the one that introduced opset 13 (ONNX 1.8), the oldest that can hold it. */
export const ONNX_IR_VERSION = 7;

/** A typed attribute value; build them with the `attribute` helpers so int and float never get confused. */
export type AttributeValue =
  { kind: 'int'; value: number } | { kind: 'ints'; value: number[] } | { kind: 'float'; value: number };

export const attribute = {
  int: (value: number): AttributeValue => ({ kind: 'int', value }),
  ints: (value: number[]): AttributeValue => ({ kind: 'ints', value }),
  float: (value: number): AttributeValue => ({ kind: 'float', value }),
};

export type Attributes = Record<string, AttributeValue>;

/** Tensor data the writer stores: float32 weights or int64 shape constants. */
export type TensorData = Float32Array | BigInt64Array;

export interface ModelMetadata {
  producerName: string;
  producerVersion: string;
  docString?: string;
  /** Extra key/value strings stored in the model (ModelProto.metadata_props), in this order. */
  properties?: Array<[string, string]>;
}

export class OnnxGraphWriter {
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly nodes: onnx.INodeProto[] = [];
  /** Every tensor name defined so far (inputs, initializers, node outputs): each may be defined once. */
  private readonly definedTensors = new Set<string>();
  private readonly usedNodeNames = new Set<string>();

  constructor(private readonly graphName: string) {}

  /** Declares a float32 graph input; returns its name for use as a node input. */
  addInput(name: string, dims: number[]): string {
    this.define(name);
    this.inputs.push(floatValueInfo(name, dims));
    return name;
  }

  /** Marks an already defined tensor as a float32 graph output. */
  addOutput(name: string, dims: number[]): void {
    if (!this.definedTensors.has(name)) {
      throw new Error(`output "${name}" is not produced by the graph`);
    }
    this.outputs.push(floatValueInfo(name, dims));
  }

  /** Adds a constant tensor (weights, shapes); returns its name. */
  addInitializer(name: string, dims: number[], data: TensorData): string {
    const elementCount = dims.reduce((product, dim) => product * dim, 1);
    if (elementCount !== data.length) {
      throw new Error(`initializer "${name}": dims [${dims}] hold ${elementCount} values, got ${data.length}`);
    }
    this.define(name);
    this.initializers.push({
      name,
      dims,
      dataType: data instanceof Float32Array ? onnx.TensorProto.DataType.FLOAT : onnx.TensorProto.DataType.INT64,
      rawData: littleEndianBytes(data),
    });
    return name;
  }

  /**
   * Appends a node. Nodes must come in topological order (inputs defined before use), which
   * is how a builder naturally writes them. Returns the first output name.
   */
  addNode(opType: string, inputs: string[], outputs: string[], attributes: Attributes = {}): string {
    for (const input of inputs) {
      if (!this.definedTensors.has(input)) {
        throw new Error(`${opType} node reads "${input}" before it is defined`);
      }
    }
    outputs.forEach((output) => this.define(output));
    this.nodes.push({
      name: this.uniqueNodeName(`${opType}_${outputs[0]}`),
      opType,
      input: inputs,
      output: outputs,
      // Sorted so attribute order never depends on how the caller spelled the object.
      attribute: Object.keys(attributes)
        .sort()
        .map((key) => encodeAttribute(key, attributes[key])),
    });
    return outputs[0];
  }

  /** Encodes the whole model as ONNX protobuf bytes. */
  toBytes(metadata: ModelMetadata): Uint8Array {
    if (this.outputs.length === 0) {
      throw new Error('graph has no outputs');
    }
    const model: onnx.IModelProto = {
      irVersion: ONNX_IR_VERSION,
      opsetImport: [{ domain: '', version: ONNX_OPSET_VERSION }],
      producerName: metadata.producerName,
      producerVersion: metadata.producerVersion,
      docString: metadata.docString ?? '',
      metadataProps: (metadata.properties ?? []).map(([key, value]) => ({ key, value })),
      graph: {
        name: this.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    };
    return onnx.ModelProto.encode(model).finish();
  }

  private define(name: string): void {
    if (name.length === 0) {
      throw new Error('tensor names must not be empty');
    }
    if (this.definedTensors.has(name)) {
      throw new Error(`tensor "${name}" is defined twice`);
    }
    this.definedTensors.add(name);
  }

  private uniqueNodeName(base: string): string {
    let name = base;
    for (let suffix = 1; this.usedNodeNames.has(name); suffix++) {
      name = `${base}_${suffix}`;
    }
    this.usedNodeNames.add(name);
    return name;
  }
}

function floatValueInfo(name: string, dims: number[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: dims.map((dimValue) => ({ dimValue })) },
      },
    },
  };
}

function encodeAttribute(name: string, value: AttributeValue): onnx.IAttributeProto {
  switch (value.kind) {
    case 'int':
      return { name, type: onnx.AttributeProto.AttributeType.INT, i: value.value };
    case 'ints':
      return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: value.value };
    case 'float':
      return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value.value };
  }
}

/** ONNX raw_data is little-endian whatever the host; DataView makes that explicit. */
function littleEndianBytes(data: TensorData): Uint8Array {
  const bytes = new Uint8Array(data.length * data.BYTES_PER_ELEMENT);
  const view = new DataView(bytes.buffer);
  if (data instanceof Float32Array) {
    data.forEach((value, index) => view.setFloat32(index * 4, value, true));
  } else {
    data.forEach((value, index) => view.setBigInt64(index * 8, value, true));
  }
  return bytes;
}
