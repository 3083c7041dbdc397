import { type AnalysisResult, camsToLogits, type Heatmap } from '../engine';

/**
 * Every finding's map on the model's own CAM grid (7x7 for DenseNet-121 at 224), in logit units,
 * tiling the crop of the image the model saw: the exact model output, a few hundred bytes a map.
 * What the CLI stores; the panel stores the maps it draws.
 */
export function camGridHeatmaps(result: AnalysisResult): Heatmap[] {
  const [, findings, rows, columns] = result.cams.shape;
  const logits = camsToLogits(result.cams.data, result.cams.shape);
  const plane = rows * columns;
  return Array.from({ length: findings }, (_, i) => {
    const data = logits.slice(i * plane, (i + 1) * plane);
    let max = 0;
    let at = 0;
    data.forEach((v, k) => {
      if (v > max) {
        max = v;
        at = k;
      }
    });
    const crop = result.geometry.crop;
    return {
      finding: result.findings[i].name,
      rows,
      columns,
      imageRegion: { ...crop },
      data,
      fullScale: result.heatmapFullScale,
      max,
      peak: {
        row: Math.floor(crop.y + ((Math.floor(at / columns) + 0.5) * crop.height) / rows),
        column: Math.floor(crop.x + (((at % columns) + 0.5) * crop.width) / columns),
      },
    };
  });
}
