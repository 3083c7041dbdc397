"""The export, step by step: read, plan findings, export ONNX, write manifest, prove, publish."""

import argparse
import json
import platform
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import onnx
import torch
import torchvision

from . import checkpoints, findings
from .architecture import ProbabilitiesAndCams, densenet121
from .defaults import DEFAULT_VERIFY_IMAGES
from .engine_runner import engine_command
from .errors import ExportError, VerificationError
from .heat_units import logit_scale_of_cams
from .manifest import MODEL_FILE, ManifestFields, build_manifest, intensity_for, parse_resize
from .onnx_file import export_onnx, sha256_hex, to_fp16_weights, write_file
from .quantize import quantize_dynamic_int8
from .verify import (
    Comparison,
    Int8Comparison,
    ReferenceCache,
    compare_int8_to_float32,
    compare_on_images,
    format_comparison,
    format_int8_comparison,
)

INPUT_SIZE = (224, 224)
MANIFEST_FILE = "manifest.json"
REPORT_FILE = "export-report.json"
EXPORTER_VERSION = "1"
# Above this, --fp16-weights gets a warning: it would change what a reader sees.
FP16_WARNING = 0.01
DEFAULT_NAMES = {"chexnet": "CheXNet DenseNet-121", "torchxrayvision": "torchxrayvision DenseNet-121"}


def _say(line: str = "") -> None:
    print(line, flush=True)


def _default_resize(ckpt: checkpoints.LoadedCheckpoint) -> dict[str, Any]:
    if ckpt.format == "torchxrayvision":
        return {"kind": "center-square"}  # its XRayCenterCrop, then a resize to 224
    if ckpt.whole_model:  # reproduce-chexnet: Resize(224) + CenterCrop(224)
        return {"kind": "shorter-side-center-crop", "shorterSide": 224}
    return {"kind": "shorter-side-center-crop", "shorterSide": 256}  # CheXNet: Resize(256), centre of TenCrop(224)


def _intended_use(args: argparse.Namespace, ckpt: checkpoints.LoadedCheckpoint, plan: findings.FindingPlan) -> str:
    if args.intended_use:
        return args.intended_use
    text = (
        f"Research use only; not for diagnostic use. Exported by the site from checkpoint {ckpt.path.name} "
        f"(sha256 {ckpt.sha256[:12]}). Probabilities are the model's sigmoid outputs; heatmaps are Grad-CAM "
        "decision support in logit units, not lesion outlines."
    )
    if plan.uncalibrated:
        text += (
            f" Thresholds are uncalibrated (default {findings.UNCALIBRATED_THRESHOLD}) for "
            f"{', '.join(plan.uncalibrated)}: positive flags there are not validated."
        )
    return text


def _plan(args: argparse.Namespace, ckpt: checkpoints.LoadedCheckpoint) -> findings.FindingPlan:
    labels = findings.parse_label_list(args.labels) if args.labels else ckpt.labels
    overrides = findings.read_thresholds(args.thresholds) if args.thresholds else None
    return findings.plan_findings(ckpt.weights.num_classes, labels, ckpt.op_threshs, overrides)


def _export_module(ckpt: checkpoints.LoadedCheckpoint, plan: findings.FindingPlan) -> ProbabilitiesAndCams:
    model = densenet121(ckpt.weights.in_channels, ckpt.weights.num_classes)
    model.load_state_dict(ckpt.weights.state_dict, strict=True)
    return ProbabilitiesAndCams(model.features, model.classifier, plan.outputs, INPUT_SIZE).eval()


def _verify_images(args: argparse.Namespace) -> list[Path]:
    images = args.verify_images or DEFAULT_VERIFY_IMAGES
    missing = [str(p) for p in images if not p.is_file()]
    if missing:
        raise ExportError(f"Verification image(s) not found: {', '.join(missing)}.")
    return [p.resolve() for p in images]


def _write_model(folder: Path, model_bytes: bytes, fields: ManifestFields) -> Path:
    """model.onnx and its manifest (with this file's sha256) in `folder`; returns the manifest's path."""
    write_file(folder / MODEL_FILE, model_bytes)
    manifest = build_manifest(replace(fields, sha256=sha256_hex(model_bytes)))
    manifest_path = folder / MANIFEST_FILE
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest_path


