import { EngineError } from '../utilities/EngineError';
import type { PreparedInput } from '../types/Analysis';
import type { RadiographPixels, VoiLutFunction } from '../types/RadiographPixels';

/**
 * Turns stored pixel values into display intensities in [0, 1] (0 black, 1 white) the way the
 * DICOM grayscale pipeline does: modality LUT, the image's own VOI, then MONOCHROME1 inversion.
 * The user's interactive window/level is deliberately not an input: same image, same result.
 */
export function displayIntensities(pixels: RadiographPixels): {
  values: Float32Array;
  voiSource: PreparedInput['voiSource'];
} {
  assertSupported(pixels);
  const count = pixels.rows * pixels.columns;
  const modality = applyModalityLut(pixels, count);
  const { values, voiSource } = applyVoi(modality, pixels);
  if (pixels.photometricInterpretation === 'MONOCHROME1') {
    for (let i = 0; i < count; i++) values[i] = 1 - values[i];
  }
  return { values, voiSource };
}

function assertSupported(pixels: RadiographPixels): void {
  const photometric = pixels.photometricInterpretation;
  if (pixels.samplesPerPixel !== 1 || (photometric !== 'MONOCHROME1' && photometric !== 'MONOCHROME2')) {
    throw new EngineError(
      'image-unsupported',
      `This is a colour image (${photometric}, ${pixels.samplesPerPixel} samples per pixel); the model reads greyscale radiographs only.`,
    );
  }
  if ((pixels.numberOfFrames ?? 1) > 1) {
    throw new EngineError(
      'image-unsupported',
      `This image has ${pixels.numberOfFrames} frames; the model reads single-frame radiographs only.`,
    );
  }
  if (pixels.rows < 8 || pixels.columns < 8) {
    throw new EngineError('image-unsupported', `The image is too small to read (${pixels.columns}x${pixels.rows}).`);
  }
  if (pixels.pixelData.length < pixels.rows * pixels.columns) {
    throw new EngineError(
      'image-unsupported',
      'The image has fewer pixel values than its size says; it may be damaged.',
    );
  }
}

function applyModalityLut(pixels: RadiographPixels, count: number): Float32Array {
  const source = pixels.pixelData;
  const out = new Float32Array(count);
  if (pixels.rescaleApplied) {
    for (let i = 0; i < count; i++) out[i] = source[i];
    return out;
  }
  const lut = pixels.modalityLut;
  if (lut) {
    const last = lut.data.length - 1;
    for (let i = 0; i < count; i++) {
      const index = Math.min(last, Math.max(0, source[i] - lut.firstValueMapped));
      out[i] = lut.data[index];
    }
    return out;
  }
  const slope = pixels.rescaleSlope ?? 1;
  const intercept = pixels.rescaleIntercept ?? 0;
  for (let i = 0; i < count; i++) out[i] = source[i] * slope + intercept;
  return out;
}

function applyVoi(
  values: Float32Array,
  pixels: RadiographPixels,
): { values: Float32Array; voiSource: PreparedInput['voiSource'] } {
  const lut = pixels.voiLut;
  if (lut && lut.data.length > 0) {
    const last = lut.data.length - 1;
    const maxOutput = 2 ** lut.bitsPerEntry - 1;
    for (let i = 0; i < values.length; i++) {
      const index = Math.min(last, Math.max(0, Math.round(values[i]) - lut.firstValueMapped));
      values[i] = Math.min(1, Math.max(0, lut.data[index] / maxOutput));
    }
    return { values, voiSource: 'voi-lut' };
  }
  const { windowCenter, windowWidth } = pixels;
  if (windowCenter !== undefined && windowWidth !== undefined && Number.isFinite(windowCenter) && windowWidth > 0) {
    const transfer = windowTransfer(windowCenter, windowWidth, pixels.voiLutFunction ?? 'LINEAR');
    for (let i = 0; i < values.length; i++) values[i] = transfer(values[i]);
    return { values, voiSource: 'window' };
  }
  return { values: stretchFullRange(values), voiSource: 'full-range' };
}

/** DICOM PS3.3 C.11.2.1.2: window transfer functions, here onto [0, 1]. */
export function windowTransfer(center: number, width: number, fn: VoiLutFunction): (x: number) => number {
  switch (fn) {
    case 'SIGMOID':
      return (x) => 1 / (1 + Math.exp((-4 * (x - center)) / width));
    case 'LINEAR_EXACT':
      return (x) => clamp01((x - center) / width + 0.5);
    case 'LINEAR':
    default: {
      // LINEAR needs width >= 1; a narrower window is a step at the centre.
      const span = Math.max(width - 1, Number.EPSILON);
      return (x) => clamp01((x - (center - 0.5)) / span + 0.5);
    }
  }
}

function stretchFullRange(values: Float32Array): Float32Array {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const span = max - min;
  for (let i = 0; i < values.length; i++) values[i] = span > 0 ? (values[i] - min) / span : 0;
  return values;
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);
