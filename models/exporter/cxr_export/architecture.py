"""torchvision's DenseNet-121 as every supported checkpoint uses it, and the module that is exported."""

from collections.abc import Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

FEATURE_CHANNELS = 1024


def densenet121(in_channels: int, num_classes: int, sequential_head: bool = False) -> nn.Module:
    """Untrained DenseNet-121; `sequential_head` gives CheXNet's `Sequential(Linear, Sigmoid)`."""
    model = torchvision.models.densenet121(weights=None, num_classes=num_classes)
    if in_channels != 3:
        model.features.conv0 = nn.Conv2d(in_channels, 64, kernel_size=7, stride=2, padding=3, bias=False)
    if sequential_head:
        model.classifier = nn.Sequential(nn.Linear(FEATURE_CHANNELS, num_classes), nn.Sigmoid())
    return model.eval()


def expected_shapes(in_channels: int, num_classes: int) -> dict[str, torch.Size]:
    """Canonical key -> shape of the state dict every checkpoint is mapped onto."""
    return {name: tensor.shape for name, tensor in densenet121(in_channels, num_classes).state_dict().items()}


class ProbabilitiesAndCams(nn.Module):
    """What the viewer runs: `image` -> (`probabilities` [1, F], `cams` [1, F, h, w]).

    With A the feature map after the final ReLU and W the Linear head, Grad-CAM of finding c is
    ReLU(sum_k alpha_ck A_k) where alpha_ck, the spatial mean of d logit_c / d A_k, is W_ck / (h*w)
    for a global-average-pool head. So all maps are one 1x1 convolution with weights W / (h*w),
    and one forward pass gives every finding's probability and map.
    """

    def __init__(self, features: nn.Module, head: nn.Linear, outputs: Sequence[int], input_size: Sequence[int]):
        super().__init__()
        self.features = features
        rows: list[int] = list(outputs)
        weight = head.weight.detach()[rows].clone()
        self.head = nn.Linear(weight.shape[1], len(rows))
        self.head.weight.data.copy_(weight)
        self.head.bias.data.copy_(head.bias.detach()[rows])
        with torch.no_grad():
            probe = torch.zeros(1, self._in_channels(), *input_size)
            self.feature_size = tuple(features(probe).shape[2:])
        cells = self.feature_size[0] * self.feature_size[1]
        self.cam = nn.Conv2d(weight.shape[1], len(rows), kernel_size=1, bias=False)
        self.cam.weight.data.copy_(weight[:, :, None, None] / cells)

    def _in_channels(self) -> int:
        return int(self.features.conv0.weight.shape[1])

    def forward(self, image: torch.Tensor):  # type: ignore[override]
        a = F.relu(self.features(image))
        pooled = torch.flatten(F.adaptive_avg_pool2d(a, 1), 1)
        probabilities = torch.sigmoid(self.head(pooled))
        cams = F.relu(self.cam(a))
        return probabilities, cams