def _versions() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "onnx": onnx.__version__,
        "exporter": EXPORTER_VERSION,
    }


def _announce(ckpt: checkpoints.LoadedCheckpoint, plan: findings.FindingPlan) -> None:
    _say(f"Checkpoint {ckpt.path} ({ckpt.layout}), sha256 {ckpt.sha256}")
    for note in ckpt.notes:
        _say(f"  note: {note}")
    _say(f"  {len(plan.names)} findings exported: {', '.join(plan.names)}")
    if plan.dropped:
        _say(f"  left out (not trained): {', '.join(plan.dropped)}")
    if plan.uncalibrated:
        _say(
            f"  WARNING: thresholds are UNCALIBRATED ({findings.UNCALIBRATED_THRESHOLD}) "
            f"for {', '.join(plan.uncalibrated)}; "
            "give measured ones with --thresholds before anyone relies on the positive flags."
        )


@dataclass
class _Proof:
    """What `_prove` needs besides the model: images, the PyTorch reference and the engine."""

    images: list[Path]
    names: list[str]
    references: ReferenceCache
    command: list[str]
    threads: int
    input_shape: list[int]

    def run(self, label: str, manifest: Path) -> Comparison:
        comparison = compare_on_images(
            label, manifest, self.images, self.names, self.references, self.command, self.threads, self.input_shape
        )
        for line in format_comparison(comparison):
            _say(line)
        return comparison


def _report(
    args: argparse.Namespace,
    ckpt: checkpoints.LoadedCheckpoint,
    plan: findings.FindingPlan,
    final_bytes: bytes,
    float32_bytes: bytes,
    proof: Comparison,
    fp16: Comparison | None,
    int8: Int8Comparison | None = None,
) -> dict[str, Any]:
    return {
        "checkpoint": {
            "file": ckpt.path.name,
            "sha256": ckpt.sha256,
            "format": ckpt.format,
            "layout": ckpt.layout,
            "notes": ckpt.notes,
        },
        "model": {
            "file": MODEL_FILE,
            "sha256": sha256_hex(final_bytes),
            "bytes": len(final_bytes),
            "float32Bytes": len(float32_bytes),
            "fp16Weights": bool(args.fp16_weights),
            "int8": bool(args.int8),
        },
        "findings": {"exported": plan.names, "dropped": plan.dropped, "uncalibrated": plan.uncalibrated},
        "tolerance": args.tolerance,
        "reference": ckpt.reference.origin,
        "proof": proof.to_json(),
        "fp16": fp16.to_json() if fp16 else None,
        "int8": int8.to_json() if int8 else None,
        "versions": _versions(),
    }


