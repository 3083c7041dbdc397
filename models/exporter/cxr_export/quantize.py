"""Dynamic int8 quantisation of the exported graph, written with the onnx package alone.

onnxruntime's Python quantisation tool is not available here, so this writes what its
`quantize_dynamic` writes for a convolution: every Conv with constant weights becomes

    DynamicQuantizeLinear(x) -> x_q (uint8), x_scale, x_zero_point     (per run, per tensor)
    ConvInteger(x_q, w_q, x_zero_point, 128) -> int32
    Cast(float) * (x_scale * w_scale[c]) (+ bias)

with the weights stored as uint8, symmetric per output channel (scale max|w_c| / 127, zero point
128). Everything else (BatchNorm, pooling, the classifier and the CAM head) stays float32.
onnxruntime-web's WASM backend and onnxruntime-node run it with their CPU kernels.

    /usr/bin/python3 -m cxr_export.quantize in.onnx out.onnx
"""

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from .errors import ExportError

WEIGHT_ZERO_POINT = 128
_CONV_ATTRIBUTES = ("dilations", "group", "kernel_shape", "pads", "strides", "auto_pad")


def _quantize_weights(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """uint8 weights (zero point 128) and the float32 scale of each output channel."""
    channels = weights.shape[0]
    peak = np.abs(weights.reshape(channels, -1)).max(axis=1).astype(np.float64)
    scale = np.where(peak > 0, peak / 127.0, 1.0)
    shape = (channels,) + (1,) * (weights.ndim - 1)
    levels = np.clip(np.round(weights / scale.reshape(shape)), -127, 127)
    return (levels + WEIGHT_ZERO_POINT).astype(np.uint8), scale.astype(np.float32)


def quantize_dynamic_int8(model_bytes: bytes, select: Callable[[onnx.NodeProto], bool] = lambda node: True) -> bytes:
    """The same graph with every constant-weight Conv that `select` accepts dynamically quantised."""
    model = onnx.load_from_string(model_bytes)
    graph = model.graph
    initializers = {init.name: init for init in graph.initializer}
    nodes = []
    replaced: set[str] = set()
    quantized = 0
    w_zero = f"conv_int8__w_zero_point_{WEIGHT_ZERO_POINT}"
    graph.initializer.append(numpy_helper.from_array(np.array(WEIGHT_ZERO_POINT, dtype=np.uint8), w_zero))
    for index, node in enumerate(graph.node):
        weight = initializers.get(node.input[1]) if node.op_type == "Conv" and len(node.input) > 1 else None
        if weight is None or weight.data_type != TensorProto.FLOAT or not select(node):
            nodes.append(node)
            continue
        quantized += 1
        stem = f"conv_int8_{index}"
        w_q, w_scale = _quantize_weights(numpy_helper.to_array(weight))
        channels = w_q.shape[0]
        graph.initializer.extend(
            [
                numpy_helper.from_array(w_q, f"{stem}__w_q"),
                numpy_helper.from_array(w_scale.reshape(1, channels, 1, 1), f"{stem}__w_scale"),
            ]
        )
        replaced.add(weight.name)
        x, y = node.input[0], node.output[0]
        attributes = [a for a in node.attribute if a.name in _CONV_ATTRIBUTES]
        conv = helper.make_node(
            "ConvInteger", [f"{stem}__x_q", f"{stem}__w_q", f"{stem}__x_zp", w_zero], [f"{stem}__y32"], name=stem
        )
        conv.attribute.extend(attributes)
        nodes.extend(
            [
                helper.make_node(
                    "DynamicQuantizeLinear",
                    [x],
                    [f"{stem}__x_q", f"{stem}__x_scale", f"{stem}__x_zp"],
                    name=f"{stem}_quantize_input",
                ),
                conv,
                helper.make_node("Cast", [f"{stem}__y32"], [f"{stem}__yf"], to=TensorProto.FLOAT, name=f"{stem}_cast"),
                helper.make_node(
                    "Mul", [f"{stem}__x_scale", f"{stem}__w_scale"], [f"{stem}__scale"], name=f"{stem}_scale"
                ),
            ]
        )
        has_bias = len(node.input) > 2 and node.input[2]
        scaled = f"{stem}__scaled" if has_bias else y
        nodes.append(helper.make_node("Mul", [f"{stem}__yf", f"{stem}__scale"], [scaled], name=f"{stem}_rescale"))
        if has_bias:
            bias = initializers.get(node.input[2])
            if bias is None:
                raise ExportError(f"Conv {node.name or index} has a bias that is not a constant; cannot quantise it.")
            bias_name = f"{stem}__bias"
            replaced.add(bias.name)
            graph.initializer.append(
                numpy_helper.from_array(numpy_helper.to_array(bias).reshape(1, channels, 1, 1), bias_name)
            )
            nodes.append(helper.make_node("Add", [scaled, bias_name], [y], name=f"{stem}_bias"))
    if quantized == 0:
        raise ExportError("The model has no convolution with constant float32 weights to quantise.")
    # The float32 weights and biases that no node reads any more go (a weight shared with another node stays).
    still_used = {name for node in nodes for name in node.input}
    keep = [i for i in graph.initializer if i.name not in replaced or i.name in still_used]
    del graph.initializer[:]
    graph.initializer.extend(keep)
    del graph.node[:]
    graph.node.extend(nodes)
    # ConvInteger and DynamicQuantizeLinear are opset 10/11 operators; the graph's opset 13 has them.
    onnx.checker.check_model(model)
    return model.SerializeToString()


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python3 -m cxr_export.quantize <in.onnx> <out.onnx>", file=sys.stderr)
        return 2
    source, target = Path(argv[0]), Path(argv[1])
    target.write_bytes(quantize_dynamic_int8(source.read_bytes()))
    print(f"{target}: {target.stat().st_size / 1e6:.1f} MB (float32 {source.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
