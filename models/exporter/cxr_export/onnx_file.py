"""ONNX export of the probabilities-and-CAMs module, the fp16 weight option, and the file hash."""

import hashlib
import inspect
import io
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

from .errors import ExportError

OPSET = 13  # the newest torch 1.13 exports well; current PyTorch's TorchScript exporter accepts it too
INPUT_NAME = "image"
PROBABILITIES_NAME = "probabilities"
CAMS_NAME = "cams"
# Only convolution and linear weights (2-D and up) are halved. BatchNorm vectors and biases stay float32:
# they are a few kB in all, and rounding BatchNorm statistics costs more accuracy than all weights together.
_FP16_MIN_ELEMENTS = 1024
_FP16_MAX = 65504.0


def export_onnx(module: torch.nn.Module, input_shape: Sequence[int], metadata: dict[str, str]) -> bytes:
    """TorchScript-based export with fixed shapes; never the dynamo exporter (absent from torch 1.13)."""
    kwargs = dict(
        opset_version=OPSET,
        input_names=[INPUT_NAME],
        output_names=[PROBABILITIES_NAME, CAMS_NAME],
        do_constant_folding=True,
    )
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False  # PyTorch >= 2.9 defaults to the dynamo exporter
    buffer = io.BytesIO()
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module.eval(), torch.zeros(*input_shape), buffer, **kwargs)
    model = onnx.load_from_string(buffer.getvalue())
    for key, value in metadata.items():
        model.metadata_props.add(key=key, value=value)
    onnx.checker.check_model(model)
    return model.SerializeToString()


def to_fp16_weights(model_bytes: bytes) -> bytes:
    """Stores large float32 initializers as float16, each followed by a Cast back to float32.

    The arithmetic stays float32 (onnxruntime-web's WASM backend has few float16 kernels); only
    the download halves.
    """
    model = onnx.load_from_string(model_bytes)
    graph = model.graph
    casts = []
    for init in graph.initializer:
        if init.data_type != TensorProto.FLOAT or len(init.dims) < 2 or int(np.prod(init.dims)) < _FP16_MIN_ELEMENTS:
            continue
        values = numpy_helper.to_array(init)
        peak = float(np.abs(values).max())
        if peak > _FP16_MAX:
            raise ExportError(
                f"Weight {init.name} reaches {peak:.4g}, beyond float16's range; export without --fp16-weights."
            )
        name = init.name
        stored_name = f"{name}__fp16"
        init.CopyFrom(numpy_helper.from_array(values.astype(np.float16), stored_name))
        casts.append(
            helper.make_node("Cast", [stored_name], [name], to=TensorProto.FLOAT, name=f"{stored_name}_to_float")
        )
    if not casts:
        raise ExportError("The model has no float32 weights to store as float16.")
    nodes = list(graph.node)
    del graph.node[:]
    graph.node.extend(casts + nodes)
    onnx.checker.check_model(model)
    return model.SerializeToString()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
