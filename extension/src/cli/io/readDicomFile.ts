import * as dicomParser from 'dicom-parser';
import {
  EngineError,
  type AcquisitionInfo,
  type PixelArray,
  type RadiographPixels,
  type VoiLutFunction,
  type VoiLutTable,
} from '../../engine';
import { decodeJpeg2000, decodeJpegBaseline, type DecodedFrame } from './codecs';

const NATIVE_SYNTAXES = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.1.99']);
const JPEG_BASELINE = new Set(['1.2.840.10008.1.2.4.50']);
const JPEG_2000 = new Set(['1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.91']);

function parse(bytes: Uint8Array): dicomParser.DataSet {
  try {
    return dicomParser.parseDicom(bytes);
  } catch {
    throw new EngineError('image-unsupported', 'The file is not a readable DICOM file.');
  }
}

/**
 * A lookup-table item: descriptor (entries, first mapped value, bits) and data. The first mapped
 * value is signed when the pixels are (PS3.3 C.11.1.1), whatever VR the file declares (implicit-VR
 * files declare none), as Cornerstone's loader reads it.
 */
function readLut(item: dicomParser.DataSet, descriptorTag: string, dataTag: string, signedPixels: boolean) {
  const entries = item.uint16(descriptorTag, 0) || 65536;
  const firstValueMapped = (signedPixels ? item.int16(descriptorTag, 1) : item.uint16(descriptorTag, 1)) ?? 0;
  const bitsPerEntry = item.uint16(descriptorTag, 2) ?? 16;
  const dataElement = item.elements[dataTag];
  if (!dataElement) return undefined;
  const data = new Uint16Array(entries);
  const eightBitData = bitsPerEntry <= 8 && dataElement.length === entries;
  for (let i = 0; i < entries; i++) {
    data[i] = eightBitData ? item.byteArray[dataElement.dataOffset + i] : (item.uint16(dataTag, i) ?? 0);
  }
  return { firstValueMapped, bitsPerEntry, data };
}

function firstSequenceItem(dataSet: dicomParser.DataSet, tag: string): dicomParser.DataSet | undefined {
  return dataSet.elements[tag]?.items?.[0]?.dataSet;
}

function readVoi(
  dataSet: dicomParser.DataSet,
  signedPixels: boolean,
): Pick<RadiographPixels, 'windowCenter' | 'windowWidth' | 'voiLutFunction' | 'voiLut'> {
  const lutItem = firstSequenceItem(dataSet, 'x00283010');
  const voiLut: VoiLutTable | undefined = lutItem
    ? readLut(lutItem, 'x00283002', 'x00283006', signedPixels)
    : undefined;
  const fn = dataSet.string('x00281056')?.toUpperCase();
  return {
    windowCenter: dataSet.floatString('x00281050', 0),
    windowWidth: dataSet.floatString('x00281051', 0),
    voiLutFunction: fn === 'SIGMOID' || fn === 'LINEAR_EXACT' ? (fn as VoiLutFunction) : 'LINEAR',
    voiLut,
  };
}

/** The acquisition attributes the chest-film gate reads; absent ones stay absent. */
export function readAcquisition(dataSet: dicomParser.DataSet): AcquisitionInfo {
  const text = (tag: string) => {
    const value = dataSet.string(tag)?.trim();
    return value ? value : undefined;
  };
  const info: AcquisitionInfo = {
    modality: text('x00080060'),
    bodyPartExamined: text('x00180015'),
    viewPosition: text('x00185101'),
    patientAge: text('x00101010'),
    patientPosition: text('x00185100'),
    seriesDescription: text('x0008103e'),
    studyDescription: text('x00081030'),
  };
  return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as AcquisitionInfo;
}

