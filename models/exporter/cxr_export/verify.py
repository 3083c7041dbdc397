"""The proof: the exported model, run by the engine, against the checkpoint's model in PyTorch."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .checkpoints import ReferenceModel
from .engine_runner import EngineDump, run_predict
from .errors import VerificationError
from .gradcam import Reference, classic_gradcam


@dataclass
class ImageComparison:
    image: str
    probability_max_diff: float
    probability_worst: str
    cam_max_diff: float
    cam_worst: str
    cam_peak: float
    """Largest reference CAM value on this image, for scale."""


@dataclass
class Comparison:
    label: str
    images: list[ImageComparison]

    @property
    def probability_max_diff(self) -> float:
        return max(c.probability_max_diff for c in self.images)

    @property
    def cam_max_diff(self) -> float:
        return max(c.cam_max_diff for c in self.images)

    def to_json(self) -> dict:
        return {
            "label": self.label,
            "probabilityMaxDiff": self.probability_max_diff,
            "camMaxDiff": self.cam_max_diff,
            "images": [
                {
                    "image": c.image,
                    "probabilityMaxDiff": c.probability_max_diff,
                    "probabilityWorst": c.probability_worst,
                    "camMaxDiff": c.cam_max_diff,
                    "camWorst": c.cam_worst,
                    "camPeak": c.cam_peak,
                }
                for c in self.images
            ],
        }


class ReferenceCache:
    """PyTorch Grad-CAM per distinct engine input (fp32 and fp16 runs share the input)."""

    def __init__(self, reference: ReferenceModel, outputs: Sequence[int]):
        self._reference = reference
        self._outputs = list(outputs)
        self._cache: dict[str, Reference] = {}

    def for_input(self, tensor: np.ndarray) -> Reference:
        key = hashlib.sha256(tensor.tobytes()).hexdigest()
        if key not in self._cache:
            self._cache[key] = classic_gradcam(self._reference, torch.from_numpy(tensor.copy()), self._outputs)
        return self._cache[key]


def _compare(image: Path, dump: EngineDump, reference: Reference, names: Sequence[str]) -> ImageComparison:
    if list(dump.findings) != list(names):
        raise VerificationError(f"The engine reported findings {dump.findings}, the manifest has {list(names)}.")
    if dump.cams.shape != reference.cams.shape:
        raise VerificationError(f"The engine's CAMs are {dump.cams.shape}, PyTorch's {reference.cams.shape}.")
    p_diff = np.abs(dump.probabilities.astype(np.float64) - reference.probabilities)
    c_diff = np.abs(dump.cams.astype(np.float64) - reference.cams).reshape(len(names), -1).max(axis=1)
    if not (np.isfinite(p_diff).all() and np.isfinite(c_diff).all()):
        raise VerificationError(f"Non-finite values in the engine's output for {image.name}.")
    return ImageComparison(
        image=image.name,
        probability_max_diff=float(p_diff.max()),
        probability_worst=names[int(p_diff.argmax())],
        cam_max_diff=float(c_diff.max()),
        cam_worst=names[int(c_diff.argmax())],
        cam_peak=float(reference.cams.max()),
    )


def compare_on_images(
    label: str,
    manifest: Path,
    images: Sequence[Path],
    names: Sequence[str],
    references: ReferenceCache,
    command: list[str],
    threads: int,
    expected_input_shape: Sequence[int],
) -> Comparison:
    results = []
    for image in images:
        dump = run_predict(command, image, manifest, threads)
        if list(dump.input.shape) != list(expected_input_shape):
            raise VerificationError(
                f"The engine fed {list(dump.input.shape)}, the model takes {list(expected_input_shape)}."
            )
        results.append(_compare(image, dump, references.for_input(dump.input), names))
    return Comparison(label, results)


def format_comparison(comparison: Comparison) -> list[str]:
    lines = [f"{comparison.label}:"]
    for c in comparison.images:
        lines.append(
            f"  {c.image}: max |dp| {c.probability_max_diff:.2e} ({c.probability_worst}), "
            f"max |dCAM| {c.cam_max_diff:.2e} ({c.cam_worst}; CAM peak {c.cam_peak:.3g})"
        )
    lines.append(f"  largest: probabilities {comparison.probability_max_diff:.2e}, CAMs {comparison.cam_max_diff:.2e}")
    return lines


@dataclass
class Int8Image:
    image: str
    probability_max_diff: float
    probability_worst: str
    cam_max_diff: float
    float32_ms: float | None
    int8_ms: float | None


@dataclass
class Int8Comparison:
    """The engine's int8 model against its float32 model, image by image (both on WASM)."""

    tolerance: float
    images: list[Int8Image]

    @property
    def probability_max_diff(self) -> float:
        return max(c.probability_max_diff for c in self.images)

    @property
    def probability_worst(self) -> str:
        worst = max(self.images, key=lambda c: c.probability_max_diff)
        return f"{worst.probability_worst}, {worst.image}"

    @property
    def cam_max_diff(self) -> float:
        return max(c.cam_max_diff for c in self.images)

    @property
    def accepted(self) -> bool:
        return self.probability_max_diff <= self.tolerance

    def median_ms(self, which: str) -> float | None:
        values = [getattr(c, f"{which}_ms") for c in self.images]
        known = [v for v in values if v is not None]
        return float(np.median(known)) if known else None

    def to_json(self) -> dict:
        return {
            "tolerance": self.tolerance,
            "accepted": self.accepted,
            "probabilityMaxDiff": self.probability_max_diff,
            "camMaxDiff": self.cam_max_diff,
            "wasmSessionRunMs": {"float32": self.median_ms("float32"), "int8": self.median_ms("int8")},
            "images": [
                {
                    "image": c.image,
                    "probabilityMaxDiff": c.probability_max_diff,
                    "probabilityWorst": c.probability_worst,
                    "camMaxDiff": c.cam_max_diff,
                    "float32Ms": c.float32_ms,
                    "int8Ms": c.int8_ms,
                }
                for c in self.images
            ],
        }


