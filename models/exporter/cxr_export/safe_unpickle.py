"""torch.load behind an allowlist: a checkpoint may only name tensors, torch/torchvision modules and
torchxrayvision's DenseNet classes (served by local stand-ins).

Pickles can run arbitrary code, so the file's pickle opcodes are read first (pickletools, nothing
executed) and every global it names is checked; a refusal names the global, which also tells the
admin which project the file came from. Only then does torch.load run, with `torchxrayvision.models`
aliased to the stand-ins. (A custom `pickle_module` would be simpler, but torch 1.13 ignores it.)
"""

import contextlib
import inspect
import io
import pickletools
import sys
import types
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import torch
import torch.nn as nn

from . import txv_layout
from .errors import CheckpointError

_PLAIN_GLOBALS = {
    ("collections", "OrderedDict"),
    ("collections", "defaultdict"),
    ("torch", "Size"),
    ("torch", "device"),
    ("torch.serialization", "_get_layout"),
    ("torch._tensor", "_rebuild_from_type_v2"),
    ("torch.nn.parameter", "Parameter"),
    ("_codecs", "encode"),
    ("copyreg", "_reconstructor"),
    ("copy_reg", "_reconstructor"),
    # best_loss / LR values that training scripts save as numpy scalars
    ("numpy.core.multiarray", "scalar"),
    ("numpy._core.multiarray", "scalar"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy", "dtype"),
    ("numpy", "ndarray"),
}
_SAFE_BUILTINS = {"object", "set", "frozenset", "slice", "complex", "float", "int", "bool", "str", "bytes", "bytearray"}
# Packages whose nn.Module subclasses may be rebuilt (whole pickled torchvision models, DataParallel).
_MODULE_PACKAGES = ("torch.nn.", "torchvision.models.")
_STRING_OPS = {"SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8", "UNICODE", "SHORT_BINSTRING", "BINSTRING", "STRING"}


def _module_class(module: str, name: str) -> bool:
    try:
        __import__(module)
        value = getattr(sys.modules[module], name)
    except (ImportError, AttributeError):
        return False
    return inspect.isclass(value) and issubclass(value, nn.Module)


def is_allowed(module: str, name: str) -> bool:
    if module == txv_layout.PICKLED_MODULE:
        return name in txv_layout.STAND_INS
    if (module, name) in _PLAIN_GLOBALS:
        return True
    if module in ("builtins", "__builtin__"):  # protocol-2 pickles use the Python 2 name
        return name in _SAFE_BUILTINS
    if module == "torch._utils":
        return name.startswith("_rebuild_")
    if module == "torch":
        return name.endswith("Storage") or isinstance(getattr(torch, name, None), torch.dtype)
    if module.startswith(_MODULE_PACKAGES):
        return _module_class(module, name)
    return False


def _globals_in(pickle_bytes: io.BufferedIOBase) -> list[tuple[str, str]]:
    """Every (module, name) one pickle refers to, read from its opcodes without running it."""
    found: list[tuple[str, str]] = []
    pushed: list[str | None] = []  # strings pushed lately, for STACK_GLOBAL (protocol >= 4)
    memo: dict[int, str | None] = {}
    for opcode, arg, _pos in pickletools.genops(pickle_bytes):
        op = opcode.name
        if op in ("GLOBAL", "INST"):
            module, _, name = str(arg).partition(" ")
            found.append((module, name))
        elif op == "STACK_GLOBAL":
            if len(pushed) < 2 or pushed[-1] is None or pushed[-2] is None:
                raise CheckpointError("The checkpoint's pickle names a class this exporter cannot read safely.")
            found.append((pushed[-2], pushed[-1]))
        if op in _STRING_OPS:
            pushed.append(arg if isinstance(arg, str) else arg.decode("latin-1"))
        elif op in ("BINGET", "LONG_BINGET", "GET"):
            pushed.append(memo.get(int(arg)))
        elif op in ("BINPUT", "LONG_BINPUT", "PUT"):
            memo[int(arg)] = pushed[-1] if pushed else None
        elif op == "MEMOIZE":
            memo[len(memo)] = pushed[-1] if pushed else None
        elif op not in ("STACK_GLOBAL",):
            pushed.append(None)
    return found


def _pickles_of(path: Path) -> Iterator[io.BufferedIOBase]:
    """The pickles torch.load would run: data.pkl of a zip checkpoint, or the leading ones of the
    legacy (pre-1.6) format: magic number, protocol, system info, the object itself."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if member.endswith(".pkl"):
                    yield io.BytesIO(archive.read(member))
        return
    with path.open("rb") as stream:
        for _ in range(4):
            start = stream.tell()
            yield stream  # genops reads exactly up to this pickle's STOP
            if stream.tell() == start:
                break


def check_globals(path: Path) -> set[tuple[str, str]]:
    names: set[tuple[str, str]] = set()
    try:
        for pickle_stream in _pickles_of(path):
            names.update(_globals_in(pickle_stream))
    except CheckpointError:
        raise
    except Exception as error:  # noqa: BLE001 - anything unparsable is not a checkpoint we read
        raise CheckpointError(f"{path} is not a PyTorch checkpoint this exporter reads ({error}).") from error
    refused = sorted(f"{module}.{name}" for module, name in names if not is_allowed(module, name))
    if refused:
        raise CheckpointError(
            f"The checkpoint refers to {', '.join(refused)}, which this exporter does not load. It reads state "
            "dicts and whole torchvision or torchxrayvision DenseNet-121 models only (pickles can run code)."
        )
    return names


@contextlib.contextmanager
def _txv_alias() -> Iterator[None]:
    """Makes `torchxrayvision.models.DenseNet` (and friends) resolve to the stand-ins for one load."""
    saved = {name: sys.modules.get(name) for name in ("torchxrayvision", txv_layout.PICKLED_MODULE)}
    package = types.ModuleType("torchxrayvision")
    models = types.ModuleType(txv_layout.PICKLED_MODULE)
    for name, cls in txv_layout.STAND_INS.items():
        setattr(models, name, cls)
    package.models = models  # type: ignore[attr-defined]
    sys.modules["torchxrayvision"], sys.modules[txv_layout.PICKLED_MODULE] = package, models
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def load_checkpoint_file(path: Path) -> Any:
    """Reads a checkpoint onto the CPU once its pickle passed the allowlist."""
    if not path.is_file():
        raise CheckpointError(f"Checkpoint {path} does not exist.")
    check_globals(path)
    kwargs: dict[str, Any] = {"map_location": "cpu"}
    if "weights_only" in inspect.signature(torch.load).parameters:
        kwargs["weights_only"] = False  # allowlisted above; PyTorch >= 2.6 would refuse modules otherwise
    try:
        with _txv_alias():
            return torch.load(str(path), **kwargs)
    except Exception as error:  # noqa: BLE001 - any unreadable file ends the same way
        raise CheckpointError(f"Checkpoint {path} could not be read by PyTorch: {error}") from error
