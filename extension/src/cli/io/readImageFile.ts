import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { EngineError, maxPixelsOrDefault, type RadiographPixels } from '../../engine';
import { bareDatasetSyntax, hasPart10Prefix, readDicomFile } from './readDicomFile';
import { isRasterImage, readRasterFile } from './readRasterFile';

export interface ReadImageOptions {
  /** Largest image accepted, in pixels; default CXR_MAX_PIXELS from the environment, else 60 million. */
  maxPixels?: number;
}

/**
 * A DICOM (Part 10, or a bare dataset without file meta), PNG or JPEG radiograph from disk,
 * recognised by its content rather than its name. The image size is checked from the header
 * against the pixel budget before anything is decoded.
 */
export async function readImageFile(path: string, options: ReadImageOptions = {}): Promise<RadiographPixels> {
  const maxPixels = options.maxPixels ?? maxPixelsOrDefault(process.env.CXR_MAX_PIXELS);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new EngineError(
      'image-unsupported',
      code === 'ENOENT' ? `No such file: ${path}` : `Cannot read ${path} (${code ?? String(error)}).`,
    );
  }
  const name = basename(path);
  if (hasPart10Prefix(bytes) || (!isRasterImage(bytes) && bareDatasetSyntax(bytes))) {
    const pixels = await readDicomFile(bytes, { maxPixels });
    return { ...pixels, imageKey: pixels.imageKey ?? name };
  }
  if (isRasterImage(bytes)) return { ...readRasterFile(bytes, name, { maxPixels }), imageKey: name };
  throw new EngineError('image-unsupported', `${name} is not a DICOM, PNG or JPEG image.`);
}
