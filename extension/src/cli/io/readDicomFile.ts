import {
  checkPixelBudget,
  DEFAULT_MAX_PIXELS,
  EngineError,
  type PixelArray,
  type RadiographPixels,
} from '../../engine';
import { decodeBigEndian, type DecodedFrame, type LoaderImageFrame } from './codecs';

import { readAcquisition, readLut, readVoi, firstSequenceItem } from './dicomAttributes';
import { decodeEncapsulated, decodedPixels, encodedFrame, nativePixels, syntaxLabel } from './dicomPixelData';
import {
  DEFLATED_LE,
  EXPLICIT_BE,
  EXPLICIT_LE,
  IMPLICIT_LE,
  parse,
  TRANSFER_SYNTAXES,
  type DicomReadOptions,
} from './dicomSyntaxes';
export { TRANSFER_SYNTAXES, hasPart10Prefix, bareDatasetSyntax, type DicomReadOptions } from './dicomSyntaxes';
export { readAcquisition } from './dicomAttributes';

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
