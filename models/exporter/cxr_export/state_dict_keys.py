"""Maps the key spellings of DenseNet-121 checkpoints onto torchvision's, and says exactly which
keys do not fit.

Spellings met in the wild:
- a prefix before `features.`: `module.` (nn.DataParallel), `module.densenet121.` (arnoweng/CheXNet's
  wrapper class), none (torchvision, torchxrayvision);
- dense layers named `norm.1`, `relu.1`, `conv.1`, ... (torchvision before 0.3, as in CheXNet
  checkpoints from 2017-2018) instead of `norm1`, `conv1`, ...;
- the head as `classifier.0.*` (a `Sequential(Linear, Sigmoid)`) or `classifier.*` (a `Linear`);
- torchxrayvision's `op_threshs` buffer beside the weights.
"""

import re
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

import torch

from .errors import CheckpointError

ANCHOR = "features.conv0.weight"
_OLD_LAYER_NAME = re.compile(r"(denselayer\d+)\.(norm|relu|conv)\.([12])\.")
_SEQUENTIAL_HEAD = re.compile(r"^classifier\.0\.(weight|bias)$")
OP_THRESHS = "op_threshs"
# Absent from checkpoints written before PyTorch 0.4.1; the exporter never needs them.
_OPTIONAL_SUFFIX = ".num_batches_tracked"


@dataclass
class CanonicalWeights:
    """A checkpoint's tensors under torchvision DenseNet-121 names (`features.*`, `classifier.*`)."""

    state_dict: "OrderedDict[str, torch.Tensor]"
    in_channels: int
    num_classes: int
    op_threshs: torch.Tensor | None
    head_has_sigmoid: bool
    prefix: str
    renamed_old_layer_names: bool


def _find_prefix(keys: list[str]) -> str:
    anchors = [key for key in keys if key.endswith(ANCHOR)]
    if len(anchors) != 1:
        shown = ", ".join(keys[:8]) + (" ..." if len(keys) > 8 else "")
        found = "no key" if not anchors else f"{len(anchors)} keys"
        raise CheckpointError(
            f"This is not a DenseNet-121 checkpoint: {found} ending in '{ANCHOR}' "
            f"(its {len(keys)} keys start: {shown})."
        )
    return anchors[0][: -len(ANCHOR)]


def _canonical_name(key: str) -> tuple[str, bool, bool]:
    """(torchvision name, renamed an old layer name, was a Sequential head)."""
    renamed = _OLD_LAYER_NAME.sub(r"\1.\2\3.", key)
    head = _SEQUENTIAL_HEAD.match(renamed)
    if head:
        return f"classifier.{head.group(1)}", renamed != key, True
    return renamed, renamed != key, False


def _describe(keys: list[str], limit: int = 12) -> str:
    listed = ", ".join(sorted(keys)[:limit])
    return listed + (f" and {len(keys) - limit} more" if len(keys) > limit else "")


def canonicalize(raw: Mapping[str, torch.Tensor], expected: Mapping[str, torch.Size]) -> CanonicalWeights:
    """Renames `raw` into `expected`'s names and checks names and shapes, listing every mismatch.

    `expected` is the state dict shape map of torchvision's DenseNet-121 with the checkpoint's
    input channels and number of outputs (see `expected_shapes`).
    """
    keys = [key for key in raw if isinstance(key, str)]
    prefix = _find_prefix(keys)
    canonical: OrderedDict[str, torch.Tensor] = OrderedDict()
    spelled: dict[str, str] = {}  # canonical name -> the checkpoint's own spelling, for messages
    unexpected: list[str] = []
    op_threshs: torch.Tensor | None = None
    any_renamed = False
    head_flags = set()
    for key in keys:
        if not key.startswith(prefix):
            unexpected.append(key)
            continue
        name, renamed, sequential_head = _canonical_name(key[len(prefix) :])
        if name == OP_THRESHS:
            op_threshs = raw[key]
            continue
        if name not in expected:
            unexpected.append(key)
            continue
        any_renamed |= renamed
        if name.startswith("classifier."):
            head_flags.add(sequential_head)
        canonical[name] = raw[key]
        spelled[name] = key
    missing = [prefix + name for name in expected if name not in canonical and not name.endswith(_OPTIONAL_SUFFIX)]
    wrong_shape = [
        f"{spelled[name]} {tuple(canonical[name].shape)} (expected {tuple(shape)})"
        for name, shape in expected.items()
        if name in canonical and tuple(canonical[name].shape) != tuple(shape)
    ]
    if unexpected or missing or wrong_shape or len(head_flags) > 1:
        problems = []
        if unexpected:
            problems.append(f"unexpected keys: {_describe(unexpected)}")
        if missing:
            problems.append(f"missing keys: {_describe(missing)}")
        if wrong_shape:
            problems.append(f"keys with the wrong shape: {_describe(wrong_shape)}")
        if len(head_flags) > 1:
            problems.append("the head mixes classifier.0.* and classifier.* keys")
        raise CheckpointError(
            "The checkpoint does not fit torchvision's DenseNet-121 with a Linear head "
            f"(key prefix '{prefix}'): " + "; ".join(problems) + "."
        )
    for name, shape in expected.items():  # fill optional counters so a strict load_state_dict works
        if name not in canonical:
            canonical[name] = torch.zeros(shape, dtype=torch.long)
    return CanonicalWeights(
        state_dict=OrderedDict((name, canonical[name]) for name in expected),
        in_channels=int(canonical[ANCHOR].shape[1]),
        num_classes=int(canonical["classifier.weight"].shape[0]),
        op_threshs=op_threshs,
        head_has_sigmoid=head_flags == {True},
        prefix=prefix,
        renamed_old_layer_names=any_renamed,
    )


def head_shape(raw: Mapping[str, torch.Tensor]) -> tuple[int, int]:
    """(input channels, outputs) read from the checkpoint, so the expected layout can be built.

    Falls back to (3, 14) where a key is missing, so that the error lists it.
    """
    keys = [key for key in raw if isinstance(key, str)]
    prefix = _find_prefix(keys)
    conv0 = raw.get(prefix + ANCHOR)
    in_channels = int(conv0.shape[1]) if isinstance(conv0, torch.Tensor) and conv0.dim() == 4 else 3
    for name in ("classifier.weight", "classifier.0.weight"):
        weight = raw.get(prefix + name)
        if isinstance(weight, torch.Tensor) and weight.dim() == 2:
            return in_channels, int(weight.shape[0])
    return in_channels, 14
