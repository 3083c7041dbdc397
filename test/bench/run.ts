/**
 * npm run bench: figures, not assertions. The demo DenseNet-121 on one NIH radiograph (1024x1024):
 * pixel preparation, session.run, heatmap post-processing (14 maps into image space) and end to
 * end, on the CLI's two backends in Node (onnxruntime-node native, onnxruntime-web WASM) and in
 * headless Chromium (cross-origin isolated, 2 threads), plus what the in-graph CAM output costs
 * against the same model without it. Comparisons run interleaved (one run of each per round) and
 * are given as min/median/max of the per-round ratio, with the machine's load average beside them.
 * Then the viewer's figures in headless Chromium on the demo (test/bench/viewerBench.ts).
 *   BENCH_ITERATIONS=10 npm run bench
 *   npm run bench -- --viewer-only --rounds 3 [--heap-switches 12] [--viewer-roots /before,/after]
 *   npm run bench -- --no-viewer
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import * as ortNative from 'onnxruntime-node';
import * as ort from 'onnxruntime-web';
import { readImageFile } from '../../extension/src/cli/io/readImageFile';
import { DEFAULT_MANIFEST, loadModelFromDisk } from '../../extension/src/cli/nodeModel';
import { buildDenseNet, densenet121Config } from '../../models/builder/densenet';
import { preparePixels, type Ort } from '../../extension/src/engine';
import { launchChromium } from '../support/chromium';
import { startStaticServer } from '../support/staticServer';
import { NIH_PNG_DIR, nihPng } from '../fixtures/paths';
import { buildHarness, HARNESS_DIR, HARNESS_PAGE, ORT_DIST } from '../browser/harness/buildHarness';
import type { Harness } from '../browser/harness/entry';
import { exporterEnv, exporterPython, hasExporterDependencies } from '../../models/exporter/exporterPython';
import {
  benchmarkCamCost,
  benchmarkModel,
  interleavedTimes,
  ratioStats,
  stats,
  type BenchFigures,
  type Stats,
} from './benchCore';
import { viewerBench } from './viewerBench';

const root = resolve(__dirname, '../..');
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 10);
const THREADS = 2;
const IMAGE = 'jrzech__00001369_000.png';
const CACHE = join(root, '.cache/bench');

const ms = (s: Stats) =>
  `${s.median.toFixed(1).padStart(8)} ${s.min.toFixed(1).padStart(8)} ${s.max.toFixed(1).padStart(8)}`;

const ratio = (s: Stats) =>
  `${s.median.toFixed(2).padStart(8)} ${s.min.toFixed(2).padStart(8)} ${s.max.toFixed(2).padStart(8)}`;
const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (1/5/15 min, ${cpus().length} cores)`;

function printFigures(title: string, f: BenchFigures, camCost?: { withCams: Stats; withoutCams: Stats }) {
  console.log(`\n${title} (backend ${f.backend}, ${f.threads} threads, ${f.iterations} iterations after 1 warm-up)`);
  console.log(`${'stage'.padEnd(34)}${'median'.padStart(8)} ${'min'.padStart(8)} ${'max'.padStart(8)}  ms`);
  console.log(`${'pixel preparation'.padEnd(34)}${ms(f.prepareMs)}`);
  console.log(`${'session.run'.padEnd(34)}${ms(f.sessionRunMs)}`);
  console.log(`${'heatmaps (14, image space)'.padEnd(34)}${ms(f.heatmapsMs)}`);
  console.log(`${'display maps (14, viewer grid)'.padEnd(34)}${ms(f.displayMapsMs)}`);
  console.log(`${'end to end'.padEnd(34)}${ms(f.endToEndMs)}`);
  console.log(`${'heatmaps / session.run (ratio)'.padEnd(34)}${ratio(f.heatmapsOverRun)}`);
  console.log(`${'display maps / session.run (ratio)'.padEnd(34)}${ratio(f.displayMapsOverRun)}`);
  console.log(`  ${load()}`);
  if (!camCost) return;
  const extra = camCost.withCams.median - camCost.withoutCams.median;
  console.log(`${'session.run with CAM output'.padEnd(34)}${ms(camCost.withCams)}`);
  console.log(`${'session.run without CAM output'.padEnd(34)}${ms(camCost.withoutCams)}`);
  console.log(
    `CAM output cost: ${extra.toFixed(1)} ms median (${((100 * extra) / camCost.withoutCams.median).toFixed(1)}%)`,
  );
}

async function main() {
  console.log(`chest-xray-ai bench: ${cpus().length} CPU cores (${cpus()[0]?.model ?? 'unknown'}), image ${IMAGE}`);
  if (!flag('--viewer-only')) await cliAndEngine();
  if (!flag('--no-viewer'))
    await viewerBench({
      roots: (option('--viewer-roots') ?? root).split(',').map((r) => resolve(r)),
      rounds: Number(option('--rounds') ?? 3),
      heapSwitches: Number(option('--heap-switches') ?? 12),
    });
}

/** Node (WASM, native) and the engine harness in Chromium. */
async function cliAndEngine() {
  mkdirSync(CACHE, { recursive: true });
  const noCamsPath = join(CACHE, 'model-no-cams.onnx');
  writeFileSync(noCamsPath, buildDenseNet({ ...densenet121Config, includeCams: false }).onnxBytes);
  const demoBytes = new Uint8Array(readFileSync(join(DEFAULT_MANIFEST, '..', 'model.onnx')));
  const noCamBytes = new Uint8Array(readFileSync(noCamsPath));

  // Node: onnxruntime-web's WASM backend, the engine's own code.
  const pixels = await readImageFile(nihPng(IMAGE));
  const model = await loadModelFromDisk(DEFAULT_MANIFEST, THREADS, 'wasm');
  const nodeFigures = await benchmarkModel(model, pixels, ITERATIONS, THREADS);
  const input = preparePixels(pixels, model.manifest);
  const rawInput = { name: model.manifest.input.name, data: input.tensorData, shape: [...input.shape] };
  await model.dispose();
  const nodeCams = await benchmarkCamCost(ort as unknown as Ort, demoBytes, noCamBytes, rawInput, ITERATIONS);
  printFigures(`Node ${process.version}, onnxruntime-web ${ort.env.versions.web} WASM`, nodeFigures, nodeCams);

  // Node: onnxruntime-node on the CPU, the CLI's default backend.
  const native = await loadModelFromDisk(DEFAULT_MANIFEST, THREADS, 'cpu-native');
  const nativeFigures = await benchmarkModel(native, pixels, ITERATIONS, THREADS);
  await native.dispose();
  printFigures(
    `Node ${process.version}, onnxruntime-node ${ortNative.env.versions.node} CPU (the CLI's default)`,
    nativeFigures,
  );

  await compareSessions(demoBytes, rawInput);

  // Headless Chromium: the same engine bundle the tests use, WASM with threads.
  await buildHarness();
  const server = await startStaticServer(
    {
      '/harness/': HARNESS_DIR,
      '/ort/': ORT_DIST,
      '/models/': join(root, 'models'),
      '/images/': NIH_PNG_DIR,
      '/bench/': CACHE,
    },
    { '/': HARNESS_PAGE },
  );
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
    const inPage = await page.evaluate(
      (args) => {
        const w = window as unknown as { cxrEngine: Harness; ort: Ort };
        return w.cxrEngine.benchmark(w.ort, args);
      },
      {
        manifestUrl: '/models/demo/manifest.json',
        imageUrl: `/images/${IMAGE}`,
        noCamsModelUrl: '/bench/model-no-cams.onnx',
        iterations: ITERATIONS,
        threads: THREADS,
      },
    );
    const chrome = /Chrome\/[\d.]+/.exec(inPage.userAgent)?.[0] ?? 'Chromium';
    printFigures(`Headless ${chrome}, cross-origin isolated: ${inPage.isolated}`, inPage.figures, inPage);
  } finally {
    await browser.close();
    await server.close();
  }
}

