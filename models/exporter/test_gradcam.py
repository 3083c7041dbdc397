"""The exported closed form equals classic Grad-CAM, and the reference really differentiates A."""

import unittest

import torch
from cxr_export.architecture import ProbabilitiesAndCams, densenet121
from cxr_export.checkpoints import ReferenceModel
from cxr_export.gradcam import classic_gradcam


class GradCamTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.manual_seed(0)
        torch.set_num_threads(2)
        cls.model = densenet121(3, 14, sequential_head=True)
        cls.reference = ReferenceModel(cls.model, cls.model.features, cls.model.classifier[0], "test")
        cls.image = torch.randn(1, 3, 96, 96)  # any size works; small keeps the test fast

    def test_closed_form_matches_classic_gradcam(self):
        outputs = [0, 3, 13]
        ref = classic_gradcam(self.reference, self.image, outputs)
        exported = ProbabilitiesAndCams(self.model.features, self.model.classifier[0], outputs, (96, 96)).eval()
        with torch.no_grad():
            probabilities, cams = exported(self.image)
        self.assertLess(abs(probabilities[0].numpy() - ref.probabilities).max(), 1e-6)
        self.assertLess(abs(cams[0].numpy() - ref.cams).max(), 1e-5 * max(1.0, ref.cams.max()))
        self.assertEqual(tuple(cams.shape), (1, 3, 3, 3))

    def test_gradient_is_taken_after_the_final_relu(self):
        # Against A the gradient is W/(h*w) everywhere; against the map before the ReLU it would be 0
        # wherever that map is negative. Classic Grad-CAM's alpha must therefore equal W/(h*w) exactly.
        caught = []
        handle = self.model.features.register_forward_hook(lambda _m, _i, out: caught.append(out))
        x = self.image.clone().requires_grad_(True)
        logits_before_sigmoid = []
        h2 = self.model.classifier[0].register_forward_hook(lambda _m, _i, out: logits_before_sigmoid.append(out))
        try:
            self.model(x)
        finally:
            handle.remove()
            h2.remove()
        (gradient,) = torch.autograd.grad(logits_before_sigmoid[0][0, 5], caught[0])
        cells = gradient.shape[2] * gradient.shape[3]
        expected = self.model.classifier[0].weight[5].detach() / cells
        self.assertTrue(torch.allclose(gradient[0].mean(dim=(1, 2)), expected, atol=1e-9))
        self.assertTrue(torch.allclose(gradient[0, :, 0, 0], expected, atol=1e-9))


if __name__ == "__main__":
    unittest.main()
