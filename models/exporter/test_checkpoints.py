"""Checkpoint reading: torchxrayvision's two layouts agree without the package; very old CheXNet pickles are rebuilt."""

import math
import sys
import tempfile
import unittest
from collections import OrderedDict
from pathlib import Path

import make_test_checkpoints as make
import torch
import torchvision
from cxr_export import checkpoints
from cxr_export.errors import CheckpointError
from cxr_export.findings import plan_findings


class TorchXRayVisionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.manual_seed(7)
        model = make._txv_model(torch.Generator().manual_seed(7), calibrate=False)
        folder = Path(tempfile.mkdtemp())
        cls.pickled, cls.state = folder / "model.pt", folder / "state.pt"
        torch.save(model, str(cls.pickled))
        torch.save(model.state_dict(), str(cls.state))
        # The exporter must not rely on the stand-in package the generator declared.
        for name in ("torchxrayvision", "torchxrayvision.models"):
            sys.modules.pop(name, None)

    def test_both_layouts_give_the_same_weights_findings_and_logits(self):
        whole = checkpoints.load(self.pickled, "torchxrayvision")
        state = checkpoints.load(self.state, "torchxrayvision")
        self.assertEqual(whole.layout, "torchxrayvision whole pickled model")
        self.assertEqual(state.layout, "torchxrayvision state dict")
        for name, tensor in whole.weights.state_dict.items():
            self.assertTrue(torch.equal(tensor, state.weights.state_dict[name]), name)
        self.assertEqual(sum(math.isnan(v) for v in whole.op_threshs), 4)
        plans = [plan_findings(c.weights.num_classes, c.labels, c.op_threshs) for c in (whole, state)]
        self.assertEqual(plans[0].names, plans[1].names)
        self.assertEqual(len(plans[0].names), 14)
        image = torch.rand(1, 1, 64, 64) * 2048 - 1024
        with torch.no_grad():
            logits = [c.reference.module(image) for c in (whole, state)]
        self.assertTrue(torch.equal(logits[0], logits[1]))

    def test_wrong_format_is_named(self):
        with self.assertRaises(CheckpointError) as caught:
            checkpoints.load(self.pickled, "chexnet")
        self.assertIn("--format torchxrayvision", str(caught.exception))


class OldTorchvisionPickleTest(unittest.TestCase):
    def test_a_model_pickled_before_torchvision_0_3_is_rebuilt(self):
        # torchvision < 0.3 registered dense layer parts as 'norm.1', 'conv.2', ...; today's
        # _DenseLayer cannot run such an object, so the exporter rebuilds it from its weights.
        model = make._chexnet_densenet(torch.Generator().manual_seed(3), calibrate=False)
        for layer in [m for m in model.modules() if isinstance(m, torchvision.models.densenet._DenseLayer)]:
            layer._modules = OrderedDict((name[:-1] + "." + name[-1], part) for name, part in layer._modules.items())
        path = Path(tempfile.mkdtemp()) / "checkpoint"
        torch.save(
            {"model": model, "best_loss": 0.2, "epoch": 1, "rng_state": torch.get_rng_state(), "LR": 0.01}, str(path)
        )
        loaded = checkpoints.load(path, "chexnet")
        self.assertIn("rebuilt", loaded.layout)
        self.assertTrue(loaded.weights.renamed_old_layer_names)
        self.assertTrue(loaded.weights.head_has_sigmoid)
        with torch.no_grad():
            probabilities = loaded.reference.module(torch.rand(1, 3, 64, 64))
        self.assertEqual(tuple(probabilities.shape), (1, 14))


if __name__ == "__main__":
    unittest.main()
