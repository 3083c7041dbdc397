import { inflateRawSync } from 'node:zlib';
import * as dicomParser from 'dicom-parser';
import {
  checkPixelBudget,
  DEFAULT_MAX_PIXELS,
  EngineError,
  type AcquisitionInfo,
  type PixelArray,
  type RadiographPixels,
  type VoiLutFunction,
  type VoiLutTable,
} from '../../engine';
import {
  decodeBigEndian,
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

const IMPLICIT_LE = '1.2.840.10008.1.2';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const DEFLATED_LE = '1.2.840.10008.1.2.1.99';
const EXPLICIT_BE = '1.2.840.10008.1.2.2';

/** Every transfer syntax the viewer's loader (dicom-image-loader 5.6.8) decodes, by name. */
export const TRANSFER_SYNTAXES: Record<string, string> = {
  [IMPLICIT_LE]: 'Implicit VR Little Endian',
  [EXPLICIT_LE]: 'Explicit VR Little Endian',
  [DEFLATED_LE]: 'Deflated Explicit VR Little Endian',
  [EXPLICIT_BE]: 'Explicit VR Big Endian',
  '1.2.840.10008.1.2.5': 'RLE Lossless',
  '1.2.840.10008.1.2.4.50': 'JPEG Baseline (Process 1)',
  '1.2.840.10008.1.2.4.51': 'JPEG Extended (Process 2 & 4)',
  '1.2.840.10008.1.2.4.57': 'JPEG Lossless, Non-Hierarchical (Process 14)',
  '1.2.840.10008.1.2.4.70': 'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 SV1)',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS Lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS Near-Lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 (Lossless Only)',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
  '1.2.840.10008.1.2.4.201': 'HTJ2K (Lossless Only)',
  '1.2.840.10008.1.2.4.202': 'HTJ2K (Lossless, RPCL)',
  '1.2.840.10008.1.2.4.203': 'HTJ2K',
  '3.2.840.10008.1.2.4.96': 'HTJ2K (pre-standard UID)',
};

/** Names a few syntaxes no DICOM radiograph loader reads, so the refusal can say what it is. */
const OTHER_SYNTAXES: Record<string, string> = {
  '1.2.840.10008.1.2.4.100': 'MPEG2 video',
  '1.2.840.10008.1.2.4.102': 'MPEG-4 AVC/H.264 video',
  '1.2.840.10008.1.2.4.107': 'HEVC/H.265 video',
  '1.2.840.10008.1.2.4.94': 'JPIP referenced',
  '1.2.840.10008.1.2.4.92': 'JPEG 2000 Part 2 multi-component',
};

export interface DicomReadOptions {
  /** Largest rows x columns x frames accepted, checked from the header before decoding. */
  maxPixels?: number;
}

const VRS = new Set(
  'AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '),
);

/** A Part 10 file starts with a 128-byte preamble and "DICM". */
export const hasPart10Prefix = (bytes: Uint8Array) =>
  bytes.length > 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;

/**
 * A dataset written without preamble and file meta (little endian, implicit or explicit VR):
 * its first element is a group 0002..0028 tag with a small element number. Returns the transfer
 * syntax to parse it with: explicit when the two bytes after the tag are a VR, as dcmjs and
 * dicom-parser tell them apart.
 */
export function bareDatasetSyntax(bytes: Uint8Array): string | undefined {
  if (bytes.length < 16) return undefined;
  const group = bytes[0] | (bytes[1] << 8);
  const element = bytes[2] | (bytes[3] << 8);
  if (![0x0002, 0x0008, 0x0010, 0x0018, 0x0020, 0x0028].includes(group) || element > 0x1fff) return undefined;
  const vr = String.fromCharCode(bytes[4], bytes[5]);
  if (VRS.has(vr)) return EXPLICIT_LE;
  // Implicit VR: a 32-bit length that fits in the file.
  const length = (bytes[4] | (bytes[5] << 8) | (bytes[6] << 16)) + bytes[7] * 0x1000000;
  return length < bytes.length ? IMPLICIT_LE : undefined;
}

function parse(bytes: Uint8Array, maxPixels: number): { dataSet: dicomParser.DataSet; syntax: string } {
  const part10 = hasPart10Prefix(bytes);
  const bare = part10 ? undefined : bareDatasetSyntax(bytes);
  // Deflated datasets inflate no further than the pixel budget allows (a deflate bomb stops here).
  const maxOutputLength = Math.min(2 ** 31 - 1, maxPixels * 4 + 64 * 1024 * 1024);
  const inflater = (byteArray: Uint8Array, position: number) => {
    const inflated = inflateRawSync(byteArray.subarray(position), { maxOutputLength });
    const full = new Uint8Array(position + inflated.length);
    full.set(byteArray.subarray(0, position));
    full.set(inflated, position);
    return full;
  };
  let dataSet: dicomParser.DataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes, {
      ...(bare ? { TransferSyntaxUID: bare } : {}),
      inflater: inflater as unknown as dicomParser.ParseDicomOptions['inflater'],
    });
  } catch (error) {
    const text = String((error as { exception?: unknown })?.exception ?? error);
    if (/maxOutputLength|buffer length/i.test(text)) {
      throw new EngineError(
        'image-unsupported',
        'The compressed DICOM data set inflates beyond the size allowed for one analysis.',
      );
    }
    throw new EngineError('image-unsupported', 'The file is damaged or is not a DICOM image (it cannot be parsed).');
  }
  const syntax = bare ?? dataSet.string('x00020010')?.trim() ?? IMPLICIT_LE;
  return { dataSet, syntax };
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

