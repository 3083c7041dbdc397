"""Which outputs become findings, and the threshold files."""

import math
import tempfile
import unittest
from pathlib import Path

from cxr_export.contract import NIH_FINDINGS
from cxr_export.errors import ExportError
from cxr_export.findings import plan_findings, read_thresholds


class PlanTest(unittest.TestCase):
    def test_chexnet_thresholds_default_to_uncalibrated(self):
        plan = plan_findings(14, NIH_FINDINGS, None)
        self.assertEqual(plan.names, NIH_FINDINGS)
        self.assertEqual(set(plan.thresholds), {0.5})
        self.assertEqual(plan.uncalibrated, NIH_FINDINGS)

    def test_txv_nan_and_unnamed_outputs_are_left_out(self):
        labels = ["A", "B", "", "D"]
        plan = plan_findings(4, labels, [0.1, math.nan, math.nan, 0.3])
        self.assertEqual(plan.names, ["A", "D"])
        self.assertEqual(plan.outputs, [0, 3])
        self.assertEqual(plan.thresholds, [0.1, 0.3])
        self.assertEqual(plan.uncalibrated, [])
        self.assertEqual(len(plan.dropped), 2)

    def test_overrides_win(self):
        plan = plan_findings(2, ["A", "B"], [0.1, 0.2], {"B": 0.7})
        self.assertEqual(plan.thresholds, [0.1, 0.7])

    def test_errors(self):
        with self.assertRaises(ExportError):
            plan_findings(3, ["A", "B"], None)
        with self.assertRaises(ExportError):
            plan_findings(2, ["A", "B"], None, {"C": 0.3})
        with self.assertRaises(ExportError):
            plan_findings(2, ["A", "B"], [1.5, 0.2])


class ThresholdFileTest(unittest.TestCase):
    def write(self, name: str, text: str) -> Path:
        folder = Path(tempfile.mkdtemp())
        path = folder / name
        path.write_text(text)
        return path

    def test_json_object_and_list(self):
        self.assertEqual(read_thresholds(self.write("t.json", '{"Mass": 0.3}')), {"Mass": 0.3})
        self.assertEqual(read_thresholds(self.write("t.json", '[{"name": "Mass", "threshold": 0.4}]')), {"Mass": 0.4})

    def test_csv_with_header(self):
        path = self.write("t.csv", "finding,threshold\nMass,0.25\nNodule,0.125\n")
        self.assertEqual(read_thresholds(path), {"Mass": 0.25, "Nodule": 0.125})

    def test_out_of_range(self):
        with self.assertRaises(ExportError):
            read_thresholds(self.write("t.csv", "Mass,1.0\n"))


if __name__ == "__main__":
    unittest.main()
