import type { PreparedInput } from '../types/Analysis';
import type { ModelManifest } from '../types/ModelManifest';
import type { RadiographPixels } from '../types/RadiographPixels';
import { displayIntensities } from './displayIntensities';
import { inputGeometry } from './inputGeometry';
import { resampleRegion } from './resampleRegion';

/**
 * Image as displayed by its own DICOM values -> the model's input tensor, plus the exact geometry
 * that maps the model grid back onto image pixels.
 */
export function preparePixels(
  pixels: RadiographPixels,
  manifest: Pick<ModelManifest, 'preprocessing' | 'input'>,
): PreparedInput {
  const { values, voiSource } = displayIntensities(pixels);
  const geometry = inputGeometry(pixels.rows, pixels.columns, manifest.preprocessing);
  const [gridHeight, gridWidth] = geometry.gridSize;
  const grid = resampleRegion(values, pixels.rows, pixels.columns, geometry.crop, gridHeight, gridWidth);

  const channels = manifest.input.channels;
  const plane = gridHeight * gridWidth;
  const tensorData = new Float32Array(channels * plane);
  const intensity = manifest.preprocessing.intensity;
  for (let c = 0; c < channels; c++) {
    // Both mappings are affine in the display intensity: v * gain + offset.
    const gain = intensity.kind === 'mean-std' ? 1 / intensity.std[c] : intensity.max - intensity.min;
    const offset = intensity.kind === 'mean-std' ? -intensity.mean[c] / intensity.std[c] : intensity.min;
    const channelOffset = c * plane;
    for (let i = 0; i < plane; i++) tensorData[channelOffset + i] = grid[i] * gain + offset;
  }
  return { tensorData, shape: [1, channels, gridHeight, gridWidth], geometry, voiSource };
}
