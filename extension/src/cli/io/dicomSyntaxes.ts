/** Transfer syntaxes, Part 10 detection and parsing of a DICOM dataset (dicom-parser). */
import { inflateRawSync } from 'node:zlib';
import * as dicomParser from 'dicom-parser';
import { EngineError } from '../../engine';

export const IMPLICIT_LE = '1.2.840.10008.1.2';
export const EXPLICIT_LE = '1.2.840.10008.1.2.1';
export const DEFLATED_LE = '1.2.840.10008.1.2.1.99';
export const EXPLICIT_BE = '1.2.840.10008.1.2.2';

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
export const OTHER_SYNTAXES: Record<string, string> = {
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

export const VRS = new Set(
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

export function parse(bytes: Uint8Array, maxPixels: number): { dataSet: dicomParser.DataSet; syntax: string } {
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
