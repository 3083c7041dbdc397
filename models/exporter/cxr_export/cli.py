"""Command line: checkpoint -> <out>/model.onnx + manifest.json, proven against PyTorch through the engine."""

import argparse
import sys
from pathlib import Path

from .defaults import DEFAULT_FULL_SCALE_LOGITS, DEFAULT_INT8_TOLERANCE, DEFAULT_TOLERANCE
from .errors import ExportError

DESCRIPTION = """\
Turns a trained DenseNet-121 checkpoint into the viewer's model: <out>/model.onnx (probabilities and
the Grad-CAM of every finding, in one graph) and <out>/manifest.json (the engine's contract, sha256
included). Before writing, it proves the export: each --verify-images radiograph goes through the
project's engine (the built CLI's predict --dump-tensors), and the engine's probabilities and CAMs must
match the checkpoint's own model in PyTorch, with Grad-CAM computed the classic way (hooks and
backward on the feature map after the final ReLU), within --tolerance.

Formats:
  chexnet          torchvision DenseNet-121 + Linear(1024, 14): arnoweng/CheXNet's model.pth.tar
                   ({'state_dict'}, module.densenet121. prefixes, old norm.1/conv.2 names) or
                   jrzech/reproduce-chexnet's checkpoint ({'model': pickled DenseNet}), or a bare
                   state dict / model.
  torchxrayvision  torchxrayvision's DenseNet (1 channel, [-1024, 1024], 18 outputs): a pickled
                   model as torch.save(model) writes it, or its state dict. Outputs whose op_threshs
                   is NaN (or whose name is empty) were not trained and are left out; the others
                   take op_threshs as thresholds.
"""

EPILOG = """\
example:
  npm run export-model -- --format chexnet --checkpoint model.pth.tar --out site-models/chexnet-v1
  npm run -s cli -- evaluate /data/nih-sample --labels Data_Entry_2017.csv \\
    --model site-models/chexnet-v1/manifest.json
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="npm run export-model --",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--format", required=True, choices=["chexnet", "torchxrayvision"], help="checkpoint family")
    parser.add_argument("--checkpoint", required=True, type=Path, metavar="FILE", help="the trained weights file")
    parser.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="DIR",
        help="folder for model.onnx, manifest.json, export-report.json",
    )
    parser.add_argument(
        "--fp16-weights",
        action="store_true",
        help="store weights as float16 (half the download; arithmetic stays float32); "
        "the float32 graph is proven first, then the float16 one's differences are printed",
    )
    parser.add_argument(
        "--int8",
        action="store_true",
        help="dynamic int8 quantisation of the convolutions (about a quarter of the bytes, faster on CPU-only "
        "workstations); written only if the engine's int8 probabilities agree with float32 on every "
        "verification image within --int8-tolerance, else refused with the measured difference",
    )
    parser.add_argument(
        "--int8-tolerance",
        type=float,
        default=DEFAULT_INT8_TOLERANCE,
        metavar="X",
        help=f"largest accepted |int8 - float32| probability difference (default {DEFAULT_INT8_TOLERANCE:g})",
    )
    parser.add_argument(
        "--thresholds",
        type=Path,
        metavar="FILE",
        help='operating thresholds: JSON {"Finding": t} or CSV name,threshold; CheXNet '
        "checkpoints carry none, so without this they are an uncalibrated 0.5",
    )
    parser.add_argument(
        "--labels",
        metavar="NAMES",
        help="names of the classifier's outputs in order, comma separated "
        "(default: NIH's 14 for chexnet, the checkpoint's targets for torchxrayvision)",
    )
    parser.add_argument(
        "--resize",
        metavar="POLICY",
        help="stretch | center-square | shorter-side-center-crop:<N> (default: "
        "shorter-side-center-crop:256 for state dicts as CheXNet's Resize(256)+crop, "
        ":224 for pickled CheXNet models as reproduce-chexnet's Resize(224)+CenterCrop(224), "
        "center-square for torchxrayvision)",
    )
    parser.add_argument(
        "--full-scale-logits",
        type=float,
        default=DEFAULT_FULL_SCALE_LOGITS,
        metavar="X",
        help="heat (logit units: CAM x feature cells, see models/README.md) where the colour scale saturates "
        f"(default {DEFAULT_FULL_SCALE_LOGITS})",
    )
    parser.add_argument("--name", metavar="TEXT", help="model name shown with every result")
    parser.add_argument(
        "--model-version",
        metavar="TEXT",
        help="version shown with every result (default: ckpt-<sha256 prefix of the checkpoint>)",
    )
    parser.add_argument(
        "--intended-use",
        metavar="TEXT",
        help="intended-use text shown with every result (default: research use, not for diagnosis)",
    )
    parser.add_argument(
        "--verify-images",
        nargs="+",
        type=Path,
        metavar="IMAGE",
        help="radiographs (PNG/JPEG/DICOM) for the proof (default: the project's NIH fixtures)",
    )
    parser.add_argument(
        "--tolerance",
        type=float,
        default=DEFAULT_TOLERANCE,
        metavar="X",
        help=f"largest accepted difference, probabilities and CAMs alike (default {DEFAULT_TOLERANCE:g})",
    )
    parser.add_argument(
        "--engine-cli",
        metavar="COMMAND",
        help="command that runs the engine CLI (default: node build/cli/main.js, built by npm install)",
    )
    parser.add_argument("--threads", type=int, default=2, metavar="N", help="PyTorch and engine threads (default 2)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        from .run_export import run_export  # imports torch: after --help and argument errors

        run_export(args)
        return 0
    except ExportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except ModuleNotFoundError as error:
        print(
            f"error: {error}. The exporter needs PyTorch, torchvision and onnx: on Debian/Ubuntu "
            "`apt-get install python3-torch python3-torchvision python3-onnx`, and run it with that python3.",
            file=sys.stderr,
        )
        return 1
