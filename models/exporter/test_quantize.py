"""--int8: every constant-weight Conv becomes DynamicQuantizeLinear + ConvInteger + rescale, weights
uint8 per output channel within half a step of the float32 ones; the rest of the graph unchanged.
(Numerics through onnxruntime are checked end to end by test/exporter/exporter.test.ts.)"""

import unittest
from collections import Counter

import numpy as np
import onnx
import torch
from cxr_export.errors import ExportError
from cxr_export.onnx_file import export_onnx
from cxr_export.quantize import WEIGHT_ZERO_POINT, _quantize_weights, quantize_dynamic_int8
from onnx import TensorProto, helper


class _Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 64, 3, stride=2, padding=1)
        self.norm = torch.nn.BatchNorm2d(64)
        self.conv2 = torch.nn.Conv2d(64, 32, 1)
        self.head = torch.nn.Linear(32, 4)

    def forward(self, image):
        a = torch.relu(self.conv2(torch.relu(self.norm(self.conv(image)))))
        return torch.sigmoid(self.head(a.mean(dim=(2, 3)))), a[:, :4]


class QuantizeTest(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)
        self.float32 = export_onnx(_Tiny().eval(), (1, 3, 16, 16), {"k": "v"})

    def test_weights_within_half_a_step_per_channel(self):
        weights = np.random.default_rng(1).normal(size=(8, 4, 3, 3)).astype(np.float32)
        weights[3] *= 100  # one loud channel must not coarsen the others
        w_q, scale = _quantize_weights(weights)
        self.assertEqual(w_q.dtype, np.uint8)
        restored = (w_q.astype(np.float32) - WEIGHT_ZERO_POINT) * scale.reshape(-1, 1, 1, 1)
        error = np.abs(restored - weights).reshape(8, -1).max(axis=1)
        self.assertTrue(np.all(error <= scale / 2 + 1e-7))
        self.assertLess(scale[0], scale[3] / 20)

    def test_every_constant_conv_is_quantised(self):
        before = onnx.load_from_string(self.float32)
        after = onnx.load_from_string(quantize_dynamic_int8(self.float32))
        ops = Counter(n.op_type for n in after.graph.node)
        convs = sum(1 for n in before.graph.node if n.op_type == "Conv")
        self.assertEqual(ops["Conv"], 0)
        self.assertEqual(ops["ConvInteger"], convs)
        self.assertEqual(ops["DynamicQuantizeLinear"], convs)
        original = [n for n in before.graph.node if n.op_type == "Conv"]
        quantised = [n for n in after.graph.node if n.op_type == "ConvInteger"]
        for a, b in zip(original, quantised, strict=True):
            self.assertEqual(
                {x.name: helper.get_attribute_value(x) for x in a.attribute if x.name != "kernel_shape"},
                {x.name: helper.get_attribute_value(x) for x in b.attribute if x.name != "kernel_shape"},
            )
        # The float32 conv weights are gone; the classifier's stay float32.
        int8 = [i for i in after.graph.initializer if i.data_type == TensorProto.UINT8 and len(i.dims) == 4]
        self.assertEqual(len(int8), convs)
        names = {i.name for i in after.graph.initializer}
        for node in original:
            self.assertNotIn(node.input[1], names)
        self.assertEqual([o.name for o in after.graph.output], [o.name for o in before.graph.output])
        self.assertEqual([i.name for i in after.graph.input], [i.name for i in before.graph.input])
        self.assertLess(len(after.SerializeToString()), 0.5 * len(self.float32))

    def test_refuses_a_graph_without_constant_convs(self):
        graph = helper.make_graph(
            [helper.make_node("Relu", ["x"], ["y"])],
            "g",
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])],
        )
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        with self.assertRaises(ExportError):
            quantize_dynamic_int8(model.SerializeToString())


if __name__ == "__main__":
    unittest.main()
