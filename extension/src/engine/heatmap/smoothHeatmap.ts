import type { AnalysisResult, Heatmap } from '../types/Analysis';
import { regionTaps, sampleCam } from './catmullRom';
import { logitScaleOfCams } from './camUnits';
import { camOfFinding } from './heatmapForFinding';

/**
 * One finding's map in image pixel space (one value per image pixel): the same registration and
 * logit units as `heatmapForFinding`, interpolated with Catmull-Rom instead of bilinear so the
 * coarse grid (7x7 for DenseNet-121 at 224) shows as smooth blobs, not facets when zoomed in.
 * Overshoot below zero is clipped (the CAM is a ReLU). Stored results and their CAMs are not
 * changed. The CLI's PNGs use it; the viewer draws `displayHeatmapForFinding` (a small grid).
 */
export function smoothHeatmapForFinding(result: AnalysisResult, findingIndex: number): Heatmap {
  const { cam, camRows, camColumns } = camOfFinding(result, findingIndex);
  const { imageRows, imageColumns } = result.geometry;
  const whole = { x: 0, y: 0, width: imageColumns, height: imageRows };
  const { xs, ys } = regionTaps(result.geometry, whole, imageRows, imageColumns, camRows, camColumns);
  const { data, max, peak } = sampleCam(cam, camRows, camColumns, xs, ys, logitScaleOfCams(result.cams.shape));
  return {
    finding: result.findings[findingIndex].name,
    rows: imageRows,
    columns: imageColumns,
    data,
    fullScale: result.heatmapFullScale,
    max,
    peak,
  };
}
