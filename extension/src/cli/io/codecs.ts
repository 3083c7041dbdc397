/**
 * The Cornerstone codecs (the same WebAssembly builds the viewer's DICOM loader uses), loaded
 * once for Node. Their packages ship no types; these describe the parts we call.
 */
interface EmscriptenDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned: boolean };
  delete(): void;
}
interface CodecModule {
  J2KDecoder?: new () => EmscriptenDecoder;
  JPEGDecoder?: new () => EmscriptenDecoder;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const openJpegFactory = require('@cornerstonejs/codec-openjpeg/decodewasmjs') as (
  opts?: object,
) => Promise<CodecModule>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const libJpegFactory = require('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs') as (
  opts?: object,
) => Promise<CodecModule>;

let openJpeg: Promise<CodecModule> | undefined;
let libJpeg: Promise<CodecModule> | undefined;
// OpenJPEG prints progress to stdout; keep the CLI's --json output clean.
const quiet = { print: () => undefined, printErr: () => undefined };

export interface DecodedFrame {
  pixels: Uint8Array;
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
}

function run(decoderClass: (new () => EmscriptenDecoder) | undefined, encoded: Uint8Array): DecodedFrame {
  if (!decoderClass) throw new Error('codec module has no decoder');
  const decoder = new decoderClass();
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    const info = decoder.getFrameInfo();
    return { pixels: decoder.getDecodedBuffer().slice(), ...info };
  } finally {
    decoder.delete();
  }
}

export async function decodeJpeg2000(encoded: Uint8Array): Promise<DecodedFrame> {
  openJpeg ??= openJpegFactory(quiet);
  const module = await openJpeg;
  return run(module.J2KDecoder, encoded);
}

export async function decodeJpegBaseline(encoded: Uint8Array): Promise<DecodedFrame> {
  libJpeg ??= libJpegFactory(quiet);
  const module = await libJpeg;
  return run(module.JPEGDecoder, encoded);
}