type RawInput = { name: string; data: Float32Array; shape: number[] };

/** The demo model quantised by the exporter's --int8 code (needs the exporter's python3 and onnx). */
function int8DemoModel(demoPath: string): { bytes?: Uint8Array; why?: string } {
  const python = exporterPython();
  if (!hasExporterDependencies(python)) return { why: `${python} cannot import torch, torchvision and onnx` };
  const out = join(CACHE, 'model-int8.onnx');
  const made = spawnSync(python, ['-m', 'cxr_export.quantize', demoPath, out], {
    cwd: join(root, 'models', 'exporter'),
    encoding: 'utf8',
    env: exporterEnv(),
  });
  if (made.status !== 0 || !existsSync(out)) return { why: `quantisation failed: ${made.stderr.trim()}` };
  return { bytes: new Uint8Array(readFileSync(out)) };
}

/** session.run only, interleaved round by round: WASM vs native, and int8 vs float32 on WASM. */
async function compareSessions(demoBytes: Uint8Array, input: RawInput) {
  ort.env.wasm.numThreads = THREADS;
  const wasmOptions = { executionProviders: ['wasm'], graphOptimizationLevel: 'all' as const };
  const feedsFor = (tensor: (data: Float32Array, shape: number[]) => unknown) => ({
    [input.name]: tensor(input.data.slice(), input.shape),
  });
  const wasmFeeds = () => feedsFor((d, s) => new ort.Tensor('float32', d, s)) as Record<string, ort.Tensor>;
  const nativeFeeds = () =>
    feedsFor((d, s) => new ortNative.Tensor('float32', d, s)) as Record<string, ortNative.Tensor>;

  const wasm = await ort.InferenceSession.create(demoBytes.slice(), wasmOptions);
  const native = await ortNative.InferenceSession.create(demoBytes.slice(), {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: THREADS,
    interOpNumThreads: 1,
  });
  const [onWasm, onNative] = await interleavedTimes(
    [() => wasm.run(wasmFeeds()), () => native.run(nativeFeeds())],
    ITERATIONS,
  );
  await native.release();
  console.log(`\nsession.run only, interleaved (${ITERATIONS} rounds after 1 warm-up, ${THREADS} threads each)`);
  console.log(`${'figure'.padEnd(34)}${'median'.padStart(8)} ${'min'.padStart(8)} ${'max'.padStart(8)}`);
  console.log(`${'WASM (onnxruntime-web) ms'.padEnd(34)}${ms(stats(onWasm))}`);
  console.log(`${'native (onnxruntime-node) ms'.padEnd(34)}${ms(stats(onNative))}`);
  console.log(`${'WASM / native (ratio per round)'.padEnd(34)}${ratio(ratioStats(onWasm, onNative))}`);
  console.log(`  ${load()}`);

  const int8 = int8DemoModel(join(DEFAULT_MANIFEST, '..', 'model.onnx'));
  if (!int8.bytes) {
    console.log(`int8 vs float32 on WASM: not measured (${int8.why})`);
  } else {
    const quantised = await ort.InferenceSession.create(int8.bytes.slice(), wasmOptions);
    const [float32, int8Times] = await interleavedTimes(
      [() => wasm.run(wasmFeeds()), () => quantised.run(wasmFeeds())],
      ITERATIONS,
    );
    await quantised.release();
    console.log(`${`WASM float32 ms`.padEnd(34)}${ms(stats(float32))}`);
    console.log(`${`WASM int8 ms (${(int8.bytes.byteLength / 1e6).toFixed(1)} MB)`.padEnd(34)}${ms(stats(int8Times))}`);
    console.log(`${'int8 / float32 (ratio per round)'.padEnd(34)}${ratio(ratioStats(int8Times, float32))}`);
    console.log(`  ${load()}`);
  }
  await wasm.release();
}

main().catch((error) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
