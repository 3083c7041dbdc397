import type { AnalysisResult, Heatmap, InputGeometry } from '../types/Analysis';
import { logitScaleOfCams } from './camUnits';

/**
 * Where each image pixel falls on the CAM grid along one axis: two neighbouring cells and the
 * weight of the second (bilinear, half-pixel centres, clamped at the edges), or -1 outside the
 * region the model saw.
 */
function camAxis(imageSize: number, cropStart: number, cropLength: number, camSize: number) {
  const lower = new Int32Array(imageSize);
  const upperWeight = new Float32Array(imageSize);
  for (let p = 0; p < imageSize; p++) {
    const inCrop = (p + 0.5 - cropStart) / cropLength; // 0..1 across the model's view
    if (inCrop < 0 || inCrop >= 1) {
      lower[p] = -1;
      continue;
    }
    const cam = Math.min(camSize - 1, Math.max(0, inCrop * camSize - 0.5));
    const low = Math.min(camSize - 2, Math.floor(cam));
    lower[p] = Math.max(0, low);
    upperWeight[p] = camSize > 1 ? cam - lower[p] : 0;
  }
  return { lower, upperWeight };
}

function camToImage(
  cam: Float32Array,
  camRows: number,
  camColumns: number,
  geometry: InputGeometry,
  scale: number,
): { data: Float32Array; max: number } {
  const { imageRows, imageColumns, crop } = geometry;
  const xs = camAxis(imageColumns, crop.x, crop.width, camColumns);
  const ys = camAxis(imageRows, crop.y, crop.height, camRows);
  const data = new Float32Array(imageRows * imageColumns);
  const step = camColumns > 1 ? 1 : 0;
  let max = 0;
  for (let y = 0; y < imageRows; y++) {
    const row = ys.lower[y];
    if (row < 0) continue;
    const wy = ys.upperWeight[y];
    const top = row * camColumns;
    const bottom = (camRows > 1 ? row + 1 : row) * camColumns;
    const outRow = y * imageColumns;
    for (let x = 0; x < imageColumns; x++) {
      const col = xs.lower[x];
      if (col < 0) continue;
      const wx = xs.upperWeight[x];
      const upper = (1 - wx) * cam[top + col] + wx * cam[top + col + step];
      const lower = (1 - wx) * cam[bottom + col] + wx * cam[bottom + col + step];
      const value = ((1 - wy) * upper + wy * lower) * scale;
      data[outRow + x] = value;
      if (value > max) max = value;
    }
  }
  return { data, max };
}

/** One finding's plane of the result's CAMs (a view, not a copy) and the grid's size. */
export function camOfFinding(result: AnalysisResult, findingIndex: number) {
  const [, findings, camRows, camColumns] = result.cams.shape;
  if (findingIndex < 0 || findingIndex >= findings) {
    throw new RangeError(`No finding ${findingIndex}: the model has ${findings}.`);
  }
  const plane = camRows * camColumns;
  return { cam: result.cams.data.subarray(findingIndex * plane, (findingIndex + 1) * plane), camRows, camColumns };
}

/**
 * One finding's Grad-CAM in image pixel space, undoing the crop and resize exactly. Values are in
 * logit units: the model's Grad-CAM times h*w, i.e. ReLU(sum_k w_ck A_k) at each location, the
 * amount that location adds to the finding's logit before averaging. The same unit for every
 * finding and image; see models/README.md.
 */
export function heatmapForFinding(result: AnalysisResult, findingIndex: number): Heatmap {
  const { cam, camRows, camColumns } = camOfFinding(result, findingIndex);
  const { data, max } = camToImage(cam, camRows, camColumns, result.geometry, logitScaleOfCams(result.cams.shape));
  return {
    finding: result.findings[findingIndex].name,
    rows: result.geometry.imageRows,
    columns: result.geometry.imageColumns,
    data,
    fullScale: result.heatmapFullScale,
    max,
  };
}

export function allHeatmaps(result: AnalysisResult): Heatmap[] {
  return result.findings.map((_, i) => heatmapForFinding(result, i));
}
