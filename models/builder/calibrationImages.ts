/**
 * Synthetic images for BatchNorm calibration: smooth blobs of varying size and contrast with
 * a little fine grain, min-max stretched to [0, 1] like a windowed radiograph, then normalised
 * per channel as the model's preprocessing would. Nothing is read from disk, so builds stay
 * self-contained and reproducible.
 */
import { createFeatureMap, type FeatureMap } from './featureMap';
import { type SeededRandom } from './random';

export interface InputNormalization {
  mean: number[];
  std: number[];
}

// Bound once: looking `Math` up per pixel is ~100x slower inside a vm sandbox such as jest's.
const { exp } = Math;

const BLOBS_PER_IMAGE = 24;
const GRAIN_STD = 0.02;

export function syntheticCalibrationBatch(
  random: SeededRandom,
  count: number,
  channels: number,
  [height, width]: [number, number],
  normalization: InputNormalization,
): FeatureMap {
  const batch = createFeatureMap(count, channels, height, width);
  const plane = height * width;
  for (let n = 0; n < count; n++) {
    const gray = grayscaleBlobImage(random, height, width);
    for (let c = 0; c < channels; c++) {
      const mean = normalization.mean[c % normalization.mean.length];
      const std = normalization.std[c % normalization.std.length];
      const base = (n * channels + c) * plane;
      for (let p = 0; p < plane; p++) batch.data[base + p] = (gray[p] - mean) / std;
    }
  }
  return batch;
}

function grayscaleBlobImage(random: SeededRandom, height: number, width: number): Float64Array {
  const image = new Float64Array(height * width);
  const size = Math.min(height, width);
  for (let blob = 0; blob < BLOBS_PER_IMAGE; blob++) {
    const amplitude = 2 * random.uniform() - 1;
    const sigma = size * (0.04 + 0.3 * random.uniform());
    const centerY = height * random.uniform();
    const centerX = width * random.uniform();
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const distanceSquared = (y - centerY) ** 2 + (x - centerX) ** 2;
        image[y * width + x] += amplitude * exp(-distanceSquared / (2 * sigma * sigma));
      }
    }
  }
  for (let p = 0; p < image.length; p++) image[p] += GRAIN_STD * random.normal();

  let min = image[0];
  let max = image[0];
  for (const value of image) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const range = max - min || 1;
  return image.map((value) => (value - min) / range);
}