def compare_int8_to_float32(
    float32_manifest: Path,
    int8_manifest: Path,
    images: Sequence[Path],
    command: list[str],
    threads: int,
    tolerance: float,
) -> Int8Comparison:
    results = []
    for image in images:
        a = run_predict(command, image, float32_manifest, threads)
        b = run_predict(command, image, int8_manifest, threads)
        p_diff = np.abs(a.probabilities.astype(np.float64) - b.probabilities)
        c_diff = np.abs(a.cams.astype(np.float64) - b.cams)
        if not (np.isfinite(p_diff).all() and np.isfinite(c_diff).all()):
            raise VerificationError(f"Non-finite values in the int8 model's output for {image.name}.")
        results.append(
            Int8Image(
                image=image.name,
                probability_max_diff=float(p_diff.max()),
                probability_worst=a.findings[int(p_diff.argmax())],
                cam_max_diff=float(c_diff.max()),
                float32_ms=a.inference_ms,
                int8_ms=b.inference_ms,
            )
        )
    return Int8Comparison(tolerance, results)


def format_int8_comparison(comparison: Int8Comparison) -> list[str]:
    lines = ["int8 vs float32 (engine, WASM):"]
    for c in comparison.images:
        timing = (
            f"; session.run {c.float32_ms:.0f} ms float32, {c.int8_ms:.0f} ms int8"
            if c.float32_ms is not None and c.int8_ms is not None
            else ""
        )
        lines.append(
            f"  {c.image}: max |dp| {c.probability_max_diff:.2e} ({c.probability_worst}), "
            f"max |dCAM| {c.cam_max_diff:.2e}{timing}"
        )
    verdict = "accepted" if comparison.accepted else "REFUSED"
    lines.append(
        f"  largest: probabilities {comparison.probability_max_diff:.2e} (tolerance {comparison.tolerance:g}: "
        f"{verdict}), CAMs {comparison.cam_max_diff:.2e}"
    )
    f32, i8 = comparison.median_ms("float32"), comparison.median_ms("int8")
    if f32 and i8:
        lines.append(
            f"  session.run on WASM, median of one run per image: float32 {f32:.0f} ms, int8 {i8:.0f} ms "
            f"({i8 / f32:.2f}x; npm run bench gives interleaved figures)"
        )
    return lines
