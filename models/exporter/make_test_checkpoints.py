"""Random-weight checkpoints saved exactly as the supported projects save theirs, for the tests.

Real trained weights cannot be downloaded here, so each layout is rebuilt with random weights:
- arnoweng:  {'epoch', 'arch', 'state_dict', 'optimizer'}, state dict of DataParallel(DenseNet121
             wrapper with `.densenet121` and a Sequential(Linear, Sigmoid) head), keys renamed to
             pre-0.3 torchvision names (norm.1, conv.2, ...) without num_batches_tracked, in PyTorch's
             legacy (non-zip) file format, as CheXNet's model.pth.tar from 2017;
- jrzech:    {'model': torchvision DenseNet-121 with Sequential(Linear, Sigmoid), 'best_loss',
             'epoch', 'rng_state', 'LR'}, as reproduce-chexnet's checkpoint() writes it;
- txv:       torch.save(model) of a torchxrayvision.models.DenseNet loaded with the NIH weights
             (targets with '' placeholders, op_threshs with NaN for the 4 untrained outputs); the
             classes are declared under the module name `torchxrayvision.models` so the pickle
             references them exactly as a real one does, without the package installed;
- txv-state-dict: that model's state_dict() (op_threshs included);
- broken:    an arnoweng checkpoint with one key missing and one foreign key.

Random weights are made realistic enough for a meaningful comparison: BatchNorm statistics are
measured on synthetic radiograph-like fields, and the head is scaled so logits spread over a few
units instead of saturating the sigmoid.

    /usr/bin/python3 models/exporter/make_test_checkpoints.py --out-dir /tmp/ckpts [--layouts jrzech,txv]
"""

import argparse
import math
import re
import sys
import types
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from cxr_export.contract import IMAGENET_MEAN, IMAGENET_STD, NIH_FINDINGS

LAYOUTS = ("arnoweng", "jrzech", "txv", "txv-state-dict", "broken")
NIH = NIH_FINDINGS
# torchxrayvision's 18 outputs with its 'densenet121-res224-nih' weights: 4 untrained placeholders.
TXV_TARGETS = [
    "Atelectasis",
    "Consolidation",
    "Infiltration",
    "Pneumothorax",
    "Edema",
    "Emphysema",
    "Fibrosis",
    "Effusion",
    "Pneumonia",
    "Pleural_Thickening",
    "Cardiomegaly",
    "Nodule",
    "Mass",
    "Hernia",
    "",
    "",
    "",
    "",
]
CALIBRATION_IMAGES: list[Path] = []  # set by --calibration-images


