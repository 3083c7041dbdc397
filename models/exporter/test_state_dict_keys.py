"""Key mapping: every spelling the supported projects use, and the errors for anything else."""

import re
import unittest
from collections import OrderedDict

import torch
from cxr_export.architecture import densenet121, expected_shapes
from cxr_export.errors import CheckpointError
from cxr_export.state_dict_keys import canonicalize, head_shape

EXPECTED = expected_shapes(3, 14)


def torchvision_state(sequential_head: bool = False) -> "OrderedDict[str, torch.Tensor]":
    return densenet121(3, 14, sequential_head=sequential_head).state_dict()


def old_names(state):
    return OrderedDict(
        (re.sub(r"(denselayer\d+)\.(norm|relu|conv)([12])\.", r"\1.\2.\3.", k), v) for k, v in state.items()
    )


class CanonicalizeTest(unittest.TestCase):
    def test_plain_torchvision_keys_pass_through(self):
        state = torchvision_state()
        weights = canonicalize(state, EXPECTED)
        self.assertEqual(list(weights.state_dict), list(EXPECTED))
        self.assertEqual((weights.in_channels, weights.num_classes, weights.prefix), (3, 14, ""))
        self.assertFalse(weights.head_has_sigmoid)

    def test_arnoweng_prefix_old_names_and_sequential_head(self):
        state = torchvision_state(sequential_head=True)
        raw = OrderedDict(
            ("module.densenet121." + k, v) for k, v in old_names(state).items() if not k.endswith("num_batches_tracked")
        )
        self.assertIn("module.densenet121.features.denseblock1.denselayer1.norm.1.weight", raw)
        weights = canonicalize(raw, EXPECTED)
        self.assertEqual(weights.prefix, "module.densenet121.")
        self.assertTrue(weights.renamed_old_layer_names)
        self.assertTrue(weights.head_has_sigmoid)
        self.assertTrue(torch.equal(weights.state_dict["classifier.weight"], state["classifier.0.weight"]))
        self.assertTrue(
            torch.equal(
                weights.state_dict["features.denseblock4.denselayer16.conv2.weight"],
                state["features.denseblock4.denselayer16.conv2.weight"],
            )
        )

    def test_op_threshs_is_kept_apart(self):
        state = torchvision_state()
        state["op_threshs"] = torch.tensor([0.1] * 14)
        weights = canonicalize(state, EXPECTED)
        self.assertEqual(weights.op_threshs.shape, (14,))
        self.assertNotIn("op_threshs", weights.state_dict)

    def test_unexpected_missing_and_misshapen_keys_are_named(self):
        state = torchvision_state()
        del state["features.norm5.bias"]
        state["features.norm6.weight"] = torch.ones(3)
        state["classifier.bias"] = torch.zeros(15)
        with self.assertRaises(CheckpointError) as caught:
            canonicalize(state, EXPECTED)
        message = str(caught.exception)
        self.assertIn("unexpected keys: features.norm6.weight", message)
        self.assertIn("missing keys: features.norm5.bias", message)
        self.assertIn("classifier.bias (15,) (expected (14,))", message)

    def test_not_a_densenet(self):
        with self.assertRaises(CheckpointError) as caught:
            canonicalize({"layer1.0.conv1.weight": torch.zeros(1)}, EXPECTED)
        self.assertIn("layer1.0.conv1.weight", str(caught.exception))

    def test_head_shape_reads_channels_and_outputs(self):
        state = densenet121(1, 18).state_dict()
        self.assertEqual(head_shape(state), (1, 18))


if __name__ == "__main__":
    unittest.main()
