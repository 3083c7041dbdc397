/**
 * The real demo model on onnxruntime-web's WASM backend in Node, loaded once per test file and
 * wrapped so tests can count and hold analyses. No stand-in: the numbers are the engine's.
 */
import type { AnalysisResult, AnalyzeOptions, LoadedModel, RadiographPixels } from '../../extension/src/engine';
import { readImageFile } from '../../extension/src/cli/io/readImageFile';
import { loadModelFromDisk } from '../../extension/src/cli/nodeModel';
import type { FakeImage } from './fakeOhif';
import { join } from 'node:path';

export const NIH_DIR = join(__dirname, '..', '..', 'demo', 'data', 'nih');

let shared: Promise<LoadedModel> | undefined;

export function realDemoModel(): Promise<LoadedModel> {
  shared ??= loadModelFromDisk(undefined, 1, 'wasm');
  return shared;
}

/** A real NIH radiograph as a fake Cornerstone image. */
export async function nihImage(file: string, sopInstanceUid: string): Promise<FakeImage> {
  const pixels: RadiographPixels = await readImageFile(join(NIH_DIR, file));
  return {
    imageId: `wadouri:/demo/${file}`,
    sopInstanceUid,
    rows: pixels.rows,
    columns: pixels.columns,
    pixelData: pixels.pixelData as Uint8Array | Uint16Array,
    bitsStored: pixels.bitsStored,
    modality: 'DX',
    seriesDescription: file,
  };
}

export interface CountingModel extends LoadedModel {
  /** imageKeys in the order analyses started. */
  analysed: string[];
  /** While set, analyses wait for it before running. */
  hold?: Promise<void>;
}

export function countingModel(model: LoadedModel): CountingModel {
  const counting: CountingModel = {
    ...model,
    get backend() {
      return model.backend;
    },
    analysed: [],
    async analyze(pixels: RadiographPixels, options?: AnalyzeOptions): Promise<AnalysisResult> {
      counting.analysed.push(pixels.imageKey ?? '');
      if (counting.hold) await counting.hold;
      return model.analyze(pixels, options);
    },
    dispose: async () => undefined,
  };
  return counting;
}
