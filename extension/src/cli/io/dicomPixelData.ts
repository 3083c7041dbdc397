/** A dataset's pixel data: native arrays and encapsulated frames through the Cornerstone codecs. */
import * as dicomParser from 'dicom-parser';
import { EngineError, type PixelArray } from '../../engine';
import {
  decodeHtj2k,
  decodeJpeg12Bit,
  decodeJpeg2000,
  decodeJpegBaseline,
  decodeJpegLossless,
  decodeJpegLs,
  decodeRle,
  type DecodedFrame,
  type LoaderImageFrame,
} from './codecs';
import { OTHER_SYNTAXES, TRANSFER_SYNTAXES } from './dicomSyntaxes';

/** Native pixel data to the integer type its header says, masking or sign-extending bits stored. */
export function nativePixels(
  raw: Uint8Array,
  count: number,
  bitsAllocated: number,
  bitsStored: number,
  signed: boolean,
): PixelArray {
  if (raw.length < count * Math.ceil(bitsAllocated / 8)) {
    throw new EngineError('image-unsupported', 'The file is damaged: its pixel data is shorter than its header says.');
  }
  if (bitsAllocated === 8) {
    const bytes = raw.slice(0, count);
    return signed ? new Int8Array(bytes.buffer) : bytes;
  }
  if (bitsAllocated !== 16) {
    throw new EngineError(
      'image-unsupported',
      `Images with ${bitsAllocated} bits allocated per pixel are not supported.`,
    );
  }
  const words = new Uint16Array(raw.slice(0, count * 2).buffer);
  const shift = 16 - bitsStored;
  if (signed) {
    const out = new Int16Array(count);
    for (let i = 0; i < count; i++) out[i] = ((words[i] << shift) << 16) >> (16 + shift);
    return out;
  }
  const mask = (1 << bitsStored) - 1;
  for (let i = 0; i < count; i++) words[i] &= mask;
  return words;
}

export function decodedPixels(frame: DecodedFrame, count: number): PixelArray {
  const { pixels, bitsPerSample, isSigned } = frame;
  if (bitsPerSample <= 8) return isSigned ? new Int8Array(pixels.buffer, 0, count) : pixels.subarray(0, count);
  const aligned = pixels.byteOffset % 2 === 0 ? pixels : pixels.slice();
  return isSigned
    ? new Int16Array(aligned.buffer, aligned.byteOffset, count)
    : new Uint16Array(aligned.buffer, aligned.byteOffset, count);
}

export function syntaxLabel(syntax: string): string {
  const name = TRANSFER_SYNTAXES[syntax] ?? OTHER_SYNTAXES[syntax];
  return name ? `${name}, ${syntax}` : syntax;
}

/** The first frame's compressed bytes. */
export function encodedFrame(dataSet: dicomParser.DataSet, pixelElement: dicomParser.Element): Uint8Array {
  try {
    return pixelElement.basicOffsetTable?.length
      ? dicomParser.readEncapsulatedImageFrame(dataSet, pixelElement, 0)
      : dicomParser.readEncapsulatedPixelDataFromFragments(
          dataSet,
          pixelElement,
          0,
          pixelElement.fragments?.length ?? 1,
        );
  } catch {
    throw new EngineError('image-unsupported', 'The file is damaged: its compressed pixel data cannot be read.');
  }
}

/** Decodes the first frame of an encapsulated transfer syntax with the viewer's decoder for it. */
export async function decodeEncapsulated(
  syntax: string,
  encoded: Uint8Array,
  frame: LoaderImageFrame,
): Promise<DecodedFrame | PixelArray | undefined> {
  const signed = frame.pixelRepresentation === 1;
  switch (syntax) {
    case '1.2.840.10008.1.2.4.50':
      return decodeJpegBaseline(encoded, signed);
    case '1.2.840.10008.1.2.4.51':
      return (await decodeJpeg12Bit(frame, encoded)).pixelData as PixelArray;
    case '1.2.840.10008.1.2.4.57':
    case '1.2.840.10008.1.2.4.70':
      return decodeJpegLossless(frame, encoded).pixelData as PixelArray;
    case '1.2.840.10008.1.2.4.80':
    case '1.2.840.10008.1.2.4.81':
      return decodeJpegLs(encoded, signed);
    case '1.2.840.10008.1.2.4.90':
    case '1.2.840.10008.1.2.4.91':
      return decodeJpeg2000(encoded, signed);
    case '1.2.840.10008.1.2.4.201':
    case '1.2.840.10008.1.2.4.202':
    case '1.2.840.10008.1.2.4.203':
    case '3.2.840.10008.1.2.4.96':
      return decodeHtj2k(encoded, signed);
    case '1.2.840.10008.1.2.5':
      return (await decodeRle(frame, encoded)).pixelData as PixelArray;
    default:
      return undefined;
  }
}
