/**
 * npm run bench: figures, not assertions. The demo DenseNet-121 on one NIH radiograph (1024x1024):
 * pixel preparation, session.run, heatmap post-processing (14 maps into image space) and end to
 * end, on WASM in Node and in headless Chromium (cross-origin isolated, 2 threads), plus what the
 * in-graph CAM output costs against the same model without it.
 *   BENCH_ITERATIONS=10 npm run bench
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
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
import { benchmarkCamCost, benchmarkModel, type BenchFigures, type Stats } from './benchCore';

const root = resolve(__dirname, '../..');
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 10);
const THREADS = 2;
const IMAGE = 'jrzech__00001369_000.png';
const CACHE = join(root, '.cache/bench');

const ms = (s: Stats) =>
  `${s.median.toFixed(1).padStart(8)} ${s.min.toFixed(1).padStart(8)} ${s.max.toFixed(1).padStart(8)}`;

function printFigures(title: string, f: BenchFigures, camCost: { withCams: Stats; withoutCams: Stats }) {
  console.log(`\n${title} (backend ${f.backend}, ${f.threads} threads, ${f.iterations} iterations after 1 warm-up)`);
  console.log(`${'stage'.padEnd(34)}${'median'.padStart(8)} ${'min'.padStart(8)} ${'max'.padStart(8)}  ms`);
  console.log(`${'pixel preparation'.padEnd(34)}${ms(f.prepareMs)}`);
  console.log(`${'session.run'.padEnd(34)}${ms(f.sessionRunMs)}`);
  console.log(`${'heatmaps (14, image space)'.padEnd(34)}${ms(f.heatmapsMs)}`);
  console.log(`${'end to end'.padEnd(34)}${ms(f.endToEndMs)}`);
  const extra = camCost.withCams.median - camCost.withoutCams.median;
  console.log(`${'session.run with CAM output'.padEnd(34)}${ms(camCost.withCams)}`);
  console.log(`${'session.run without CAM output'.padEnd(34)}${ms(camCost.withoutCams)}`);
  console.log(
    `CAM output cost: ${extra.toFixed(1)} ms median (${((100 * extra) / camCost.withoutCams.median).toFixed(1)}%)`,
  );
}

async function main() {
  console.log(`chest-xray-ai bench: ${cpus().length} CPU cores (${cpus()[0]?.model ?? 'unknown'}), image ${IMAGE}`);
  mkdirSync(CACHE, { recursive: true });
  const noCamsPath = join(CACHE, 'model-no-cams.onnx');
  writeFileSync(noCamsPath, buildDenseNet({ ...densenet121Config, includeCams: false }).onnxBytes);
  const demoBytes = new Uint8Array(readFileSync(join(DEFAULT_MANIFEST, '..', 'model.onnx')));
  const noCamBytes = new Uint8Array(readFileSync(noCamsPath));

  // Node: onnxruntime-web's WASM backend, the engine's own code.
  const pixels = await readImageFile(nihPng(IMAGE));
  const model = await loadModelFromDisk(DEFAULT_MANIFEST, THREADS);
  const nodeFigures = await benchmarkModel(model, pixels, ITERATIONS, THREADS);
  const input = preparePixels(pixels, model.manifest);
  const rawInput = { name: model.manifest.input.name, data: input.tensorData, shape: [...input.shape] };
  await model.dispose();
  const nodeCams = await benchmarkCamCost(ort as unknown as Ort, demoBytes, noCamBytes, rawInput, ITERATIONS);
  printFigures(`Node ${process.version}, onnxruntime-web ${ort.env.versions.web} WASM`, nodeFigures, nodeCams);

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

main().catch((error) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
