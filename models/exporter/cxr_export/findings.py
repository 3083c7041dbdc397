"""Which head outputs become findings, under what names and thresholds."""

import csv
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import ExportError

UNCALIBRATED_THRESHOLD = 0.5


@dataclass
class FindingPlan:
    names: list[str]
    """Exported findings, in output order."""
    outputs: list[int]
    """Index of each exported finding in the checkpoint's head."""
    thresholds: list[float]
    calibrated: list[bool]
    """False where the threshold is the uncalibrated default."""
    dropped: list[str]
    """Head outputs left out of the export, with the reason."""

    @property
    def uncalibrated(self) -> list[str]:
        return [name for name, ok in zip(self.names, self.calibrated, strict=True) if not ok]


def _check_probability(value: float, what: str) -> float:
    if not (0.0 < value < 1.0):
        raise ExportError(f"{what} is {value}; a threshold must lie strictly between 0 and 1.")
    return value


def parse_label_list(text: str) -> list[str]:
    """`--labels`: names of the head's outputs in order, comma separated; an empty name skips an output."""
    return [name.strip() for name in text.split(",")]


def read_thresholds(path: Path) -> dict[str, float]:
    """`--thresholds`: JSON {"name": t, ...} or [{"name":..., "threshold":...}], or CSV rows `name,threshold`."""
    if not path.is_file():
        raise ExportError(f"Threshold file {path} does not exist.")
    text = path.read_text(encoding="utf-8")
    pairs: list[tuple] = []
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        if isinstance(data, dict):
            pairs = list(data.items())
        elif isinstance(data, list) and all(isinstance(e, dict) and {"name", "threshold"} <= set(e) for e in data):
            pairs = [(e["name"], e["threshold"]) for e in data]
        else:
            raise ExportError(f'{path}: expected {{"finding": threshold}} or [{{"name", "threshold"}}].')
    else:
        for row in csv.reader(text.splitlines()):
            if not row or row[0].strip().startswith("#"):
                continue
            if len(row) < 2:
                raise ExportError(f"{path}: each row must be name,threshold (got {','.join(row)!r}).")
            try:
                pairs.append((row[0].strip(), float(row[1])))
            except ValueError:
                if pairs:  # only the first row may be a header
                    raise ExportError(f"{path}: {row[1]!r} is not a number.") from None
    thresholds: dict[str, float] = {}
    for name, value in pairs:
        thresholds[str(name)] = _check_probability(float(value), f"{path}: threshold of {name}")
    return thresholds


def plan_findings(
    num_outputs: int,
    labels: Sequence[str],
    op_threshs: Sequence[float] | None,
    threshold_overrides: Mapping[str, float] | None = None,
) -> FindingPlan:
    """Keeps an output when it has a name and, if the checkpoint has op_threshs, a finite one there.

    torchxrayvision marks findings its weights were not trained on with an empty name and a NaN
    operating threshold; those are left out of the model rather than shown as never-positive.
    """
    if len(labels) != num_outputs:
        raise ExportError(
            f"The classifier has {num_outputs} outputs but {len(labels)} finding names are known; "
            "name every output with --labels a,b,c (an empty name skips an output)."
        )
    overrides = dict(threshold_overrides or {})
    unknown = sorted(set(overrides) - set(labels))
    if unknown:
        raise ExportError(f"--thresholds names findings this model does not have: {', '.join(unknown)}.")
    plan = FindingPlan([], [], [], [], [])
    for index, name in enumerate(labels):
        op = op_threshs[index] if op_threshs is not None else None
        untrained = op is not None and not math.isfinite(op)
        if not name or untrained:
            reasons = (["unnamed"] if not name else []) + (["op_threshs NaN: not trained"] if untrained else [])
            plan.dropped.append(f"{name or f'output {index}'} ({', '.join(reasons)})")
            continue
        if name in plan.names:
            raise ExportError(f"Finding {name} appears twice among the outputs.")
        if name in overrides:
            threshold, calibrated = overrides[name], True
        elif op is not None:
            threshold, calibrated = _check_probability(op, f"op_threshs of {name}"), True
        else:
            threshold, calibrated = UNCALIBRATED_THRESHOLD, False
        plan.names.append(name)
        plan.outputs.append(index)
        plan.thresholds.append(threshold)
        plan.calibrated.append(calibrated)
    if not plan.names:
        raise ExportError("No trained, named finding is left to export.")
    return plan
