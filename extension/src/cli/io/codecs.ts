/**
 * The decoders of the viewer's DICOM loader (@cornerstonejs/dicom-image-loader 5.6.8), loaded for
 * Node: the same Cornerstone WebAssembly codec packages it uses (libjpeg-turbo, OpenJPEG, CharLS,
 * OpenJPH), the same JPEG Lossless package (jpeg-lossless-decoder-js), and for RLE, big endian and
 * 12-bit JPEG the loader's own decoder modules. Their packages ship no types; these describe the
 * parts we call.
 */
import { dirname, join } from 'node:path';

interface FrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}
interface EmscriptenDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  decodeSubResolution?(level: number): void;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): FrameInfo;
  delete(): void;
}
interface CodecModule {
  J2KDecoder?: new () => EmscriptenDecoder;
  JPEGDecoder?: new () => EmscriptenDecoder;
  JpegLSDecoder?: new () => EmscriptenDecoder;
  HTJ2KDecoder?: new () => EmscriptenDecoder;
  getExceptionMessage?(pointer: number): string;
}
type CodecFactory = (opts?: object) => Promise<CodecModule>;

/* eslint-disable @typescript-eslint/no-require-imports */
const factories: Record<'openJpeg' | 'libJpeg' | 'charls' | 'openJph', () => CodecFactory> = {
  openJpeg: () => require('@cornerstonejs/codec-openjpeg/decodewasmjs') as CodecFactory,
  libJpeg: () => require('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs') as CodecFactory,
  charls: () => require('@cornerstonejs/codec-charls/decodewasmjs') as CodecFactory,
  openJph: () => require('@cornerstonejs/codec-openjph/wasmjs') as CodecFactory,
};
/* eslint-enable @typescript-eslint/no-require-imports */

const modules = new Map<keyof typeof factories, Promise<CodecModule>>();
// The codecs print progress to stdout; keep the CLI's --json output clean.
const quiet = { print: () => undefined, printErr: () => undefined };

function codec(name: keyof typeof factories): Promise<CodecModule> {
  let module = modules.get(name);
  if (!module) {
    module = factories[name]()(quiet);
    modules.set(name, module);
  }
  return module;
}

export interface DecodedFrame {
  pixels: Uint8Array;
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
}

async function run(
  name: keyof typeof factories,
  pick: (m: CodecModule) => (new () => EmscriptenDecoder) | undefined,
  encoded: Uint8Array,
  signed: boolean,
): Promise<DecodedFrame> {
  const module = await codec(name);
  const decoderClass = pick(module);
  if (!decoderClass) throw new Error('codec module has no decoder');
  const decoder = new decoderClass();
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    if (decoder.decodeSubResolution && name === 'openJph') decoder.decodeSubResolution(0);
    else decoder.decode();
    const info = decoder.getFrameInfo();
    return { pixels: decoder.getDecodedBuffer().slice(), ...info, isSigned: info.isSigned ?? signed };
  } catch (error) {
    // Emscripten throws a pointer; CharLS can turn it into its message.
    throw typeof error === 'number' && module.getExceptionMessage
      ? new Error(module.getExceptionMessage(error))
      : error;
  } finally {
    decoder.delete();
  }
}

export const decodeJpeg2000 = (encoded: Uint8Array, signed = false) =>
  run('openJpeg', (m) => m.J2KDecoder, encoded, signed);
export const decodeJpegBaseline = (encoded: Uint8Array, signed = false) =>
  run('libJpeg', (m) => m.JPEGDecoder, encoded, signed);
export const decodeJpegLs = (encoded: Uint8Array, signed = false) =>
  run('charls', (m) => m.JpegLSDecoder, encoded, signed);
export const decodeHtj2k = (encoded: Uint8Array, signed = false) =>
  run('openJph', (m) => m.HTJ2KDecoder, encoded, signed);

/** What the loader's decoders take and give back (its ImageFrame, the parts we use). */
export interface LoaderImageFrame {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: number;
  planarConfiguration: number;
  photometricInterpretation: string;
  pixelData?: ArrayLike<number> & { buffer: ArrayBufferLike };
}
type LoaderDecoder = (frame: LoaderImageFrame, pixelData: Uint8Array) => Promise<LoaderImageFrame>;

/**
 * One of the loader's own decoder modules. They are ES modules: Node 20.19+ loads them with
 * require (jest's module system cannot, so in-process tests reach these through the CLI).
 */
function loaderDecoder(file: string): LoaderDecoder {
  const root = dirname(require.resolve('@cornerstonejs/dicom-image-loader/package.json'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(join(root, 'dist/esm/shared/decoders', file)) as { default: LoaderDecoder };
  return module.default;
}

export const decodeRle = (frame: LoaderImageFrame, encoded: Uint8Array) =>
  loaderDecoder('decodeRLE.js')(frame, encoded);
export const decodeBigEndian = (frame: LoaderImageFrame, raw: Uint8Array) =>
  loaderDecoder('decodeBigEndian.js')(frame, raw);
export const decodeJpeg12Bit = (frame: LoaderImageFrame, encoded: Uint8Array) =>
  loaderDecoder('decodeJPEGBaseline12Bit-js.js')(frame, encoded);

interface LosslessDecoder {
  decode(buffer: ArrayBufferLike, offset: number, length: number, bytesPerSample: number): ArrayBufferView;
}

/** JPEG Lossless (processes 14 and 14 SV1) with the package and call the loader makes. */
export function decodeJpegLossless(frame: LoaderImageFrame, encoded: Uint8Array): LoaderImageFrame {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Decoder } = require('jpeg-lossless-decoder-js') as { Decoder: new () => LosslessDecoder };
  const out = new Decoder().decode(
    encoded.buffer,
    encoded.byteOffset,
    encoded.length,
    frame.bitsAllocated <= 8 ? 1 : 2,
  );
  const buffer = out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength);
  const pixelData =
    frame.pixelRepresentation === 0
      ? frame.bitsAllocated === 16
        ? new Uint16Array(buffer)
        : new Uint8Array(buffer)
      : new Int16Array(buffer);
  return { ...frame, pixelData };
}
