import type { Types as CoreTypes } from '@cornerstonejs/core';
import type {
  AcquisitionInfo,
  ModalityLutTable,
  PixelArray,
  RadiographPixels,
  VoiLutFunction,
  VoiLutTable,
} from '../engine';
import type { Cornerstone } from './cornerstoneLibraries';

/** The image a stack viewport shows now, with its identity; undefined when it shows none. */
export interface DisplayedImage {
  imageId: string;
  /** SOPInstanceUID (plus frame, for multi-frame objects): the key results are kept under. */
  imageKey: string;
  modality?: string;
  seriesDescription?: string;
}

interface StackLike {
  getCurrentImageId(): string | undefined;
  getCornerstoneImage(): CoreTypes.IImage | undefined;
}

function isStackLike(viewport: unknown): viewport is StackLike {
  const v = viewport as Partial<StackLike> | null;
  return !!v && typeof v.getCurrentImageId === 'function' && typeof v.getCornerstoneImage === 'function';
}

const first = (value: unknown): number | undefined => {
  const v = Array.isArray(value) ? value[0] : value;
  const n = typeof v === 'string' ? Number(v) : (v as number | undefined);
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

/** A LUT item as Cornerstone's metadata providers give it (voiLUTSequence, modalityLUTSequence). */
interface CornerstoneLut {
  firstValueMapped?: number;
  numBitsPerEntry?: number;
  lut?: ArrayLike<number>;
}

/** The first usable LUT of a sequence, or undefined. */
function firstLut(sequence: unknown): (CornerstoneLut & { lut: ArrayLike<number> }) | undefined {
  const item = (Array.isArray(sequence) ? sequence[0] : undefined) as CornerstoneLut | undefined;
  if (!item?.lut || typeof item.lut.length !== 'number' || item.lut.length === 0) return undefined;
  return item as CornerstoneLut & { lut: ArrayLike<number> };
}

const text = (...values: unknown[]): string | undefined => {
  for (const value of values) {
    const v = Array.isArray(value) ? value[0] : value;
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  return undefined;
};

/**
 * The acquisition attributes the chest-film gate reads, from Cornerstone's metadata modules and
 * OHIF's instance metadata (naturalised DICOM keywords), whichever holds them.
 */
export function acquisitionFromMetadata(cornerstone: Cornerstone, imageId: string): AcquisitionInfo {
  const { metaData } = cornerstone;
  const instance = (metaData.get('instance', imageId) ?? {}) as Record<string, unknown>;
  const series = (metaData.get('generalSeriesModule', imageId) ?? {}) as Record<string, unknown>;
  const patientStudy = (metaData.get('patientStudyModule', imageId) ?? {}) as Record<string, unknown>;
  const generalStudy = (metaData.get('generalStudyModule', imageId) ?? {}) as Record<string, unknown>;
  const info: AcquisitionInfo = {
    // OHIF's instance metadata first: its strings are the file's own (Cornerstone's WADO-RS
    // provider turns Patient's Age into a number).
    modality: text(instance.Modality, series.modality),
    bodyPartExamined: text(instance.BodyPartExamined, series.bodyPartExamined),
    viewPosition: text(instance.ViewPosition),
    patientAge: text(instance.PatientAge, patientStudy.patientAge),
    patientPosition: text(instance.PatientPosition, series.patientPosition),
    seriesDescription: text(instance.SeriesDescription, series.seriesDescription),
    studyDescription: text(instance.StudyDescription, generalStudy.studyDescription),
  };
  return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as AcquisitionInfo;
}

/** Numbers from a naturalised LUT Data value: an array, a typed array, an ArrayBuffer or InlineBinary. */
function lutNumbers(value: unknown): ArrayLike<number> | undefined {
  const v = Array.isArray(value) && value.length === 1 && typeof value[0] === 'object' ? value[0] : value;
  if (Array.isArray(v)) return v.every((n) => typeof n === 'number') ? (v as number[]) : undefined;
  if (ArrayBuffer.isView(v)) {
    if (v instanceof Uint16Array || v instanceof Int16Array || v instanceof Uint8Array) return v;
    return new Uint16Array(v.buffer, v.byteOffset, Math.floor(v.byteLength / 2));
  }
  if (v instanceof ArrayBuffer) return new Uint16Array(v);
  const inline = (v as { InlineBinary?: unknown } | undefined)?.InlineBinary;
  if (typeof inline === 'string' && typeof atob === 'function') {
    const bytes = Uint8Array.from(atob(inline), (c) => c.charCodeAt(0));
    return new Uint16Array(bytes.buffer, 0, Math.floor(bytes.length / 2));
  }
  return undefined;
}

/**
 * A LUT from OHIF's instance metadata (naturalised DICOM: `VOILUTSequence` / `ModalityLUTSequence`
 * items with LUTDescriptor and LUTData), where Cornerstone's modules have none: OHIF 3.13's
 * metadata provider passes only rescale and window on. `declared` says whether the file has one,
 * so a LUT that is there but cannot be read is told apart from no LUT.
 */
export function lutFromInstance(
  instance: Record<string, unknown>,
  keyword: 'VOILUTSequence' | 'ModalityLUTSequence',
  signedPixels: boolean,
): { declared: boolean; lut?: VoiLutTable } {
  const sequence = instance[keyword];
  const item = (Array.isArray(sequence) ? sequence[0] : undefined) as Record<string, unknown> | undefined;
  if (!item) return { declared: false };
  const descriptor = item.LUTDescriptor;
  if (!Array.isArray(descriptor) || descriptor.length < 3) return { declared: true };
  const entries = Number(descriptor[0]) || 65536;
  let firstValueMapped = Number(descriptor[1]);
  // Written as US, a negative first value of a signed image arrives as 65536 - n (PS3.3 C.11.1.1).
  if (signedPixels && firstValueMapped > 32767) firstValueMapped -= 65536;
  const bitsPerEntry = Number(descriptor[2]);
  const data = lutNumbers(item.LUTData);
  if (!data || data.length < entries || !Number.isFinite(firstValueMapped)) return { declared: true };
  return {
    declared: true,
    lut: { firstValueMapped, bitsPerEntry, data: data.length === entries ? data : Array.from(data).slice(0, entries) },
  };
}

/** Frame number in a WADO-URI (`?frame=N`/`&frame=N`) or DICOMweb (`/frames/N`) imageId. */
const FRAME = /[?&]frame=(\d+)|\/frames\/(\d+)/;

/** Identity of an imageId from Cornerstone's metadata. */
export function describeImageId(cornerstone: Cornerstone, imageId: string): DisplayedImage {
  const { metaData } = cornerstone;
  const sop = metaData.get('sopCommonModule', imageId) as { sopInstanceUID?: string } | undefined;
  const instance = metaData.get('instance', imageId) as Record<string, unknown> | undefined;
  const sopInstanceUid = sop?.sopInstanceUID ?? (instance?.SOPInstanceUID as string | undefined);
  const match = FRAME.exec(imageId);
  const frame = match?.[1] ?? match?.[2];
  const series = metaData.get('generalSeriesModule', imageId) as
    { modality?: string; seriesDescription?: string } | undefined;
  return {
    imageId,
    // Without a SOPInstanceUID the imageId is the only identity we have.
    imageKey: sopInstanceUid ? (frame ? `${sopInstanceUid}#${frame}` : sopInstanceUid) : imageId,
    modality: series?.modality ?? (instance?.Modality as string | undefined),
    seriesDescription: series?.seriesDescription ?? (instance?.SeriesDescription as string | undefined),
  };
}

/**
 * The image the viewport is set to show (its current imageId), which may still be loading: use it
 * to follow the viewer, never to pair with pixels (radiographPixelsFromViewport does that).
 */
export function displayedImage(cornerstone: Cornerstone, viewport: unknown): DisplayedImage | undefined {
  if (!isStackLike(viewport)) return undefined;
  const imageId = viewport.getCurrentImageId();
  return imageId ? describeImageId(cornerstone, imageId) : undefined;
}

/**
 * The engine's view of the displayed image: its stored pixels and its own DICOM values (rescale,
 * modality LUT, VOI window or LUT, photometric interpretation), never the user's current
 * window/level, so the result does not depend on how the reader has adjusted the display.
 *
 * Undefined while the viewport's current image is still loading: during `setStack` or
 * `setImageIdIndex` Cornerstone switches the current imageId at once but keeps the previous image
 * object until the new one has loaded, and those pixels must never go out under the new key.
 * Identity and metadata are read for the image object's own imageId.
 */
export function radiographPixelsFromViewport(
  cornerstone: Cornerstone,
  viewport: unknown,
): { pixels: RadiographPixels; image: DisplayedImage } | undefined {
  if (!isStackLike(viewport)) return undefined;
  const image = viewport.getCornerstoneImage();
  const currentImageId = viewport.getCurrentImageId();
  if (!image || !currentImageId || image.imageId !== currentImageId) return undefined;
  const { imageId } = image;
  const shown = describeImageId(cornerstone, imageId);
  const { metaData } = cornerstone;
  const pixelModule = (metaData.get('imagePixelModule', imageId) ?? {}) as {
    photometricInterpretation?: string;
    samplesPerPixel?: number;
    bitsStored?: number;
    pixelRepresentation?: number;
  };
  const voi = (metaData.get('voiLutModule', imageId) ?? {}) as {
    windowCenter?: number | number[];
    windowWidth?: number | number[];
    voiLUTFunction?: string;
    voiLUTSequence?: unknown;
  };
  const modality = (metaData.get('modalityLutModule', imageId) ?? {}) as {
    rescaleSlope?: number;
    rescaleIntercept?: number;
    modalityLUTSequence?: unknown;
  };
  const instance = (metaData.get('instance', imageId) ?? {}) as Record<string, unknown>;
  const multiframe = metaData.get('multiframeModule', imageId) as { NumberOfFrames?: number } | undefined;

  const scaled = !!image.preScale?.scaled;
  const scaling = image.preScale?.scalingParameters as { rescaleSlope?: number; rescaleIntercept?: number } | undefined;
  const voiFunction = (voi.voiLUTFunction ?? (instance.VOILUTFunction as string | undefined))?.toUpperCase();
  const numberOfFrames = first(multiframe?.NumberOfFrames ?? instance.NumberOfFrames);
  const voiLutItem = firstLut(voi.voiLUTSequence);
  const modalityLutItem = firstLut(modality.modalityLUTSequence);
  const voiLut: VoiLutTable | undefined =
    voiLutItem && first(voiLutItem.numBitsPerEntry) !== undefined
      ? {
          firstValueMapped: first(voiLutItem.firstValueMapped) ?? 0,
          bitsPerEntry: first(voiLutItem.numBitsPerEntry)!,
          data: voiLutItem.lut,
        }
      : undefined;
  let modalityLut: ModalityLutTable | undefined = modalityLutItem
    ? { firstValueMapped: first(modalityLutItem.firstValueMapped) ?? 0, data: modalityLutItem.lut }
    : undefined;
  let voiLutTable = voiLut;
  const signedPixels = first(pixelModule.pixelRepresentation) === 1;
  if (!modalityLut) {
    const fromInstance = lutFromInstance(instance, 'ModalityLUTSequence', signedPixels);
    if (fromInstance.lut)
      modalityLut = { firstValueMapped: fromInstance.lut.firstValueMapped, data: fromInstance.lut.data };
    else if (fromInstance.declared)
      console.warn('[chest-xray-ai] the Modality LUT Sequence cannot be read; rescale is used instead');
  }
  if (!voiLutTable) {
    const intercept = first(modality.rescaleIntercept) ?? 0;
    const fromInstance = lutFromInstance(instance, 'VOILUTSequence', signedPixels || intercept < 0);
    if (fromInstance.lut) voiLutTable = fromInstance.lut;
    else if (fromInstance.declared)
      console.warn('[chest-xray-ai] the VOI LUT Sequence cannot be read; the result names the VOI it used');
  }

  const pixels: RadiographPixels = {
    pixelData: image.getPixelData() as PixelArray,
    rows: image.rows,
    columns: image.columns,
    // A colour image reaches us as RGB(A) even if its metadata is missing.
    samplesPerPixel: image.color ? 3 : (first(pixelModule.samplesPerPixel) ?? 1),
    numberOfFrames,
    photometricInterpretation:
      pixelModule.photometricInterpretation ??
      (instance.PhotometricInterpretation as string | undefined) ??
      (image.color ? 'RGB' : 'MONOCHROME2'),
    bitsStored: first(pixelModule.bitsStored),
    pixelRepresentation: first(pixelModule.pixelRepresentation),
    rescaleSlope: first(scaled ? scaling?.rescaleSlope : undefined) ?? first(modality.rescaleSlope) ?? image.slope,
    rescaleIntercept:
      first(scaled ? scaling?.rescaleIntercept : undefined) ?? first(modality.rescaleIntercept) ?? image.intercept,
    rescaleApplied: scaled,
    modalityLut,
    windowCenter: first(voi.windowCenter),
    windowWidth: first(voi.windowWidth),
    voiLutFunction:
      voiFunction === 'LINEAR' || voiFunction === 'LINEAR_EXACT' || voiFunction === 'SIGMOID'
        ? (voiFunction as VoiLutFunction)
        : undefined,
    voiLut: voiLutTable,
    imageKey: shown.imageKey,
    acquisition: acquisitionFromMetadata(cornerstone, imageId),
  };
  return { pixels, image: shown };
}
