/**
 * One benchmark, the same code in Node and in the browser page: pixel preparation, session.run,
 * heatmap post-processing (all findings into image space) and end to end, per iteration.
 */
import {
  allDisplayHeatmaps,
  allHeatmaps,
  type loadModel,
  type LoadedModel,
  type Ort,
  preparePixels,
  type RadiographPixels,
} from '../../extension/src/engine';

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
  /** Every finding's map on the film's own pixel grid (the CLI's PNGs). */
  heatmapsMs: Stats;
  /** Every finding's display map on the small grid the viewer draws (tied to the CAM grid). */
  displayMapsMs: Stats;
  /** As the viewer does it: prepare + run + every display map. */
  endToEndMs: Stats;
  /** All heatmaps into image space over session.run, image by image (the same analysis). */
  heatmapsOverRun: Stats;
  /** All display maps over session.run, image by image. */
  displayMapsOverRun: Stats;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

export async function benchmarkModel(
  model: LoadedModel,
  pixels: RadiographPixels,
  iterations: number,
  threads: number,
): Promise<BenchFigures> {
  const now = () => globalThis.performance.now();
  await model.analyze(pixels); // warm-up: first run compiles kernels and allocates
  const prepare: number[] = [];
  const run: number[] = [];
  const heatmaps: number[] = [];
  const displayMaps: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = now();
    preparePixels(pixels, model.manifest);
    prepare.push(now() - t0);
    const t1 = now();
    const result = await model.analyze(pixels);
    const t2 = now();
    allDisplayHeatmaps(result);
    const t3 = now();
    allHeatmaps(result);
    const t4 = now();
    run.push(result.timingsMs.inferenceMs);
    displayMaps.push(t3 - t2);
    heatmaps.push(t4 - t3);
    // End to end as the viewer does it: prepare + run (inside analyze) + every display map.
    total.push(t3 - t1);
  }
  return {
    iterations,
    backend: model.backend,
    threads,
    prepareMs: stats(prepare),
    sessionRunMs: stats(run),
    heatmapsMs: stats(heatmaps),
    displayMapsMs: stats(displayMaps),
    endToEndMs: stats(total),
    heatmapsOverRun: stats(heatmaps.map((h, i) => h / run[i])),
    displayMapsOverRun: stats(displayMaps.map((h, i) => h / run[i])),
  };
}

/** Only session.run, for comparing model variants (with and without the CAM output). */
export async function benchmarkSessionRun(
  model: LoadedModel,
  pixels: RadiographPixels,
  iterations: number,
): Promise<Stats> {
  await model.analyze(pixels);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) samples.push((await model.analyze(pixels)).timingsMs.inferenceMs);
  return stats(samples);
}

/**
 * Runs each of `runs` once per round, in turn, `iterations` rounds after one warm-up round, so that
 * load from elsewhere on the machine falls on all alike; returns each one's times, in order.
 */
export async function interleavedTimes(runs: (() => Promise<unknown>)[], iterations: number): Promise<number[][]> {
  const samples: number[][] = runs.map(() => []);
  for (let i = -1; i < iterations; i++) {
    for (let r = 0; r < runs.length; r++) {
      const t0 = globalThis.performance.now();
      await runs[r]();
      if (i >= 0) samples[r].push(globalThis.performance.now() - t0); // i = -1 is the warm-up
    }
  }
  return samples;
}

/** a[i] / b[i] round by round: a ratio with its spread, not a ratio of two noisy medians. */
export const ratioStats = (a: number[], b: number[]): Stats => stats(a.map((x, i) => x / b[i]));

/**
 * session.run of the model with and without its CAM output, alternating run by run so that load
 * from elsewhere on the machine falls on both alike.
 */
export async function benchmarkCamCost(
  ort: Ort,
  withCamsBytes: Uint8Array,
  withoutCamsBytes: Uint8Array,
  input: { name: string; data: Float32Array; shape: number[] },
  iterations: number,
): Promise<{ withCams: Stats; withoutCams: Stats }> {
  const options = { executionProviders: ['wasm'], graphOptimizationLevel: 'all' as const };
  const sessions = [
    await ort.InferenceSession.create(withCamsBytes.slice(), options),
    await ort.InferenceSession.create(withoutCamsBytes.slice(), options),
  ];
  const samples: number[][] = [[], []];
  for (let i = -1; i < iterations; i++) {
    for (let s = 0; s < 2; s++) {
      const feeds = { [input.name]: new ort.Tensor('float32', input.data.slice(), input.shape) };
      const t0 = globalThis.performance.now();
      await sessions[s].run(feeds);
      if (i >= 0) samples[s].push(globalThis.performance.now() - t0); // i = -1 is the warm-up
    }
  }
  await Promise.all(sessions.map((session) => session.release()));
  return { withCams: stats(samples[0]), withoutCams: stats(samples[1]) };
}

export interface BrowserBenchArgs {
  manifestUrl: string;
  imageUrl: string;
  noCamsModelUrl: string;
  iterations: number;
  threads: number;
}

/** The browser half of the benchmark; runs inside the harness page (bundled, so no eval helpers). */
export async function benchmarkInPage(
  engine: {
    loadModel: typeof loadModel;
    decodeGreyPng(url: string): Promise<RadiographPixels>;
  },
  ort: Ort,
  args: BrowserBenchArgs,
) {
  const model = await engine.loadModel({
    manifestUrl: args.manifestUrl,
    ort,
    backend: 'wasm',
    wasmThreads: args.threads,
  });
  const pixels = await engine.decodeGreyPng(args.imageUrl);
  const figures = await benchmarkModel(model, pixels, args.iterations, args.threads);
  const prepared = preparePixels(pixels, model.manifest);
  await model.dispose();
  const bytes = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());
  const raw = { name: model.manifest.input.name, data: prepared.tensorData, shape: [...prepared.shape] };
  const modelUrl = new URL(model.manifest.file, new URL(args.manifestUrl, location.href)).href;
  const camCost = await benchmarkCamCost(
    ort,
    await bytes(modelUrl),
    await bytes(args.noCamsModelUrl),
    raw,
    args.iterations,
  );
  return { figures, isolated: crossOriginIsolated, userAgent: navigator.userAgent, ...camCost };
}
