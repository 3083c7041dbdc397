import type { RadiographPixels } from '../types/RadiographPixels';

/** Pixels sampled for the spread: enough for a stable figure, cheap on a 40-megapixel film. */
const SAMPLES = 65_536;

/**
 * Standard deviation of the stored values over their observed range, on a regular sample: zero
 * for a constant image, near zero for a blank one with a few stray pixels, and 0.1 or more for a
 * radiograph, whatever its bit depth.
 */
export function spreadOfPixels(pixels: RadiographPixels): number {
  const data = pixels.pixelData;
  const count = Math.min(data.length, pixels.rows * pixels.columns * Math.max(1, pixels.samplesPerPixel));
  if (count === 0) return 0;
  const step = Math.max(1, Math.floor(count / SAMPLES));
  let n = 0;
  let sum = 0;
  let sumSquares = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < count; i += step) {
    const v = data[i];
    n++;
    sum += v;
    sumSquares += v * v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  const sd = Math.sqrt(Math.max(0, sumSquares / n - mean * mean));
  return max > min ? sd / (max - min) : 0;
}
