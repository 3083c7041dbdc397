import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { readImageFile } from '../../cli/io/readImageFile';
import { readRasterFile } from '../../cli/io/readRasterFile';
import {
  CR_MONO1_10BIT,
  DX_MONO2_8BIT,
  FIXTURE_SOURCE_PNG,
  nihPng,
  RG1_J2K_MONO1,
} from '../../../../test/fixtures/paths';
import type { ModelManifest } from '../types/ModelManifest';
import type { RadiographPixels } from '../types/RadiographPixels';
import { displayIntensities } from './displayIntensities';
import { IMAGENET_NORMALIZATION } from '../../../../models/contract';
import { preparePixels } from './preparePixels';

const CHEXNET: Pick<ModelManifest, 'preprocessing' | 'input'> = {
  input: { name: 'image', shape: [1, 3, 224, 224], channels: 3 },
  preprocessing: {
    outputSize: [224, 224],
    resize: { kind: 'stretch' },
    intensity: { kind: 'mean-std', mean: [...IMAGENET_NORMALIZATION.mean], std: [...IMAGENET_NORMALIZATION.std] },
  },
};
const TXV: Pick<ModelManifest, 'preprocessing' | 'input'> = {
  input: { name: 'image', shape: [1, 1, 224, 224], channels: 1 },
  preprocessing: {
    outputSize: [224, 224],
    resize: { kind: 'center-square' },
    intensity: { kind: 'range', min: -1024, max: 1024 },
  },
};

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Mean display intensity in a box given as fractions of the image. */
function regionMean(
  values: Float32Array,
  rows: number,
  columns: number,
  box: [number, number, number, number],
): number {
  const [x0, y0, x1, y1] = box;
  let sum = 0;
  let n = 0;
  for (let y = Math.floor(y0 * rows); y < y1 * rows; y++) {
    for (let x = Math.floor(x0 * columns); x < x1 * columns; x++) {
      sum += values[y * columns + x];
      n++;
    }
  }
  return sum / n;
}

function syntheticPixels(overrides: Partial<RadiographPixels>): RadiographPixels {
  const pixelData = new Uint16Array(64 * 64).map((_, i) => i % 4096);
  return {
    pixelData,
    rows: 64,
    columns: 64,
    samplesPerPixel: 1,
    photometricInterpretation: 'MONOCHROME2',
    ...overrides,
  };
}

describe('pixel preparation on real radiographs', () => {
  it('a 10-bit MONOCHROME1 CR displays like the NIH radiograph it was made from', async () => {
    const dicom = await readImageFile(CR_MONO1_10BIT);
    const png = await readImageFile(FIXTURE_SOURCE_PNG);
    expect(dicom.photometricInterpretation).toBe('MONOCHROME1');
    expect(dicom.bitsStored).toBe(10);
    const fromDicom = displayIntensities(dicom);
    expect(fromDicom.voiSource).toBe('window');
    // Inverting MONOCHROME1 brings back white bone; the only difference left is 10-bit rounding.
    expect(maxAbsDiff(fromDicom.values, displayIntensities(png).values)).toBeLessThan(0.6 / 1023);
    const tensorDiff = maxAbsDiff(preparePixels(dicom, CHEXNET).tensorData, preparePixels(png, CHEXNET).tensorData);
    expect(tensorDiff).toBeLessThan(0.6 / 1023 / 0.224);
  });

  it('an 8-bit MONOCHROME2 DX gives exactly the tensor of its PNG', async () => {
    const dicom = await readImageFile(DX_MONO2_8BIT);
    const png = await readImageFile(FIXTURE_SOURCE_PNG);
    expect(maxAbsDiff(preparePixels(dicom, CHEXNET).tensorData, preparePixels(png, CHEXNET).tensorData)).toBeLessThan(
      1e-6,
    );
  });

  it('a JPEG 2000 15-bit MONOCHROME1 CR with a wide window shows white bone over dark lungs', async () => {
    const rg1 = await readImageFile(RG1_J2K_MONO1);
    expect([rg1.columns, rg1.rows, rg1.bitsStored, rg1.windowCenter, rg1.windowWidth]).toEqual([
      1841, 1955, 15, 15000, 30000,
    ]);
    const { values, voiSource } = displayIntensities(rg1);
    expect(voiSource).toBe('window');
    const spine = regionMean(values, rg1.rows, rg1.columns, [0.47, 0.3, 0.53, 0.6]);
    const rightLung = regionMean(values, rg1.rows, rg1.columns, [0.2, 0.3, 0.35, 0.6]);
    const leftLung = regionMean(values, rg1.rows, rg1.columns, [0.65, 0.3, 0.8, 0.6]);
    expect(spine - rightLung).toBeGreaterThan(0.03);
    expect(spine - leftLung).toBeGreaterThan(0.03);
    // The wide window maps stored values linearly: check one pixel by the DICOM formula.
    const i = 1000 * rg1.columns + 900;
    const stored = rg1.pixelData[i];
    expect(values[i]).toBeCloseTo(1 - ((stored - 14999.5) / 29999 + 0.5), 5);
    // The same pixels flagged MONOCHROME2 display inverted.
    const asMono2 = displayIntensities({ ...rg1, photometricInterpretation: 'MONOCHROME2' }).values;
    expect(asMono2[i]).toBeCloseTo(1 - values[i], 6);
    const prepared = preparePixels(rg1, TXV);
    expect(prepared.shape).toEqual([1, 1, 224, 224]);
    expect(prepared.geometry.crop).toEqual({ x: 0, y: (1955 - 1841) / 2, width: 1841, height: 1841 });
    expect(Math.min(...prepared.tensorData)).toBeGreaterThanOrEqual(-1024);
    expect(Math.max(...prepared.tensorData)).toBeLessThanOrEqual(1024);
  });

  it('reads NIH PNGs (greyscale and RGBA) into the same grey on every channel', async () => {
    for (const name of ['jrzech__00001369_000.png', 'jrzech__00001968_000.png']) {
      const pixels = await readImageFile(nihPng(name));
      expect([pixels.rows, pixels.columns]).toEqual([1024, 1024]);
      const { tensorData } = preparePixels(pixels, CHEXNET);
      const plane = 224 * 224;
      for (const i of [0, 5000, 25088, plane - 1]) {
        const { mean, std } = IMAGENET_NORMALIZATION;
        const grey = tensorData[i] * std[0] + mean[0];
        expect(tensorData[plane + i] * std[1] + mean[1]).toBeCloseTo(grey, 5);
        expect(tensorData[2 * plane + i] * std[2] + mean[2]).toBeCloseTo(grey, 5);
      }
    }
  });
});

