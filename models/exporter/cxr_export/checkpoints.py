"""Reads a checkpoint in one of the supported layouts into canonical weights plus the original model.

Layouts:
- chexnet, state dict: `{'state_dict': {...}}` as arnoweng/CheXNet's `model.pth.tar` (with
  `module.densenet121.` prefixes and pre-0.3 torchvision names), or a bare state dict;
- chexnet, whole model: `{'model': DenseNet, ...}` as jrzech/reproduce-chexnet's `checkpoint`
  (torchvision DenseNet, classifier `Sequential(Linear, Sigmoid)`), or a bare pickled model;
- torchxrayvision: a whole pickled `torchxrayvision.models.DenseNet` (how its training script and
  released weights save it), or its state dict; `op_threshs` is read from either.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn as nn

from . import txv_layout
from .architecture import densenet121, expected_shapes
from .contract import NIH_FINDINGS
from .errors import CheckpointError
from .safe_unpickle import load_checkpoint_file
from .state_dict_keys import CanonicalWeights, canonicalize, head_shape

FORMATS = ("chexnet", "torchxrayvision")
_STATE_DICT_ENTRIES = ("state_dict", "model_state_dict", "model", "net")


@dataclass
class ReferenceModel:
    """The checkpoint's own model, run the classic way for the proof: A is `features`' output after
    the in-place final ReLU, the logits are `logits_layer`'s output."""

    module: nn.Module
    features: nn.Module
    logits_layer: nn.Linear
    origin: str


@dataclass
class LoadedCheckpoint:
    path: Path
    sha256: str
    format: str
    layout: str
    whole_model: bool
    """A pickled model (as reproduce-chexnet and torchxrayvision save), not a state dict."""
    weights: CanonicalWeights
    reference: ReferenceModel
    labels: list[str]
    op_threshs: list[float] | None
    notes: list[str] = field(default_factory=list)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _is_state_dict(value: Any) -> bool:
    return (
        isinstance(value, Mapping)
        and len(value) > 0
        and all(isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in value.items())
    )


def _unwrap(obj: Any) -> Any:
    """The model or state dict inside a training checkpoint."""
    if isinstance(obj, nn.DataParallel):
        return obj.module
    if isinstance(obj, nn.Module) or _is_state_dict(obj):
        return obj
    if isinstance(obj, Mapping):
        for key in _STATE_DICT_ENTRIES:
            if key in obj:
                return _unwrap(obj[key])
        raise CheckpointError(
            "The checkpoint holds neither a state dict nor a model: its top-level keys are "
            f"{', '.join(map(str, obj.keys()))} (expected one of {', '.join(_STATE_DICT_ENTRIES)}, or tensors)."
        )
    raise CheckpointError(f"The checkpoint holds a {type(obj).__name__}, not a state dict or a model.")


def _state_dict_of(module: nn.Module) -> Mapping[str, torch.Tensor]:
    for sub in module.modules():  # pickles from PyTorch < 1.6 lack this attribute
        if not hasattr(sub, "_non_persistent_buffers_set"):
            sub._non_persistent_buffers_set = set()
    return module.state_dict()


def _canonical(raw: Mapping[str, torch.Tensor]) -> CanonicalWeights:
    in_channels, outputs = head_shape(raw)
    return canonicalize(raw, expected_shapes(in_channels, outputs))


def _linear_of(classifier: nn.Module) -> nn.Linear:
    if isinstance(classifier, nn.Linear):
        return classifier
    if isinstance(classifier, nn.Sequential) and isinstance(classifier[0], nn.Linear):
        return classifier[0]
    raise CheckpointError(
        f"The model's classifier is a {type(classifier).__name__}; expected Linear or Sequential(Linear, ...)."
    )


def _torchvision_reference(weights: CanonicalWeights, origin: str) -> ReferenceModel:
    """CheXNet's architecture (torchvision DenseNet-121 + its head) loaded strictly with the weights."""
    model = densenet121(weights.in_channels, weights.num_classes, sequential_head=weights.head_has_sigmoid)
    state = dict(weights.state_dict)
    if weights.head_has_sigmoid:
        state = {
            name.replace("classifier.", "classifier.0.", 1) if name.startswith("classifier.") else name: t
            for name, t in state.items()
        }
    model.load_state_dict(state, strict=True)
    return ReferenceModel(model.eval(), model.features, _linear_of(model.classifier), origin)