def run_export(args: argparse.Namespace) -> None:
    torch.set_num_threads(max(1, args.threads))  # Debian's torch otherwise uses one thread
    if not args.full_scale_logits > 0:
        raise ExportError("--full-scale-logits must be positive.")
    if args.int8 and args.fp16_weights:
        raise ExportError("--int8 and --fp16-weights do not combine; choose one.")
    if not args.int8_tolerance > 0:
        raise ExportError("--int8-tolerance must be positive.")
    try:
        resize = parse_resize(args.resize) if args.resize else None
    except ValueError as error:
        raise ExportError(str(error)) from None
    images = _verify_images(args)
    command = engine_command(args.engine_cli)

    ckpt = checkpoints.load(args.checkpoint, args.format)
    plan = _plan(args, ckpt)
    _announce(ckpt, plan)

    module = _export_module(ckpt, plan)
    channels = ckpt.weights.in_channels
    fields = ManifestFields(
        name=args.name or DEFAULT_NAMES[ckpt.format],
        version=args.model_version
        or f"ckpt-{ckpt.sha256[:12]}" + ("-fp16" if args.fp16_weights else "") + ("-int8" if args.int8 else ""),
        sha256="",
        channels=channels,
        input_size=INPUT_SIZE,
        cam_size=module.feature_size,
        resize=resize or _default_resize(ckpt),
        intensity=intensity_for(ckpt.format, channels),
        plan=plan,
        full_scale_logits=args.full_scale_logits,
        intended_use=_intended_use(args, ckpt, plan),
    )
    metadata = {
        "source_checkpoint_sha256": ckpt.sha256,
        "source_layout": ckpt.layout,
        "exporter": f"cxr_export {EXPORTER_VERSION}",
    }
    float32_bytes = export_onnx(module, (1, channels, *INPUT_SIZE), metadata)
    prover = _Proof(
        images,
        plan.names,
        ReferenceCache(ckpt.reference, plan.outputs),
        command,
        args.threads,
        [1, channels, *INPUT_SIZE],
    )
    _say(
        f"Proof on {len(images)} radiograph(s) through the engine; reference: {ckpt.reference.origin}, "
        f"classic Grad-CAM; tolerance {args.tolerance:g}"
    )

    with tempfile.TemporaryDirectory(prefix="cxr-export-") as staging_dir:
        staging = Path(staging_dir)
        proof = prover.run("float32 model vs PyTorch", _write_model(staging / "float32", float32_bytes, fields))
        # The viewer shows heat in logit units, as the engine converts them.
        scale = logit_scale_of_cams(module.feature_size)
        peaks = [c.cam_peak * scale for c in proof.images]
        _say(
            f"Heatmap full scale: {args.full_scale_logits:g} logits (heat peaks on these images {min(peaks):.3g} to "
            f"{max(peaks):.3g} logits); change it with --full-scale-logits"
        )
        worst = max(proof.probability_max_diff, proof.cam_max_diff)
        if worst > args.tolerance:
            raise VerificationError(
                f"The export differs from PyTorch by {worst:.2e}, more than the tolerance {args.tolerance:g}; "
                "nothing was written."
            )
        final_folder, final_bytes = staging / "float32", float32_bytes
        fp16: Comparison | None = None
        if args.fp16_weights:
            final_bytes = to_fp16_weights(float32_bytes)
            final_folder = staging / "fp16"
            _say(
                f"--fp16-weights: {len(final_bytes) / 1e6:.1f} MB instead of {len(float32_bytes) / 1e6:.1f} MB; "
                "the differences it causes:"
            )
            fp16 = prover.run("float16 weights vs PyTorch (float32)", _write_model(final_folder, final_bytes, fields))
            if fp16.probability_max_diff > FP16_WARNING:
                _say(
                    f"  WARNING: float16 weights move probabilities by up to {fp16.probability_max_diff:.2g}; "
                    "export without --fp16-weights unless that is acceptable."
                )
        int8: Int8Comparison | None = None
        if args.int8:
            int8_bytes = quantize_dynamic_int8(float32_bytes)
            _say(
                f"--int8: {len(int8_bytes) / 1e6:.1f} MB instead of {len(float32_bytes) / 1e6:.1f} MB; "
                f"the engine (WASM) on int8 against float32, tolerance {args.int8_tolerance:g} on probabilities:"
            )
            int8_manifest = _write_model(staging / "int8", int8_bytes, fields)
            int8 = compare_int8_to_float32(
                final_folder / MANIFEST_FILE, int8_manifest, images, command, args.threads, args.int8_tolerance
            )
            for line in format_int8_comparison(int8):
                _say(line)
            if not int8.accepted:
                raise VerificationError(
                    f"--int8 refused: the int8 model's probabilities differ from float32 by "
                    f"{int8.probability_max_diff:.3g} (on {int8.probability_worst}), more than the tolerance "
                    f"{args.int8_tolerance:g}; nothing was written. Export without --int8, or accept a larger "
                    "difference with --int8-tolerance."
                )
            final_folder, final_bytes = staging / "int8", int8_bytes
        report = _report(args, ckpt, plan, final_bytes, float32_bytes, proof, fp16, int8)
        (final_folder / REPORT_FILE).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        args.out.mkdir(parents=True, exist_ok=True)
        for name in (MODEL_FILE, MANIFEST_FILE, REPORT_FILE):
            shutil.copyfile(final_folder / name, args.out / name)
    _say(
        f"Wrote {args.out / MODEL_FILE} (sha256 {report['model']['sha256']}), {args.out / MANIFEST_FILE}, "
        f"{args.out / REPORT_FILE}"
    )
