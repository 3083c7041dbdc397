import type { AcquisitionInfo } from './ChestFilmGate';

/** A pixel array as a DICOM loader or image decoder gives it. */
export type PixelArray =
  | Uint8Array
  | Uint8ClampedArray
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

/** DICOM VOI LUT (0028,3010) item: the table maps stored-after-modality values to output values. */
export interface VoiLutTable {
  firstValueMapped: number;
  /** Bits per entry (0028,3002) third value: output values span [0, 2^bits - 1]. */
  bitsPerEntry: number;
  data: ArrayLike<number>;
}

/** DICOM Modality LUT (0028,3000) item. */
export interface ModalityLutTable {
  firstValueMapped: number;
  data: ArrayLike<number>;
}

export type VoiLutFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

/**
 * Everything the engine needs about a displayed image. Built from what Cornerstone gives for a
 * stack viewport image, from a DICOM file, or from a PNG/JPEG. Never carries the user's
 * interactive window/level: only the image's own DICOM values.
 */
export interface RadiographPixels {
  pixelData: PixelArray;
  rows: number;
  columns: number;
  samplesPerPixel: number;
  numberOfFrames?: number;
  /** MONOCHROME1, MONOCHROME2, RGB, ... */
  photometricInterpretation: string;
  bitsStored?: number;
  /** 0 unsigned, 1 two's complement; informational when pixelData already has the right type. */
  pixelRepresentation?: number;
  rescaleSlope?: number;
  rescaleIntercept?: number;
  /** True when the loader already applied slope/intercept to pixelData (Cornerstone's preScale). */
  rescaleApplied?: boolean;
  modalityLut?: ModalityLutTable;
  /** First window of the image's own VOI, if any. */
  windowCenter?: number;
  windowWidth?: number;
  voiLutFunction?: VoiLutFunction;
  voiLut?: VoiLutTable;
  /** Identity of the image the pixels came from; results carry it back. */
  imageKey?: string;
  /** What the file says about how it was acquired: the chest-film gate reads it. */
  acquisition?: AcquisitionInfo;
}
