import type { Types as CoreTypes } from '@cornerstonejs/core';
import type { PixelArray, RadiographPixels, VoiLutFunction } from '../engine';
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

export function displayedImage(cornerstone: Cornerstone, viewport: unknown): DisplayedImage | undefined {
  if (!isStackLike(viewport)) return undefined;
  const imageId = viewport.getCurrentImageId();
  if (!imageId) return undefined;
  const { metaData } = cornerstone;
  const sop = metaData.get('sopCommonModule', imageId) as { sopInstanceUID?: string } | undefined;
  const instance = metaData.get('instance', imageId) as Record<string, unknown> | undefined;
  const sopInstanceUid = sop?.sopInstanceUID ?? (instance?.SOPInstanceUID as string | undefined);
  const frame = /[?&]frame=(\d+)/.exec(imageId)?.[1];
  const series = metaData.get('generalSeriesModule', imageId) as { modality?: string; seriesDescription?: string } | undefined;
  return {
    imageId,
    // Without a SOPInstanceUID the imageId is the only identity we have.
    imageKey: sopInstanceUid ? (frame ? `${sopInstanceUid}#${frame}` : sopInstanceUid) : imageId,
    modality: series?.modality ?? (instance?.Modality as string | undefined),
    seriesDescription: series?.seriesDescription ?? (instance?.SeriesDescription as string | undefined),
  };
}

/**
 * The engine's view of the displayed image: its stored pixels and its own DICOM values (rescale,
 * VOI window or LUT, photometric interpretation), never the user's current window/level, so the
 * result does not depend on how the reader has adjusted the display.
 */
export function radiographPixelsFromViewport(
  cornerstone: Cornerstone,
  viewport: unknown,
): { pixels: RadiographPixels; image: DisplayedImage } | undefined {
  const shown = displayedImage(cornerstone, viewport);
  if (!shown || !isStackLike(viewport)) return undefined;
  const image = viewport.getCornerstoneImage();
  if (!image) return undefined;
  const { metaData } = cornerstone;
  const { imageId } = shown;
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
  };
  const modality = (metaData.get('modalityLutModule', imageId) ?? {}) as {
    rescaleSlope?: number;
    rescaleIntercept?: number;
  };
  const instance = (metaData.get('instance', imageId) ?? {}) as Record<string, unknown>;
  const multiframe = metaData.get('multiframeModule', imageId) as { NumberOfFrames?: number } | undefined;

  const scaled = !!image.preScale?.scaled;
  const scaling = image.preScale?.scalingParameters as { rescaleSlope?: number; rescaleIntercept?: number } | undefined;
  const voiFunction = (voi.voiLUTFunction ?? (instance.VOILUTFunction as string | undefined))?.toUpperCase();
  const numberOfFrames = first(multiframe?.NumberOfFrames ?? instance.NumberOfFrames);

  const pixels: RadiographPixels = {
    pixelData: image.getPixelData() as PixelArray,
    rows: image.rows,
    columns: image.columns,
    // A colour image reaches us as RGB(A) even if its metadata is missing.
    samplesPerPixel: image.color ? 3 : (first(pixelModule.samplesPerPixel) ?? 1),
    numberOfFrames,
    photometricInterpretation:
      pixelModule.photometricInterpretation ?? (instance.PhotometricInterpretation as string | undefined) ?? (image.color ? 'RGB' : 'MONOCHROME2'),
    bitsStored: first(pixelModule.bitsStored),
    pixelRepresentation: first(pixelModule.pixelRepresentation),
    rescaleSlope: first(scaled ? scaling?.rescaleSlope : undefined) ?? first(modality.rescaleSlope) ?? image.slope,
    rescaleIntercept: first(scaled ? scaling?.rescaleIntercept : undefined) ?? first(modality.rescaleIntercept) ?? image.intercept,
    rescaleApplied: scaled,
    windowCenter: first(voi.windowCenter),
    windowWidth: first(voi.windowWidth),
    voiLutFunction:
      voiFunction === 'LINEAR' || voiFunction === 'LINEAR_EXACT' || voiFunction === 'SIGMOID'
        ? (voiFunction as VoiLutFunction)
        : undefined,
    imageKey: shown.imageKey,
  };
  return { pixels, image: shown };
}