describe('the DICOM grayscale pipeline', () => {
  it('applies rescale slope/intercept unless the loader already did', () => {
    const raw = syntheticPixels({ rescaleSlope: 2, rescaleIntercept: -1024, windowCenter: 1000, windowWidth: 4000 });
    const scaled = syntheticPixels({
      pixelData: Float32Array.from(raw.pixelData, (v) => v * 2 - 1024),
      rescaleApplied: true,
      windowCenter: 1000,
      windowWidth: 4000,
    });
    expect(maxAbsDiff(displayIntensities(raw).values, displayIntensities(scaled).values)).toBeLessThan(1e-6);
  });

  it('uses a VOI LUT table over the window when the image has one', () => {
    const data = Uint16Array.from({ length: 4096 }, (_, i) => 4095 - i);
    const pixels = syntheticPixels({
      windowCenter: 2048,
      windowWidth: 4096,
      voiLut: { firstValueMapped: 0, bitsPerEntry: 12, data },
    });
    const { values, voiSource } = displayIntensities(pixels);
    expect(voiSource).toBe('voi-lut');
    expect(values[0]).toBeCloseTo(1, 6);
    expect(values[4095]).toBeCloseTo(0, 6);
  });

  it('applies a modality LUT table', () => {
    const lut = { firstValueMapped: 0, data: Uint16Array.from({ length: 4096 }, (_, i) => 4095 - i) };
    const { values } = displayIntensities(
      syntheticPixels({ modalityLut: lut, windowCenter: 2047.5, windowWidth: 4095, voiLutFunction: 'LINEAR_EXACT' }),
    );
    expect(values[0]).toBeCloseTo(1, 4);
    expect(values[4095]).toBeCloseTo(0, 4);
  });

  it('follows the SIGMOID VOI function and falls back to the full range without a window', () => {
    const sigmoid = displayIntensities(
      syntheticPixels({ windowCenter: 2048, windowWidth: 1024, voiLutFunction: 'SIGMOID' }),
    );
    expect(sigmoid.values[2048]).toBeCloseTo(0.5, 6);
    expect(sigmoid.values[2048 + 256]).toBeCloseTo(1 / (1 + Math.exp(-1)), 5);
    const full = displayIntensities(syntheticPixels({}));
    expect(full.voiSource).toBe('full-range');
    expect(Math.min(...full.values)).toBe(0);
    expect(Math.max(...full.values)).toBe(1);
  });

  it('refuses colour and multi-frame images with a message a radiologist understands', () => {
    expect(() => displayIntensities(syntheticPixels({ samplesPerPixel: 3, photometricInterpretation: 'RGB' }))).toThrow(
      /colour image/,
    );
    expect(() => displayIntensities(syntheticPixels({ numberOfFrames: 12 }))).toThrow(/12 frames/);
  });

  it('reads a JPEG radiograph like its PNG, within JPEG error', async () => {
    const png = await readImageFile(FIXTURE_SOURCE_PNG);
    const rgba = new Uint8Array(png.rows * png.columns * 4);
    png.pixelData.forEach((v, i) => rgba.set([v, v, v, 255], 4 * i));
    const encoded = jpeg.encode({ data: rgba, width: png.columns, height: png.rows }, 95).data;
    const fromJpeg = readRasterFile(new Uint8Array(encoded), 'film.jpg');
    expect([fromJpeg.rows, fromJpeg.columns]).toEqual([png.rows, png.columns]);
    const a = preparePixels(fromJpeg, CHEXNET).tensorData;
    const b = preparePixels(png, CHEXNET).tensorData;
    const meanAbs = a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length;
    expect(meanAbs).toBeLessThan(0.02);
  });

  it('refuses a colour PNG', () => {
    const png = new PNG({ width: 16, height: 16 });
    png.data.fill(0);
    for (let i = 0; i < 256; i++) png.data.set([200, 30, 30, 255], 4 * i);
    expect(() => readRasterFile(PNG.sync.write(png), 'photo.png')).toThrow(/colour picture/);
  });
});