# --- a torchxrayvision-shaped package, declared under its real module name -------------------------
def _declare_txv_module() -> types.ModuleType:
    """`torchxrayvision.models` with DenseNet classes of the same layout, so pickles name them right."""
    if "torchxrayvision.models" in sys.modules:
        return sys.modules["torchxrayvision.models"]
    package = types.ModuleType("torchxrayvision")
    models = types.ModuleType("torchxrayvision.models")
    package.models = models
    sys.modules["torchxrayvision"] = package
    sys.modules["torchxrayvision.models"] = models

    class _DenseLayer(nn.Sequential):
        def __init__(self, c_in: int, growth: int, bn_size: int, drop_rate: float):
            super().__init__()
            self.add_module("norm1", nn.BatchNorm2d(c_in))
            self.add_module("relu1", nn.ReLU(inplace=True))
            self.add_module("conv1", nn.Conv2d(c_in, bn_size * growth, kernel_size=1, stride=1, bias=False))
            self.add_module("norm2", nn.BatchNorm2d(bn_size * growth))
            self.add_module("relu2", nn.ReLU(inplace=True))
            self.add_module(
                "conv2", nn.Conv2d(bn_size * growth, growth, kernel_size=3, stride=1, padding=1, bias=False)
            )
            self.drop_rate = drop_rate

        def forward(self, x):
            return torch.cat([x, super().forward(x)], 1)

    class _DenseBlock(nn.Sequential):
        def __init__(self, n: int, c_in: int, bn_size: int, growth: int, drop_rate: float):
            super().__init__()
            for i in range(n):
                self.add_module(f"denselayer{i + 1}", _DenseLayer(c_in + i * growth, growth, bn_size, drop_rate))

    class _Transition(nn.Sequential):
        def __init__(self, c_in: int, c_out: int):
            super().__init__()
            self.add_module("norm", nn.BatchNorm2d(c_in))
            self.add_module("relu", nn.ReLU(inplace=True))
            self.add_module("conv", nn.Conv2d(c_in, c_out, kernel_size=1, stride=1, bias=False))
            self.add_module("pool", nn.AvgPool2d(kernel_size=2, stride=2))

    class DenseNet(nn.Module):
        def __init__(self, num_classes: int = 18, in_channels: int = 1):
            super().__init__()
            self.apply_sigmoid = False
            self.weights = "densenet121-res224-nih"
            self.targets = list(TXV_TARGETS)
            self.pathologies = self.targets
            self.features = nn.Sequential(
                OrderedDict(
                    [
                        ("conv0", nn.Conv2d(in_channels, 64, kernel_size=7, stride=2, padding=3, bias=False)),
                        ("norm0", nn.BatchNorm2d(64)),
                        ("relu0", nn.ReLU(inplace=True)),
                        ("pool0", nn.MaxPool2d(kernel_size=3, stride=2, padding=1)),
                    ]
                )
            )
            width = 64
            for i, n in enumerate((6, 12, 24, 16)):
                self.features.add_module(f"denseblock{i + 1}", _DenseBlock(n, width, 4, 32, 0.0))
                width += n * 32
                if i != 3:
                    self.features.add_module(f"transition{i + 1}", _Transition(width, width // 2))
                    width //= 2
            self.features.add_module("norm5", nn.BatchNorm2d(width))
            self.classifier = nn.Linear(width, num_classes)
            self.register_buffer("op_threshs", None)
            self.input_resolution = 224

        def forward(self, x):
            features = self.features(x)
            out = F.relu(features, inplace=True)
            out = F.adaptive_avg_pool2d(out, (1, 1)).view(features.size(0), -1)
            return self.classifier(out)

    for cls in (_DenseLayer, _DenseBlock, _Transition, DenseNet):
        cls.__module__ = "torchxrayvision.models"
        cls.__qualname__ = cls.__name__
        setattr(models, cls.__name__, cls)
    return models


# --- realistic random weights ----------------------------------------------------------------------
def _radiograph_like(n: int, size: int, generator: torch.Generator) -> torch.Tensor:
    """Smooth random fields in [0, 1]: low-frequency structure like a radiograph's, not white noise."""
    coarse = torch.rand(n, 1, 6, 6, generator=generator)
    fine = torch.rand(n, 1, 28, 28, generator=generator)
    field = 0.8 * F.interpolate(coarse, size=size, mode="bicubic", align_corners=False) + 0.2 * F.interpolate(
        fine, size=size, mode="bilinear", align_corners=False
    )
    return field.clamp(0, 1)


def _radiograph_variants(paths: list[Path], size: int) -> torch.Tensor:
    """Each radiograph whole, mirrored with gamma 1.25, and its central 80 % with gamma 0.8: [3N, 1, size, size]."""
    from PIL import Image  # only needed here

    variants = []
    for path in paths:
        grey = torch.from_numpy(np.asarray(Image.open(path).convert("L"), dtype=np.float32) / 255.0)[None, None]
        rows, cols = grey.shape[2:]
        crop = grey[:, :, rows // 10 : rows - rows // 10, cols // 10 : cols - cols // 10]
        whole, central = (
            F.interpolate(image, size=(size, size), mode="bilinear", align_corners=False).clamp(0, 1)
            for image in (grey, crop)
        )
        variants += [whole, whole.flip(3) ** 1.25, central**0.8]
    return torch.cat(variants)


def _calibrate(
    model: nn.Module,
    inputs: torch.Tensor,
    features: Callable[[torch.Tensor], torch.Tensor],
    head: nn.Linear,
    generator: torch.Generator,
) -> None:
    """Random BN affine, BN statistics measured on `inputs`, head scaled to logits of a few units."""
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.weight.data = 0.5 + torch.rand(module.num_features, generator=generator)
            module.bias.data = 0.1 * torch.randn(module.num_features, generator=generator)
            module.reset_running_stats()
            module.momentum = None  # cumulative average over the calibration batch
    model.train()
    with torch.no_grad():
        features(inputs)
    model.eval()
    with torch.no_grad():
        pooled = F.adaptive_avg_pool2d(F.relu(features(inputs)), 1).flatten(1)
        weight = torch.randn(head.out_features, head.in_features, generator=generator)
        spread = (pooled @ weight.t()).std(dim=0, keepdim=True).t().clamp_min(1e-6)
        head.weight.data = weight * (2.0 / spread)  # logits spread about 2 units across images
        head.bias.data = -((pooled @ head.weight.data.t()).mean(dim=0)) - 1.0
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.momentum = 0.1


def _grey_inputs(generator: torch.Generator) -> torch.Tensor:
    return _radiograph_variants(CALIBRATION_IMAGES, 224) if CALIBRATION_IMAGES else _radiograph_like(8, 224, generator)


def _chexnet_inputs(generator: torch.Generator) -> torch.Tensor:
    grey = _grey_inputs(generator)
    mean = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)
    return (grey.expand(-1, 3, -1, -1) - mean) / std


def _chexnet_densenet(generator: torch.Generator, calibrate: bool = True) -> nn.Module:
    model = torchvision.models.densenet121(weights=None)
    model.classifier = nn.Sequential(nn.Linear(1024, len(NIH)), nn.Sigmoid())
    if calibrate:
        _calibrate(model, _chexnet_inputs(generator), model.features, model.classifier[0], generator)
    return model


def _txv_model(generator: torch.Generator, calibrate: bool = True) -> nn.Module:
    models = _declare_txv_module()
    model = models.DenseNet(num_classes=len(TXV_TARGETS), in_channels=1)
    if calibrate:
        _calibrate(model, _grey_inputs(generator) * 2048 - 1024, model.features, model.classifier, generator)
    thresholds = [0.2 + 0.03 * i for i in range(len(TXV_TARGETS))]
    model.op_threshs = torch.tensor([t if name else math.nan for t, name in zip(thresholds, TXV_TARGETS, strict=True)])
    return model


# --- the layouts ---------------------------------------------------------------------------------
_NEW_TO_OLD = re.compile(r"(denselayer\d+)\.(norm|relu|conv)([12])\.")


class _ArnowengDenseNet121(nn.Module):
    """CheXNet's wrapper: the torchvision model under `.densenet121`."""

    def __init__(self, densenet: nn.Module):
        super().__init__()
        self.densenet121 = densenet

    def forward(self, x):
        return self.densenet121(x)


def _arnoweng_state_dict(generator: torch.Generator, calibrate: bool = True) -> "OrderedDict[str, torch.Tensor]":
    wrapped = nn.DataParallel(_ArnowengDenseNet121(_chexnet_densenet(generator, calibrate)))
    return OrderedDict(
        (_NEW_TO_OLD.sub(r"\1.\2.\3.", key), value)
        for key, value in wrapped.state_dict().items()
        if not key.endswith("num_batches_tracked")  # PyTorch 0.3 had no such buffer
    )


def save_arnoweng(path: Path, generator: torch.Generator) -> None:
    checkpoint = {"epoch": 12, "arch": "densenet121", "state_dict": _arnoweng_state_dict(generator), "optimizer": {}}
    torch.save(checkpoint, str(path), _use_new_zipfile_serialization=False)


def save_jrzech(path: Path, generator: torch.Generator) -> None:
    model = _chexnet_densenet(generator)
    torch.save(
        {"model": model, "best_loss": 0.1571, "epoch": 9, "rng_state": torch.get_rng_state(), "LR": 1e-4}, str(path)
    )


def save_txv(path: Path, generator: torch.Generator) -> None:
    torch.save(_txv_model(generator), str(path))


def save_txv_state_dict(path: Path, generator: torch.Generator) -> None:
    torch.save(_txv_model(generator).state_dict(), str(path))


def save_broken(path: Path, generator: torch.Generator) -> None:
    state = _arnoweng_state_dict(generator, calibrate=False)  # never runs: refused at loading
    del state["module.densenet121.features.norm5.weight"]
    state["module.densenet121.features.norm6.weight"] = torch.ones(1024)
    torch.save({"state_dict": state}, str(path))


SAVERS: dict[str, Callable[[Path, torch.Generator], None]] = {
    "arnoweng": save_arnoweng,
    "jrzech": save_jrzech,
    "txv": save_txv,
    "txv-state-dict": save_txv_state_dict,
    "broken": save_broken,
}
FILE_NAMES = {
    "arnoweng": "model.pth.tar",
    "jrzech": "checkpoint",
    "txv": "nih-densenet121-best.pt",
    "txv-state-dict": "txv-state-dict.pt",
    "broken": "broken.pth.tar",
}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out-dir", type=Path, required=True)
    parser.add_argument("--layouts", default=",".join(LAYOUTS), help="comma separated subset of " + ", ".join(LAYOUTS))
    parser.add_argument("--seed", type=int, default=1369)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--calibration-images",
        nargs="*",
        type=Path,
        default=[],
        help="radiographs whose statistics the random BatchNorm layers and head are fitted to "
        "(default: synthetic fields)",
    )
    args = parser.parse_args(argv)
    CALIBRATION_IMAGES[:] = args.calibration_images
    torch.set_num_threads(args.threads)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for offset, layout in enumerate(args.layouts.split(",")):
        if layout not in SAVERS:
            parser.error(f"unknown layout {layout}")
        torch.manual_seed(args.seed + offset)  # torchvision's own initialisation
        generator = torch.Generator().manual_seed(args.seed + offset)
        path = args.out_dir / FILE_NAMES[layout]
        SAVERS[layout](path, generator)
        print(f"{layout}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
