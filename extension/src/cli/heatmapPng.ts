import { PNG } from 'pngjs';
import { colormapRgb, type ColormapName, type Heatmap } from '../engine';

export interface HeatmapPngOptions {
  colormap: ColormapName;
  /** Fraction of full scale below which no colour is drawn. */
  threshold: number;
  opacity: number;
}

/**
 * The radiograph as displayed (intensities in [0, 1]) with one finding's heatmap blended over it,
 * on the same colour scale the viewer uses: 0 to the model's full scale in logit units.
 */
export function heatmapPng(display: Float32Array, heatmap: Heatmap, options: HeatmapPngOptions): Buffer {
  const png = new PNG({ width: heatmap.columns, height: heatmap.rows });
  const lookup = Array.from({ length: 256 }, (_, i) => colormapRgb(options.colormap, i / 255));
  for (let i = 0; i < heatmap.data.length; i++) {
    const grey = Math.round(display[i] * 255);
    const level = Math.min(1, heatmap.data[i] / heatmap.fullScale);
    const alpha = level >= options.threshold && heatmap.data[i] > 0 ? options.opacity : 0;
    const [r, g, b] = lookup[Math.round(level * 255)];
    png.data[4 * i] = Math.round(grey * (1 - alpha) + r * alpha);
    png.data[4 * i + 1] = Math.round(grey * (1 - alpha) + g * alpha);
    png.data[4 * i + 2] = Math.round(grey * (1 - alpha) + b * alpha);
    png.data[4 * i + 3] = 255;
  }
  return PNG.sync.write(png);
}
