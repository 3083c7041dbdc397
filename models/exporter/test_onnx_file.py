"""fp16 weights: large weights halved behind Cast nodes, the graph still valid, interfaces unchanged."""

import unittest

import numpy as np
import onnx
import torch
from cxr_export.onnx_file import export_onnx, to_fp16_weights
from onnx import TensorProto, numpy_helper


class _Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 64, 3)
        self.norm = torch.nn.BatchNorm2d(64)
        self.head = torch.nn.Linear(64, 4)
        self.cam = torch.nn.Conv2d(64, 4, 1, bias=False)

    def forward(self, image):
        a = torch.relu(self.norm(self.conv(image)))
        return torch.sigmoid(self.head(a.mean(dim=(2, 3)))), torch.relu(self.cam(a))


class Fp16Test(unittest.TestCase):
    def test_weights_halved_and_cast_back(self):
        float32 = export_onnx(_Tiny().eval(), (1, 3, 16, 16), {"k": "v"})
        half = onnx.load_from_string(to_fp16_weights(float32))
        halved = [i for i in half.graph.initializer if i.data_type == TensorProto.FLOAT16]
        self.assertTrue(halved)
        self.assertTrue(all(len(i.dims) >= 2 for i in halved))
        casts = [n for n in half.graph.node if n.op_type == "Cast"]
        self.assertEqual(len(casts), len(halved))
        original = {i.name: numpy_helper.to_array(i) for i in onnx.load_from_string(float32).graph.initializer}
        for init in halved:
            name = init.name[: -len("__fp16")]
            np.testing.assert_allclose(
                numpy_helper.to_array(init).astype(np.float32), original[name], rtol=1e-3, atol=1e-4
            )
        self.assertEqual([o.name for o in half.graph.output], ["probabilities", "cams"])
        self.assertEqual([i.name for i in half.graph.input], ["image"])
        self.assertEqual({p.key: p.value for p in half.metadata_props}, {"k": "v"})


if __name__ == "__main__":
    unittest.main()