/** Native pixel data to the integer type its header says, masking or sign-extending bits stored. */
function nativePixels(
  raw: Uint8Array,
  count: number,
  bitsAllocated: number,
  bitsStored: number,
  signed: boolean,
): PixelArray {
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

function decodedPixels(frame: DecodedFrame, count: number): PixelArray {
  const { pixels, bitsPerSample, isSigned } = frame;
  if (bitsPerSample <= 8) return isSigned ? new Int8Array(pixels.buffer, 0, count) : pixels.subarray(0, count);
  const aligned = pixels.byteOffset % 2 === 0 ? pixels : pixels.slice();
  return isSigned
    ? new Int16Array(aligned.buffer, aligned.byteOffset, count)
    : new Uint16Array(aligned.buffer, aligned.byteOffset, count);
}

/** Reads one DICOM radiograph (native, JPEG baseline or JPEG 2000) into the engine's pixel description. */
export async function readDicomFile(bytes: Uint8Array): Promise<RadiographPixels> {
  const dataSet = parse(bytes);
  const syntax = dataSet.string('x00020010') ?? '1.2.840.10008.1.2';
  const pixelElement = dataSet.elements.x7fe00010;
  if (!pixelElement) throw new EngineError('image-unsupported', 'The DICOM file has no image in it (no Pixel Data).');
  const rows = dataSet.uint16('x00280010') ?? 0;
  const columns = dataSet.uint16('x00280011') ?? 0;
  const samplesPerPixel = dataSet.uint16('x00280002') ?? 1;
  const photometricInterpretation = dataSet.string('x00280004') ?? 'MONOCHROME2';
  const numberOfFrames = dataSet.intString('x00280008') ?? 1;
  const bitsAllocated = dataSet.uint16('x00280100') ?? 16;
  const bitsStored = dataSet.uint16('x00280101') ?? bitsAllocated;
  const pixelRepresentation = dataSet.uint16('x00280103') ?? 0;
  const header: Omit<RadiographPixels, 'pixelData'> = {
    rows,
    columns,
    samplesPerPixel,
    photometricInterpretation,
    numberOfFrames,
    bitsStored,
    pixelRepresentation,
    rescaleSlope: dataSet.floatString('x00281053') ?? 1,
    rescaleIntercept: dataSet.floatString('x00281052') ?? 0,
    rescaleApplied: false,
    modalityLut: (() => {
      const item = firstSequenceItem(dataSet, 'x00283000');
      return item ? readLut(item, 'x00283002', 'x00283006', pixelRepresentation === 1) : undefined;
    })(),
    // The VOI LUT maps modality-LUT output, which is signed for signed pixels or a negative intercept.
    ...readVoi(dataSet, pixelRepresentation === 1 || (dataSet.floatString('x00281052') ?? 0) < 0),
    imageKey: dataSet.string('x00080018'),
    acquisition: readAcquisition(dataSet),
  };
  // Refuse what the engine cannot read before decoding anything.
  if (samplesPerPixel !== 1 || numberOfFrames > 1 || !photometricInterpretation.startsWith('MONOCHROME')) {
    return { ...header, pixelData: new Uint8Array(0) };
  }
  const count = rows * columns;
  if (NATIVE_SYNTAXES.has(syntax)) {
    const raw = bytes.subarray(pixelElement.dataOffset, pixelElement.dataOffset + pixelElement.length);
    return { ...header, pixelData: nativePixels(raw, count, bitsAllocated, bitsStored, pixelRepresentation === 1) };
  }
  if (!JPEG_BASELINE.has(syntax) && !JPEG_2000.has(syntax)) {
    throw new EngineError(
      'image-unsupported',
      `The image is compressed in a way this tool does not read (transfer syntax ${syntax}).`,
    );
  }
  const encoded = pixelElement.basicOffsetTable?.length
    ? dicomParser.readEncapsulatedImageFrame(dataSet, pixelElement, 0)
    : dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixelElement, 0, pixelElement.fragments?.length ?? 1);
  let frame: DecodedFrame;
  try {
    frame = JPEG_2000.has(syntax) ? await decodeJpeg2000(encoded) : await decodeJpegBaseline(encoded);
  } catch (error) {
    throw new EngineError('image-unsupported', `The compressed image could not be decoded (${String(error)}).`);
  }
  if (frame.width !== columns || frame.height !== rows) {
    throw new EngineError(
      'image-unsupported',
      `The decoded image is ${frame.width}x${frame.height}, its header says ${columns}x${rows}.`,
    );
  }
  return { ...header, pixelData: decodedPixels(frame, count) };
}
