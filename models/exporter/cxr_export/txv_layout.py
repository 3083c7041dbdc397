"""Stand-ins for torchxrayvision's DenseNet classes, so its checkpoints load without the package.

torchxrayvision saves whole models (`torch.save(model)`), and the pickle names the classes
`torchxrayvision.models.DenseNet`, `_DenseBlock`, `_DenseLayer` and `_Transition`. Unpickling only
restores attributes, so these classes need the same module layout and a forward pass that computes
what the original does up to the logits. The operating-point rescaling that torchxrayvision applies
after the sigmoid (`op_norm`) is left out on purpose: the viewer shows the raw probability and the
threshold side by side, and the thresholds go into the manifest.
"""

from collections import OrderedDict
from collections.abc import Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F

# The module path the pickles reference, and the 18 outputs of torchxrayvision's DenseNet in order.
PICKLED_MODULE = "torchxrayvision.models"
DEFAULT_TARGETS: list[str] = [
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
    "Lung Lesion",
    "Fracture",
    "Lung Opacity",
    "Enlarged Cardiomediastinum",
]
INPUT_RANGE = (-1024.0, 1024.0)
INPUT_SIZE = 224


class _DenseLayer(nn.Sequential):
    """BN-ReLU-Conv1x1-BN-ReLU-Conv3x3, its output concatenated to its input."""

    def __init__(self, in_features: int, growth_rate: int, bottleneck: int, drop_rate: float = 0.0):
        super().__init__()
        self.add_module("norm1", nn.BatchNorm2d(in_features))
        self.add_module("relu1", nn.ReLU(inplace=True))
        self.add_module("conv1", nn.Conv2d(in_features, bottleneck * growth_rate, 1, bias=False))
        self.add_module("norm2", nn.BatchNorm2d(bottleneck * growth_rate))
        self.add_module("relu2", nn.ReLU(inplace=True))
        self.add_module("conv2", nn.Conv2d(bottleneck * growth_rate, growth_rate, 3, padding=1, bias=False))
        self.drop_rate = drop_rate

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        new = super().forward(x)
        if self.drop_rate > 0:
            new = F.dropout(new, p=self.drop_rate, training=self.training)
        return torch.cat([x, new], 1)


class _DenseBlock(nn.Sequential):
    def __init__(self, layers: int, in_features: int, bottleneck: int, growth_rate: int, drop_rate: float = 0.0):
        super().__init__()
        for i in range(layers):
            self.add_module(
                f"denselayer{i + 1}", _DenseLayer(in_features + i * growth_rate, growth_rate, bottleneck, drop_rate)
            )


class _Transition(nn.Sequential):
    def __init__(self, in_features: int, out_features: int):
        super().__init__()
        self.add_module("norm", nn.BatchNorm2d(in_features))
        self.add_module("relu", nn.ReLU(inplace=True))
        self.add_module("conv", nn.Conv2d(in_features, out_features, 1, bias=False))
        self.add_module("pool", nn.AvgPool2d(kernel_size=2, stride=2))


class DenseNet(nn.Module):
    """torchxrayvision's DenseNet-121 layout: 1-channel input, `classifier` Linear, `op_threshs` buffer."""

    def __init__(
        self,
        num_classes: int = len(DEFAULT_TARGETS),
        in_channels: int = 1,
        op_threshs: torch.Tensor | None = None,
        targets: Sequence[str] | None = None,
        growth_rate: int = 32,
        block_config: Sequence[int] = (6, 12, 24, 16),
        num_init_features: int = 64,
        bottleneck: int = 4,
    ):
        super().__init__()
        self.targets = list(targets) if targets is not None else list(DEFAULT_TARGETS)
        self.pathologies = self.targets
        self.features = nn.Sequential(
            OrderedDict(
                [
                    ("conv0", nn.Conv2d(in_channels, num_init_features, 7, stride=2, padding=3, bias=False)),
                    ("norm0", nn.BatchNorm2d(num_init_features)),
                    ("relu0", nn.ReLU(inplace=True)),
                    ("pool0", nn.MaxPool2d(kernel_size=3, stride=2, padding=1)),
                ]
            )
        )
        width = num_init_features
        for i, layers in enumerate(block_config):
            self.features.add_module(f"denseblock{i + 1}", _DenseBlock(layers, width, bottleneck, growth_rate))
            width += layers * growth_rate
            if i != len(block_config) - 1:
                self.features.add_module(f"transition{i + 1}", _Transition(width, width // 2))
                width //= 2
        self.features.add_module("norm5", nn.BatchNorm2d(width))
        self.classifier = nn.Linear(width, num_classes)
        # A buffer, as in torchxrayvision: it travels in state dicts and whole-model pickles alike.
        self.register_buffer("op_threshs", op_threshs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits. The final ReLU is in place, as in the original, so a hook on `features` sees A."""
        features = self.features(x)
        out = F.relu(features, inplace=True)
        out = F.adaptive_avg_pool2d(out, (1, 1)).view(features.size(0), -1)
        return self.classifier(out)


STAND_INS = {
    "DenseNet": DenseNet,
    "_DenseBlock": _DenseBlock,
    "_DenseLayer": _DenseLayer,
    "_Transition": _Transition,
}
