/** The pixels of a heatmap capture: the film at display intensities, the map blended in its hue. */
import {
  DEFAULT_HEATMAP_THRESHOLD,
  displayIntensities,
  type Heatmap,
  heatmapValueAt,
  type RadiographPixels,
} from '../engine';

export interface GreyImage {
  rows: number;
  columns: number;
  /** Row-major, 0..255. */
  data: Uint8Array;
}

/** Area-average resampling of a row-major plane to `rows x columns` (shrinking only). */
function shrink(src: ArrayLike<number>, srcRows: number, srcColumns: number, rows: number, columns: number) {
  const out = new Float32Array(rows * columns);
  const fy = srcRows / rows;
  const fx = srcColumns / columns;
  for (let y = 0; y < rows; y++) {
    const y0 = Math.floor(y * fy);
    const y1 = Math.max(y0 + 1, Math.min(srcRows, Math.floor((y + 1) * fy)));
    for (let x = 0; x < columns; x++) {
      const x0 = Math.floor(x * fx);
      const x1 = Math.max(x0 + 1, Math.min(srcColumns, Math.floor((x + 1) * fx)));
      let sum = 0;
      for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += src[yy * srcColumns + xx];
      out[y * columns + x] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

function fitted(rows: number, columns: number, maxSide: number) {
  const scale = Math.min(1, maxSide / Math.max(rows, columns));
  return { rows: Math.max(1, Math.round(rows * scale)), columns: Math.max(1, Math.round(columns * scale)) };
}

/**
 * The analysed image at its display intensities (the engine's grayscale pipeline: modality LUT,
 * the image's own VOI, MONOCHROME1 inverted), shrunk so its longer side is at most `maxSide`.
 */
export function captureBackground(pixels: RadiographPixels, maxSide: number): GreyImage {
  const { values } = displayIntensities(pixels);
  const size = fitted(pixels.rows, pixels.columns, maxSide);
  const small = shrink(values, pixels.rows, pixels.columns, size.rows, size.columns);
  const data = new Uint8Array(small.length);
  for (let i = 0; i < small.length; i++) data[i] = Math.round(Math.min(1, Math.max(0, small[i])) * 255);
  return { ...size, data };
}

/** A background shrunk to at most `maxPixels` pixels (the objects' size budget). */
export function fitBackground(background: GreyImage, maxPixels: number): GreyImage {
  const pixels = background.rows * background.columns;
  if (pixels <= maxPixels) return background;
  const scale = Math.sqrt(maxPixels / pixels);
  const rows = Math.max(1, Math.floor(background.rows * scale));
  const columns = Math.max(1, Math.floor(background.columns * scale));
  const small = shrink(background.data, background.rows, background.columns, rows, columns);
  return { rows, columns, data: Uint8Array.from(small, (v) => Math.round(v)) };
}

export interface HeatLook {
  hue: readonly [number, number, number];
  /** Fraction of full scale below which nothing is drawn (the viewer's default). */
  threshold: number;
  opacity: number;
}

export const CAPTURE_LOOK = { threshold: DEFAULT_HEATMAP_THRESHOLD, opacity: 0.6 };

/**
 * RGB of the film with one map over it, as the viewer draws a map in its finding's hue: colour
 * from 0.7 of the hue to the hue across the scale, opacity from 0.6 of `opacity` at the threshold
 * to `opacity` at full scale, nothing below the threshold.
 */
export function blendHeat(
  background: GreyImage,
  map: Heatmap,
  source: { rows: number; columns: number },
  look: HeatLook,
): Uint8Array {
  const { rows, columns } = background;
  const sx = source.columns / columns;
  const sy = source.rows / rows;
  const rgb = new Uint8Array(rows * columns * 3);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) {
      const i = y * columns + x;
      const grey = background.data[i];
      // The map as the viewer's renderer samples it (linear between samples, nothing outside its region).
      const level = Math.min(1, (heatmapValueAt(map, (x + 0.5) * sx, (y + 0.5) * sy) ?? 0) / map.fullScale);
      const show = level > 0 && level >= look.threshold;
      const alpha = show
        ? look.opacity * (0.6 + (0.4 * (level - look.threshold)) / Math.max(1e-6, 1 - look.threshold))
        : 0;
      for (let c = 0; c < 3; c++) {
        const colour = 255 * look.hue[c] * (0.7 + 0.3 * level);
        rgb[3 * i + c] = Math.round(grey * (1 - alpha) + colour * alpha);
      }
    }
  }
  return rgb;
}
