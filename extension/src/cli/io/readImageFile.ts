import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { EngineError, type RadiographPixels } from '../../engine';
import { readDicomFile } from './readDicomFile';
import { isRasterImage, readRasterFile } from './readRasterFile';

const isDicom = (bytes: Uint8Array) =>
  bytes.length > 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;

/** A DICOM, PNG or JPEG radiograph from disk, recognised by its content rather than its name. */
export async function readImageFile(path: string): Promise<RadiographPixels> {
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
  if (isDicom(bytes)) {
    const pixels = await readDicomFile(bytes);
    return { ...pixels, imageKey: pixels.imageKey ?? name };
  }
  if (isRasterImage(bytes)) return { ...readRasterFile(bytes, name), imageKey: name };
  throw new EngineError('image-unsupported', `${name} is not a DICOM, PNG or JPEG image.`);
}
