import type { AnalysisResult, Heatmap, InputGeometry } from '../types/Analysis';
import { regionTaps, sampleCam } from './catmullRom';
import { logitScaleOfCams } from './camUnits';
import { camOfFinding } from './heatmapForFinding';

/** Samples per CAM cell along each axis of a display map: 7x7 CAMs give 224x224 maps. */
export const DISPLAY_SAMPLES_PER_CELL = 32;
/** Most samples along an axis, whatever the CAM grid: a map is at most 256 x 256 x 4 B = 256 KiB. */
export const DISPLAY_MAX_SAMPLES = 256;

type Region = { x: number; y: number; width: number; height: number };

/** The part of the model's crop that lies on the image (crops are inside it; clipped to be sure). */
function cropOnImage({ crop, imageColumns, imageRows }: InputGeometry): Region {
  const x = Math.max(0, crop.x);
  const y = Math.max(0, crop.y);
  return {
    x,
    y,
    width: Math.min(imageColumns, crop.x + crop.width) - x,
    height: Math.min(imageRows, crop.y + crop.height) - y,
  };
}

/** Samples along one axis: a whole number per CAM cell, no more than the region has pixels. */
function samplesAlong(camSize: number, cropLength: number, regionLength: number): number {
  const perCell = Math.max(
    1,
    Math.min(DISPLAY_SAMPLES_PER_CELL, Math.floor(DISPLAY_MAX_SAMPLES / camSize), Math.ceil(cropLength / camSize)),
  );
  return Math.max(1, Math.round((camSize * perCell * regionLength) / cropLength));
}

/**
 * One finding's map for display, on a small grid tied to the CAM grid: `DISPLAY_SAMPLES_PER_CELL`
 * samples per CAM cell across the model's crop (`imageRegion`), each the Catmull-Rom value of
 * `smoothHeatmapForFinding` at that sample's centre (same registration, same logit units). The
 * viewer draws it with linear interpolation between samples. `max` is the largest sample, `peak`
 * the image pixel (row, column) under it.
 */
export function displayHeatmapForFinding(result: AnalysisResult, findingIndex: number): Heatmap {
  const { cam, camRows, camColumns } = camOfFinding(result, findingIndex);
  const { geometry } = result;
  const region = cropOnImage(geometry);
  const rows = samplesAlong(camRows, geometry.crop.height, region.height);
  const columns = samplesAlong(camColumns, geometry.crop.width, region.width);
  const { xs, ys } = regionTaps(geometry, region, rows, columns, camRows, camColumns);
  const { data, max, peak } = sampleCam(cam, camRows, camColumns, xs, ys, logitScaleOfCams(result.cams.shape));
  const pixel = (start: number, length: number, samples: number, at: number, size: number) =>
    Math.min(size - 1, Math.max(0, Math.floor(start + ((at + 0.5) * length) / samples)));
  return {
    finding: result.findings[findingIndex].name,
    rows,
    columns,
    imageRegion: region,
    data,
    fullScale: result.heatmapFullScale,
    max,
    peak: {
      row: pixel(region.y, region.height, rows, peak.row, geometry.imageRows),
      column: pixel(region.x, region.width, columns, peak.column, geometry.imageColumns),
    },
  };
}

export function allDisplayHeatmaps(result: AnalysisResult): Heatmap[] {
  return result.findings.map((_, i) => displayHeatmapForFinding(result, i));
}

/** The image rectangle a map covers: its `imageRegion`, or its own grid when it has none. */
export function regionOfHeatmap(heatmap: Heatmap): Region {
  return heatmap.imageRegion ?? { x: 0, y: 0, width: heatmap.columns, height: heatmap.rows };
}

/**
 * A map's value at an image point (continuous pixel coordinates, pixel centres at integer + 0.5)
 * as a renderer draws it: linear between sample centres, held at the edge samples up to the
 * region's edges (clamp to edge), undefined outside the region (nothing is drawn there).
 */
export function heatmapValueAt(heatmap: Heatmap, x: number, y: number): number | undefined {
  const region = regionOfHeatmap(heatmap);
  const u = ((x - region.x) / region.width) * heatmap.columns - 0.5;
  const v = ((y - region.y) / region.height) * heatmap.rows - 0.5;
  if (u < -0.5 || v < -0.5 || u > heatmap.columns - 0.5 || v > heatmap.rows - 0.5) return undefined;
  const clampedU = Math.min(heatmap.columns - 1, Math.max(0, u));
  const clampedV = Math.min(heatmap.rows - 1, Math.max(0, v));
  const u0 = Math.min(heatmap.columns - 2, Math.floor(clampedU));
  const v0 = Math.min(heatmap.rows - 2, Math.floor(clampedV));
  const c0 = Math.max(0, u0);
  const r0 = Math.max(0, v0);
  const c1 = Math.min(heatmap.columns - 1, c0 + 1);
  const r1 = Math.min(heatmap.rows - 1, r0 + 1);
  const fu = clampedU - c0;
  const fv = clampedV - r0;
  const at = (r: number, c: number) => heatmap.data[r * heatmap.columns + c];
  const top = (1 - fu) * at(r0, c0) + fu * at(r0, c1);
  const bottom = (1 - fu) * at(r1, c0) + fu * at(r1, c1);
  return (1 - fv) * top + fv * bottom;
}
