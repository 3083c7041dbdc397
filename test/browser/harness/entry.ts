/**
 * The engine as the browser runs it, for browser tests and benchmarks: exposed on window so a
 * page can drive it. onnxruntime-web is not bundled; the page imports it and passes it in.
 */
import * as engine from '../../../extension/src/engine';
import type { RadiographPixels } from '../../../extension/src/engine';
import { benchmarkInPage, type BrowserBenchArgs } from '../../bench/benchCore';

/** Decodes a greyscale PNG with the browser's own decoder into the engine's pixel description. */
async function decodeGreyPng(url: string): Promise<RadiographPixels> {
  const blob = await (await fetch(url)).blob();
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
  context.drawImage(bitmap, 0, 0);
  const rgba = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
  const grey = new Uint8Array(bitmap.width * bitmap.height);
  for (let i = 0; i < grey.length; i++) grey[i] = rgba[4 * i];
  return {
    pixelData: grey,
    rows: bitmap.height,
    columns: bitmap.width,
    samplesPerPixel: 1,
    photometricInterpretation: 'MONOCHROME2',
    windowCenter: 127.5,
    windowWidth: 255,
    voiLutFunction: 'LINEAR_EXACT',
    imageKey: url,
  };
}

const harness = {
  ...engine,
  decodeGreyPng,
  benchmark: (ort: engine.Ort, args: BrowserBenchArgs) =>
    benchmarkInPage({ loadModel: engine.loadModel, decodeGreyPng }, ort, args),
};
export type Harness = typeof harness;

declare global {
  interface Window {
    cxrEngine: Harness;
  }
}

window.cxrEngine = harness;
