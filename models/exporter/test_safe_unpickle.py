"""The allowlist: foreign globals are refused by name before anything runs."""

import os
import sys
import tempfile
import unittest
from pathlib import Path

import torch
from cxr_export.errors import CheckpointError
from cxr_export.safe_unpickle import check_globals, load_checkpoint_file


class _RunsACommand:
    def __reduce__(self):
        return (os.system, ("echo this must never run",))


class SafeUnpickleTest(unittest.TestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp())

    def test_code_execution_is_refused_by_name(self):
        path = self.folder / "evil.pt"
        torch.save({"state_dict": {}, "payload": _RunsACommand()}, str(path))
        with self.assertRaises(CheckpointError) as caught:
            load_checkpoint_file(path)
        self.assertRegex(str(caught.exception), r"(posix|os|nt)\.system")

    def test_legacy_format_is_scanned_too(self):
        path = self.folder / "evil-legacy.pt"
        torch.save({"payload": _RunsACommand()}, str(path), _use_new_zipfile_serialization=False)
        with self.assertRaises(CheckpointError):
            check_globals(path)

    def test_state_dicts_load_in_both_formats(self):
        state = {"features.conv0.weight": torch.ones(2, 2)}
        for zipped in (True, False):
            path = self.folder / f"state-{zipped}.pt"
            torch.save({"state_dict": state, "epoch": 3}, str(path), _use_new_zipfile_serialization=zipped)
            loaded = load_checkpoint_file(path)
            self.assertTrue(torch.equal(loaded["state_dict"]["features.conv0.weight"], state["features.conv0.weight"]))

    def test_txv_alias_is_removed_after_loading(self):
        path = self.folder / "plain.pt"
        torch.save({"x": torch.zeros(1)}, str(path))
        load_checkpoint_file(path)
        self.assertNotIn("torchxrayvision.models", sys.modules)

    def test_missing_file(self):
        with self.assertRaises(CheckpointError):
            load_checkpoint_file(self.folder / "nothing.pt")


if __name__ == "__main__":
    unittest.main()
