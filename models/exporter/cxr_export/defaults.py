"""Where the exporter finds the repository, and the defaults shared by its command line and the export."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_VERIFY_IMAGES = [
    REPO_ROOT / "demo" / "data" / "nih" / "txv__00000001_000.png",
    REPO_ROOT / "demo" / "data" / "nih" / "jrzech__00001369_000.png",
]
DEFAULT_FULL_SCALE_LOGITS = 4.0
DEFAULT_TOLERANCE = 1e-4
# --int8: the largest accepted |int8 - float32| probability difference on the verification images.
DEFAULT_INT8_TOLERANCE = 0.01
