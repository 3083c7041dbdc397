"""The heat unit the viewer shows, as the engine computes it (logitScaleOfCams in
extension/src/engine/heatmap/camUnits.ts): the graph's CAM is ReLU(sum_k w_ck A_k) / (h w), and
heat in logit units is that times the number of feature cells, h w (models/README.md)."""

from collections.abc import Sequence


def logit_scale_of_cams(cam_size: Sequence[int]) -> int:
    """Factor from a CAM value to logit units for CAM maps of `cam_size` = (h, w)."""
    rows, columns = cam_size
    return rows * columns
