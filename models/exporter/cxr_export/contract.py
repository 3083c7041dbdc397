"""The NIH ChestX-ray14 contract (finding names in model order, ImageNet normalisation), read from
models/contract/nih-chestxray14.json, the file the TypeScript demo-model builder reads too."""

import json
from pathlib import Path

CONTRACT_FILE = Path(__file__).resolve().parents[2] / "contract" / "nih-chestxray14.json"

_CONTRACT = json.loads(CONTRACT_FILE.read_text(encoding="utf-8"))

# Output order of CheXNet (arnoweng) and reproduce-chexnet (jrzech); NIH Data_Entry spellings.
NIH_FINDINGS: list[str] = [finding["name"] for finding in _CONTRACT["findings"]]
IMAGENET_MEAN: list[float] = list(_CONTRACT["imagenetNormalization"]["mean"])
IMAGENET_STD: list[float] = list(_CONTRACT["imagenetNormalization"]["std"])
# Who NIH-trained models are for (adults; PA then AP films), written into every exported manifest.
NIH_INTENDED_POPULATION: dict = dict(_CONTRACT["intendedPopulation"])