function decodedPixels(frame: DecodedFrame, count: number): PixelArray {
  const { pixels, bitsPerSample, isSigned } = frame;
  if (bitsPerSample <= 8) return isSigned ? new Int8Array(pixels.buffer, 0, count) : pixels.subarray(0, count);
  const aligned = pixels.byteOffset % 2 === 0 ? pixels : pixels.slice();
  return isSigned
    ? new Int16Array(aligned.buffer, aligned.byteOffset, count)
    : new Uint16Array(aligned.buffer, aligned.byteOffset, count);
}

function syntaxLabel(syntax: string): string {
  const name = TRANSFER_SYNTAXES[syntax] ?? OTHER_SYNTAXES[syntax];
  return name ? `${name}, ${syntax}` : syntax;
}

/** The first frame's compressed bytes. */
function encodedFrame(dataSet: dicomParser.DataSet, pixelElement: dicomParser.Element): Uint8Array {
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
async function decodeEncapsulated(
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

/**
 * Reads one DICOM radiograph into the engine's pixel description: every transfer syntax the
 * viewer's loader decodes, with the same codecs; Part 10 files and bare datasets without file meta.
 * The pixel budget is checked from the header, before anything is decoded.
 */
export async function readDicomFile(bytes: Uint8Array, options: DicomReadOptions = {}): Promise<RadiographPixels> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const { dataSet, syntax } = parse(bytes, maxPixels);
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
  if (rows < 1 || columns < 1) {
    throw new EngineError('image-unsupported', 'The file is damaged: its header gives no image size (Rows, Columns).');
  }
  checkPixelBudget(rows, columns, { frames: numberOfFrames, maxPixels });
  const count = rows * columns;
  const signed = pixelRepresentation === 1;
  const raw = () => dataSet.byteArray.subarray(pixelElement.dataOffset, pixelElement.dataOffset + pixelElement.length);
  if (syntax === IMPLICIT_LE || syntax === EXPLICIT_LE || syntax === DEFLATED_LE) {
    return { ...header, pixelData: nativePixels(raw(), count, bitsAllocated, bitsStored, signed) };
  }
  const frame: LoaderImageFrame = {
    rows,
    columns,
    samplesPerPixel,
    bitsAllocated,
    bitsStored,
    pixelRepresentation,
    planarConfiguration: dataSet.uint16('x00280006') ?? 0,
    photometricInterpretation,
  };
  if (syntax === EXPLICIT_BE) {
    const swapped = (await decodeBigEndian(frame, raw().slice())).pixelData as PixelArray;
    const asBytes = new Uint8Array(swapped.buffer, swapped.byteOffset, swapped.byteLength);
    return { ...header, pixelData: nativePixels(asBytes, count, bitsAllocated, bitsStored, signed) };
  }
  if (!TRANSFER_SYNTAXES[syntax]) {
    throw new EngineError(
      'image-unsupported',
      `The image is compressed in a way this tool does not read (transfer syntax ${syntaxLabel(syntax)}).`,
    );
  }
  if (!pixelElement.encapsulatedPixelData) {
    throw new EngineError(
      'image-unsupported',
      `The file is damaged: ${syntaxLabel(syntax)} pixel data is not encapsulated.`,
    );
  }
  let decoded: DecodedFrame | PixelArray | undefined;
  try {
    decoded = await decodeEncapsulated(syntax, encodedFrame(dataSet, pixelElement), frame);
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError(
      'image-unsupported',
      `The file is damaged: its ${TRANSFER_SYNTAXES[syntax]} image could not be decoded (${String(error)}).`,
    );
  }
  if (!decoded) throw new EngineError('image-unsupported', `Transfer syntax ${syntaxLabel(syntax)} is not read.`);
  if ('pixels' in decoded) {
    if (decoded.width !== columns || decoded.height !== rows) {
      throw new EngineError(
        'image-unsupported',
        `The decoded image is ${decoded.width}x${decoded.height}, its header says ${columns}x${rows}.`,
      );
    }
    return { ...header, pixelData: decodedPixels(decoded, count) };
  }
  if (decoded.length < count) {
    throw new EngineError(
      'image-unsupported',
      'The file is damaged: its image decodes to fewer pixels than its header says.',
    );
  }
  return { ...header, pixelData: decoded.length === count ? decoded : decoded.subarray(0, count) };
}
