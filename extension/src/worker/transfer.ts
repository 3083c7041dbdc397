import { EngineError, type AnalysisResult, type PixelArray, type RadiographPixels } from '../engine';
import type { SerializedError } from './protocol';

/**
 * The pixels with their own copy of the pixel array, whose buffer can be transferred: the viewer's
 * (Cornerstone's) buffer is never detached.
 */
export function pixelsForTransfer(pixels: RadiographPixels): { pixels: RadiographPixels; transfer: ArrayBuffer[] } {
  const copy = pixels.pixelData.slice() as PixelArray;
  return { pixels: { ...pixels, pixelData: copy }, transfer: [copy.buffer as ArrayBuffer] };
}

/** The result's own typed-array buffers (each once), to transfer rather than copy. */
export function resultTransferList(result: AnalysisResult): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const array of [result.cams.data, result.probabilities, result.input?.data]) {
    if (array && array.buffer instanceof ArrayBuffer) buffers.add(array.buffer);
  }
  return [...buffers];
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof EngineError) {
    return { code: error.code, name: error.name, message: error.message, ...(error.gate ? { gate: error.gate } : {}) };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/** The same EngineError (code, message, gate) the engine threw in the worker; other errors as Error. */
export function deserializeError(error: SerializedError): Error {
  if (error.code) return new EngineError(error.code, error.message, error.gate);
  const plain = new Error(error.message);
  plain.name = error.name;
  return plain;
}
