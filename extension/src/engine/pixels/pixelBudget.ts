import { EngineError } from '../utilities/EngineError';

/**
 * The most pixels one analysis accepts: far above the largest real radiographs (a 43x43 cm
 * detector at 0.1 mm is about 18 megapixels; mammography about 30), far below a decompression
 * bomb. Checked from the header, before anything is decoded.
 */
export const DEFAULT_MAX_PIXELS = 60_000_000;

/** The budget to use: a positive number, else the default. */
export function maxPixelsOrDefault(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : DEFAULT_MAX_PIXELS;
}

const megapixels = (n: number) => `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)} megapixels`;

/** Throws image-unsupported when rows x columns x frames exceeds the budget. */
export function checkPixelBudget(
  rows: number,
  columns: number,
  { frames = 1, maxPixels = DEFAULT_MAX_PIXELS }: { frames?: number; maxPixels?: number } = {},
): void {
  const count = rows * columns * Math.max(1, frames);
  if (count > maxPixels) {
    throw new EngineError(
      'image-unsupported',
      `The image is ${columns}x${rows} pixels${frames > 1 ? ` x ${frames} frames` : ''} (${megapixels(count)}), more than the ${megapixels(maxPixels)} allowed for one analysis.`,
    );
  }
}