def _txv_reference(weights: CanonicalWeights, origin: str) -> ReferenceModel:
    model = txv_layout.DenseNet(num_classes=weights.num_classes, in_channels=weights.in_channels)
    model.load_state_dict(weights.state_dict, strict=True)  # op_threshs is kept apart, as None here
    return ReferenceModel(model.eval(), model.features, model.classifier, origin)


def _pickled_reference(module: nn.Module, origin: str) -> ReferenceModel:
    features = getattr(module, "features", None)
    if not isinstance(features, nn.Module):
        raise CheckpointError(f"The pickled {type(module).__name__} has no 'features' module; it is not a DenseNet.")
    return ReferenceModel(module.eval(), features, _linear_of(getattr(module, "classifier", None)), origin)


def _thresholds_list(op_threshs: torch.Tensor | None) -> list[float] | None:
    """As decimals: the shortest text that gives back each stored value (0.2, not 0.20000000298...)."""
    if op_threshs is None:
        return None
    values = op_threshs.detach().cpu().flatten().numpy()
    return [float(np.format_float_positional(v, unique=True, trim="-")) for v in values]


def load(path: Path, fmt: str) -> LoadedCheckpoint:
    if fmt not in FORMATS:
        raise CheckpointError(f"Unknown format {fmt!r}: use one of {', '.join(FORMATS)}.")
    content = _unwrap(load_checkpoint_file(path))
    whole_model = isinstance(content, nn.Module)
    raw = _state_dict_of(content) if whole_model else content
    weights = _canonical(raw)
    notes: list[str] = []
    if weights.renamed_old_layer_names:
        notes.append("renamed pre-0.3 torchvision layer names (norm.1 -> norm1, ...)")
    is_txv_class = whole_model and isinstance(content, txv_layout.DenseNet)

    if fmt == "chexnet":
        if is_txv_class:
            raise CheckpointError("This is a torchxrayvision model; export it with --format torchxrayvision.")
        if weights.in_channels != 3:
            raise CheckpointError(
                f"CheXNet models take 3-channel input; this checkpoint's conv0 takes {weights.in_channels}."
            )
        if whole_model and not weights.renamed_old_layer_names:
            reference = _pickled_reference(content, f"the pickled {type(content).__module__}.{type(content).__name__}")
            layout = "chexnet whole pickled model (jrzech/reproduce-chexnet)"
        else:
            # A model pickled with torchvision < 0.3 cannot run on today's torchvision: rebuild it.
            reference = _torchvision_reference(
                weights, "torchvision DenseNet-121 with the checkpoint's head, loaded strictly"
            )
            layout = (
                "chexnet whole pickled model, pre-0.3 torchvision (rebuilt)"
                if whole_model
                else "chexnet state dict (arnoweng/CheXNet)"
            )
        labels = list(NIH_FINDINGS) if weights.num_classes == len(NIH_FINDINGS) else []
        op_threshs = _thresholds_list(weights.op_threshs)
    else:
        if whole_model and not is_txv_class:
            raise CheckpointError(
                f"This is a pickled {type(content).__module__}.{type(content).__name__}, "
                "not a torchxrayvision DenseNet; "
                "use --format chexnet for torchvision models."
            )
        if is_txv_class:
            reference = _pickled_reference(content, "the pickled torchxrayvision.models.DenseNet")
            labels = [
                str(t) for t in getattr(content, "targets", getattr(content, "pathologies", txv_layout.DEFAULT_TARGETS))
            ]
            layout = "torchxrayvision whole pickled model"
        else:
            reference = _txv_reference(weights, "torchxrayvision's DenseNet layout, loaded strictly")
            labels = list(txv_layout.DEFAULT_TARGETS)
            layout = "torchxrayvision state dict"
        if len(labels) != weights.num_classes:
            labels = []  # the names must then come from --labels
        op_threshs = _thresholds_list(weights.op_threshs)
        if op_threshs is not None and len(op_threshs) != weights.num_classes:
            raise CheckpointError(
                f"op_threshs has {len(op_threshs)} values but the classifier has {weights.num_classes} outputs."
            )
    return LoadedCheckpoint(
        path=path,
        sha256=file_sha256(path),
        format=fmt,
        layout=layout,
        whole_model=whole_model,
        weights=weights,
        reference=reference,
        labels=labels,
        op_threshs=op_threshs,
        notes=notes,
    )
