"""Exports CheXNet-style and torchxrayvision DenseNet-121 checkpoints into the viewer's model format.

`python3 -m cxr_export --help` (run from models/exporter) or `npm run export-model -- --help`.
"""
