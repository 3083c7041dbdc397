/**
 * One benchmark, the same code in Node and in the browser page: pixel preparation, session.run,
 * heatmap post-processing (all findings into image space) and end to end, per iteration.
 */
import { allHeatmaps } from '../../extension/src/engine/heatmap/heatmapForFinding';
import { preparePixels } from '../../extension/src/engine/pixels/preparePixels';
import type { LoadedModel } from '../../extension/src/engine/session/types';
import type { RadiographPixels } from '../../extension/src/engine/types/RadiographPixels';

export interface Stats {
  median: number;
  min: number;
  max: number;
}

export interface BenchFigures {
  iterations: number;
  backend: string;
  threads: number;
  prepareMs: Stats;
  sessionRunMs: Stats;
  heatmapsMs: Stats;
  endToEndMs: Stats;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

export async function benchmarkModel(model: LoadedModel, pixels: RadiographPixels, iterations: number, threads: number): Promise<BenchFigures> {
  const now = () => globalThis.performance.now();
  await model.analyze(pixels); // warm-up: first run compiles kernels and allocates
  const prepare: number[] = [];
  const run: number[] = [];
  const heatmaps: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = now();
    preparePixels(pixels, model.manifest);
    prepare.push(now() - t0);
    const t1 = now();
    const result = await model.analyze(pixels);
    const t2 = now();
    allHeatmaps(result);
    const t3 = now();
    run.push(result.timingsMs.inferenceMs);
    heatmaps.push(t3 - t2);
    // End to end as the viewer does it: prepare + run (inside analyze) + every heatmap.
    total.push(t3 - t1);
  }
  return {
    iterations,
    backend: model.backend,
    threads,
    prepareMs: stats(prepare),
    sessionRunMs: stats(run),
    heatmapsMs: stats(heatmaps),
    endToEndMs: stats(total),
  };
}

/** Only session.run, for comparing model variants (with and without the CAM output). */
export async function benchmarkSessionRun(model: LoadedModel, pixels: RadiographPixels, iterations: number): Promise<Stats> {
  await model.analyze(pixels);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) samples.push((await model.analyze(pixels)).timingsMs.inferenceMs);
  return stats(samples);
}

/** Raw session.run of a model's bytes on one input, for models outside the manifest contract. */
export async function benchmarkRawSession(
  ort: typeof import('onnxruntime-web'),
  bytes: Uint8Array,
  input: { name: string; data: Float32Array; shape: number[] },
  iterations: number,
): Promise<Stats> {
  const session = await ort.InferenceSession.create(bytes.slice(), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const runOnce = async () => {
    const t0 = globalThis.performance.now();
    await session.run({ [input.name]: new ort.Tensor('float32', input.data.slice(), input.shape) });
    return globalThis.performance.now() - t0;
  };
  await runOnce();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) samples.push(await runOnce());
  await session.release();
  return stats(samples);
}
