"""Grad-CAM computed the classic way on the checkpoint's own model: the reference for the proof.

Forward hooks catch the feature map and the logits; DenseNet's forward then applies its final ReLU
in place on the caught feature map, so that tensor *is* A (and autograd differentiates through the
ReLU's output). For each finding, backward from its logit to A gives alpha = spatial mean of the
gradient, and the map is ReLU(sum_k alpha_k A_k). Nothing here uses the closed form that the
exported model relies on.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from .checkpoints import ReferenceModel
from .errors import VerificationError


@dataclass
class Reference:
    probabilities: np.ndarray  # [F]
    cams: np.ndarray  # [F, h, w]
    logits: np.ndarray  # [F]


def _catch_output(store: list[torch.Tensor]):
    def hook(_module, _inputs, output):
        store.append(output)

    return hook


def classic_gradcam(reference: ReferenceModel, image: torch.Tensor, outputs: Sequence[int]) -> Reference:
    """`image`: the exact [1, C, H, W] tensor the engine fed the exported model."""
    features: list[torch.Tensor] = []
    logits: list[torch.Tensor] = []
    handles = [
        reference.features.register_forward_hook(_catch_output(features)),
        reference.logits_layer.register_forward_hook(_catch_output(logits)),
    ]
    try:
        with torch.enable_grad():
            x = image.detach().clone().requires_grad_(True)  # so A is in the graph even for frozen weights
            reference.module.eval()
            reference.module(x)
            if len(features) != 1 or len(logits) != 1:
                raise VerificationError("The reference model did not run its features and classifier exactly once.")
            a, z = features[0], logits[0]
            if a.grad_fn is None or "Relu" not in type(a.grad_fn).__name__:
                raise VerificationError(
                    "The reference model's feature map was not passed through an in-place final ReLU; "
                    "cannot take Grad-CAM against A."
                )
            maps = []
            for index in outputs:
                (gradient,) = torch.autograd.grad(z[0, index], a, retain_graph=True)
                alpha = gradient.mean(dim=(2, 3), keepdim=True)
                maps.append(torch.relu((alpha * a).sum(dim=1))[0])
            picked = z[0, list(outputs)]
            return Reference(
                probabilities=torch.sigmoid(picked).detach().numpy().astype(np.float64),
                cams=torch.stack(maps).detach().numpy().astype(np.float64),
                logits=picked.detach().numpy().astype(np.float64),
            )
    finally:
        for handle in handles:
            handle.remove()
