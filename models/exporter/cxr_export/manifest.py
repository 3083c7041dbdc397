"""The manifest beside model.onnx: the engine's contract (extension/src/engine/types/ModelManifest.ts)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .contract import IMAGENET_MEAN, IMAGENET_STD, NIH_INTENDED_POPULATION
from .findings import FindingPlan
from .onnx_file import CAMS_NAME, INPUT_NAME, PROBABILITIES_NAME

FORMAT_VERSION = 1
MODEL_FILE = "model.onnx"
WEBGPU_TOLERANCE = 1e-3
RESIZE_KINDS = ("stretch", "center-square", "shorter-side-center-crop:<N>")


def parse_resize(text: str) -> dict[str, Any]:
    """`stretch`, `center-square` or `shorter-side-center-crop:256`."""
    kind, _, size = text.partition(":")
    if kind in ("stretch", "center-square") and not size:
        return {"kind": kind}
    if kind == "shorter-side-center-crop" and size.isdigit() and int(size) > 0:
        return {"kind": kind, "shorterSide": int(size)}
    raise ValueError(f"--resize must be one of {', '.join(RESIZE_KINDS)}, got {text!r}")


def intensity_for(fmt: str, channels: int) -> dict[str, Any]:
    if fmt == "torchxrayvision":
        return {"kind": "range", "min": -1024, "max": 1024}
    if channels == 3:
        return {"kind": "mean-std", "mean": IMAGENET_MEAN, "std": IMAGENET_STD}
    return {"kind": "mean-std", "mean": [sum(IMAGENET_MEAN) / 3], "std": [sum(IMAGENET_STD) / 3]}


@dataclass
class ManifestFields:
    name: str
    version: str
    sha256: str
    channels: int
    input_size: Sequence[int]
    cam_size: Sequence[int]
    resize: dict[str, Any]
    intensity: dict[str, Any]
    plan: FindingPlan
    full_scale_logits: float
    intended_use: str


def build_manifest(fields: ManifestFields) -> dict[str, Any]:
    height, width = fields.input_size
    findings: list[dict[str, Any]] = [
        {"name": name, "threshold": threshold}
        for name, threshold in zip(fields.plan.names, fields.plan.thresholds, strict=True)
    ]
    return {
        "formatVersion": FORMAT_VERSION,
        "name": fields.name,
        "version": fields.version,
        "file": MODEL_FILE,
        "sha256": fields.sha256,
        "input": {"name": INPUT_NAME, "shape": [1, fields.channels, height, width], "channels": fields.channels},
        "preprocessing": {"outputSize": [height, width], "resize": fields.resize, "intensity": fields.intensity},
        "outputs": {
            "probabilities": {"name": PROBABILITIES_NAME, "activation": "none"},
            "cams": {"name": CAMS_NAME, "shape": [1, len(findings), *fields.cam_size]},
        },
        "findings": findings,
        "heatmap": {"fullScaleLogits": fields.full_scale_logits},
        "intendedUse": fields.intended_use,
        # NIH ChestX-ray14-trained models are for adults' frontal films; the chest-film gate reads this.
        "intendedPopulation": NIH_INTENDED_POPULATION,
        "demo": False,
        "webgpuTolerance": WEBGPU_TOLERANCE,
    }
