"""Runs the project's own engine (the CLI's `predict --dump-tensors`) on an image and reads back the
very input tensor it ran and the model's raw outputs."""

import json
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .defaults import REPO_ROOT
from .errors import VerificationError

_TIMEOUT_S = 600


def default_engine_command() -> list[str]:
    # The compiled CLI through its launcher, which recompiles it first if the sources are newer.
    return [shutil.which("node") or "node", str(REPO_ROOT / "scripts" / "cli.js")]


def engine_command(override: str | None) -> list[str]:
    command = shlex.split(override) if override else default_engine_command()
    if not override and not Path(command[-1]).is_file():
        raise VerificationError(f"The engine CLI {command[-1]} is missing; cannot prove the export.")
    return command


@dataclass
class EngineDump:
    input: np.ndarray  # [1, C, H, W] float32
    probabilities: np.ndarray  # [F]
    cams: np.ndarray  # [F, h, w]
    findings: list[str]
    inference_ms: float | None = None
    """The engine's session.run time for this image (one run in a fresh process: noisy, for scale)."""


def _read_f32(path: Path, shape: list[int]) -> np.ndarray:
    values = np.fromfile(path, dtype="<f4")
    if values.size != int(np.prod(shape)):
        raise VerificationError(f"{path.name} holds {values.size} floats, expected shape {shape}.")
    return values.reshape(shape)


def run_predict(command: list[str], image: Path, manifest: Path, threads: int) -> EngineDump:
    with tempfile.TemporaryDirectory(prefix="cxr-export-dump-") as dump_dir:
        args = command + [
            "predict",
            str(image),
            "--model",
            str(manifest),
            "--json",
            "--dump-tensors",
            dump_dir,
            "--threads",
            str(threads),
            # The proof runs what the viewer runs on the CPU, not the CLI's faster native default.
            "--backend",
            "wasm",
        ]
        try:
            done = subprocess.run(args, cwd=REPO_ROOT, capture_output=True, text=True, timeout=_TIMEOUT_S)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise VerificationError(f"The engine CLI could not run ({error}).") from error
        if done.returncode != 0:
            detail = (done.stderr.strip() or done.stdout.strip()).splitlines()
            raise VerificationError(f"The engine refused {image.name}: {detail[-1] if detail else 'no message'}")
        dump = Path(dump_dir)
        meta = json.loads((dump / "dump.json").read_text(encoding="utf-8"))
        findings = [f["name"] if isinstance(f, dict) else str(f) for f in meta["findings"]]
        cam_shape = list(meta["camShape"])
        try:
            inference_ms = float(json.loads(done.stdout)["timingsMs"]["inferenceMs"])
        except (ValueError, KeyError, TypeError):
            inference_ms = None
        return EngineDump(
            input=_read_f32(dump / "input.f32", list(meta["inputShape"])),
            probabilities=_read_f32(dump / "probabilities.f32", [len(findings)]),
            cams=_read_f32(dump / "cams.f32", cam_shape).reshape(cam_shape[1:]),
            findings=findings,
            inference_ms=inference_ms,
        )
