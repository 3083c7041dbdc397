import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { checkPixelBudget, DEFAULT_MAX_PIXELS, EngineError, type RadiographPixels } from '../../engine';

/**
 * RGBA from a decoder -> one grey channel. Greyscale PNGs (and NIH's RGBA ones) have R = G = B;
 * anything else is a colour picture and is refused rather than silently converted.
 */
function greyFromRgba<T extends Uint8Array | Uint16Array>(rgba: ArrayLike<number>, grey: T): T {
  for (let i = 0; i < grey.length; i++) {
    const r = rgba[4 * i];
    if (r !== rgba[4 * i + 1] || r !== rgba[4 * i + 2]) {
      throw new EngineError(
        'image-unsupported',
        'This is a colour picture; the model reads greyscale radiographs only.',
      );
    }
    grey[i] = r;
  }
  return grey;
}

function fromPng(bytes: Uint8Array, name: string): RadiographPixels {
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes), { skipRescale: true });
  } catch {
    throw new EngineError('image-unsupported', `${name} is not a readable PNG image.`);
  }
  const { width, height, data } = png;
  // With skipRescale, a 16-bit PNG keeps its full depth: pngjs then returns 16-bit RGBA samples.
  if ((data as unknown) instanceof Uint16Array) {
    return raster(greyFromRgba(data as unknown as Uint16Array, new Uint16Array(width * height)), width, height, 16);
  }
  return raster(greyFromRgba(data, new Uint8Array(width * height)), width, height, 8);
}

function fromJpeg(bytes: Uint8Array, name: string): RadiographPixels {
  let image: { width: number; height: number; data: Uint8Array };
  try {
    image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
  } catch {
    throw new EngineError('image-unsupported', `${name} is not a readable JPEG image.`);
  }
  return raster(greyFromRgba(image.data, new Uint8Array(image.width * image.height)), image.width, image.height, 8);
}

function raster(pixelData: Uint8Array | Uint16Array, columns: number, rows: number, bits: number): RadiographPixels {
  // A PNG/JPEG radiograph is already a display image (white = bone): map its full code range.
  const maxValue = 2 ** bits - 1;
  return {
    pixelData,
    rows,
    columns,
    samplesPerPixel: 1,
    photometricInterpretation: 'MONOCHROME2',
    bitsStored: bits,
    // LINEAR_EXACT over [0, max] gives v / max, as torchvision's ToTensor does.
    windowCenter: maxValue / 2,
    windowWidth: maxValue,
    voiLutFunction: 'LINEAR_EXACT',
  };
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];
const startsWith = (bytes: Uint8Array, signature: number[]) => signature.every((b, i) => bytes[i] === b);

export function isRasterImage(bytes: Uint8Array): boolean {
  return startsWith(bytes, PNG_SIGNATURE) || startsWith(bytes, JPEG_SIGNATURE);
}

/** Width and height from a PNG's IHDR chunk, without decoding. */
function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 24) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Width and height from a JPEG's first start-of-frame marker, without decoding. */
function jpegSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1];
    const length = (bytes[i + 2] << 8) | bytes[i + 3];
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: (bytes[i + 5] << 8) | bytes[i + 6], width: (bytes[i + 7] << 8) | bytes[i + 8] };
    }
    i += 2 + length;
  }
  return undefined;
}

export function readRasterFile(
  bytes: Uint8Array,
  name: string,
  { maxPixels = DEFAULT_MAX_PIXELS }: { maxPixels?: number } = {},
): RadiographPixels {
  const size = startsWith(bytes, PNG_SIGNATURE) ? pngSize(bytes) : jpegSize(bytes);
  if (size) checkPixelBudget(size.height, size.width, { maxPixels });
  if (startsWith(bytes, PNG_SIGNATURE)) return fromPng(bytes, name);
  if (startsWith(bytes, JPEG_SIGNATURE)) return fromJpeg(bytes, name);
  throw new EngineError('image-unsupported', `${name} is neither a PNG nor a JPEG image.`);
}
