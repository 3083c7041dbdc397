/**
 * The viewer's figures, measured in headless Chromium on the demo (real OHIF, the demo model):
 * first result cold (fresh profile) and warm (model in Cache API), image switch → result shown
 * against the result's own prep + run, heatmap toggle → drawn, all 14 maps → drawn against
 * session.run, main-thread long tasks during an analysis, and the JS heap over image switches.
 * Rounds are interleaved (one cold page, then the warm reload, then its switches, per round, each
 * round a fresh browser) and every figure is given as min/median/max with the load average beside.
 * `roots` may name other checkouts (each served from its own demo/server.ts and dist/), so the same
 * script measures the code as it was before a change, interleaved with the code after it.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type * as DemoServerModule from '../../demo/server';
import { launchChromium } from '../support/chromium';
import {
  displaySets,
  inPageInstallProbes,
  longTasksBetween,
  memoryAfterGc,
  memoryProbe,
  pageTimes,
  serviceState,
  showDisplaySet,
  showHeatmaps,
  waitForDone,
} from '../support/viewerProbes';
import { stats, type Stats } from './benchCore';

export interface ViewerBenchOptions {
  /** Checkouts whose demos are served (each its own demo/server.ts, dist/ and models/demo). */
  roots: string[];
  rounds: number;
  /** Image switches (one heatmap on) between the two heap readings of each round. */
  heapSwitches: number;
}

type DemoModule = typeof DemoServerModule;

const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (1/5/15 min, ${cpus().length} cores)`;

/** Samples of each figure over all rounds. */
class Samples {
  readonly values = new Map<string, { unit: string; samples: number[] }>();

  add(name: string, unit: string, value: number | undefined): void {
    if (value === undefined || !Number.isFinite(value)) return;
    const entry = this.values.get(name) ?? { unit, samples: [] };
    entry.samples.push(value);
    this.values.set(name, entry);
  }
}

/** Esbuild (tsx) names inner functions with `__name`, which the page does not have. */
const NAME_SHIM = 'globalThis.__name = globalThis.__name || ((f) => f);';

async function openPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('[data-testid=cxrai-panel]', { timeout: 180_000 });
  await waitForDone(page);
}

/** Waits until the page's Cache API holds something (the model is stored after its first load). */
async function modelCached(page: Page): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    const cached = await page.evaluate(async () => {
      for (const name of await caches.keys()) if ((await (await caches.open(name)).keys()).length > 0) return true;
      return false;
    });
    if (cached) return true;
    await page.waitForTimeout(100);
  }
  return false;
}

/** The first result of a page just opened: from page open, and from the image's first render. */
async function firstResult(page: Page, samples: Samples, label: string): Promise<number | undefined> {
  const state = await serviceState(page);
  const times = await pageTimes(page);
  const shown = state.imageKey ? times.shown[state.imageKey] : undefined;
  samples.add(`page open → first result, ${label}`, 'ms', shown);
  if (shown !== undefined && times.firstImageRendered !== undefined) {
    samples.add(`image ready → first result, ${label}`, 'ms', shown - times.firstImageRendered);
    const tasks = longTasksBetween(times, times.firstImageRendered, shown);
    samples.add(`long tasks, first analysis, ${label}`, 'n', tasks.count);
  }
  return shown;
}

/** Switches to each image not analysed yet: time to the result shown, its own prep + run, long tasks. */
async function newImageSwitches(page: Page, samples: Samples): Promise<{ uid: string; sop: string }[]> {
  const analysed: { uid: string; sop: string }[] = [];
  const first = (await serviceState(page)).imageKey;
  for (const set of await displaySets(page)) {
    if (set.sop === first) {
      analysed.push(set);
      continue;
    }
    const t0 = await showDisplaySet(page, set.uid);
    await page.waitForFunction(
      (key) => {
        const panel = document.querySelector('[data-testid=cxrai-panel]');
        const status = panel?.getAttribute('data-analysis-status');
        return panel?.getAttribute('data-image-key') === key && status !== 'running' && status !== 'idle';
      },
      set.sop,
      { timeout: 180_000, polling: 50 },
    );
    const state = await serviceState(page);
    if (state.analysisStatus !== 'done' || !state.timingsMs) continue;
    analysed.push(set);
    const times = await pageTimes(page);
    const shown = times.shown[set.sop];
    if (shown === undefined) continue;
    const prepRun = state.timingsMs.prepareMs + state.timingsMs.inferenceMs;
    samples.add('image switch → result shown', 'ms', shown - t0);
    samples.add("the result's own prep + run", 'ms', prepRun);
    samples.add('switch → shown / (prep + run)', '×', (shown - t0) / prepRun);
    const tasks = longTasksBetween(times, t0, shown);
    samples.add('long tasks during a switch analysis', 'n', tasks.count);
    samples.add('longest task during a switch analysis', 'ms', tasks.maxMs);
  }
  return analysed;
}

/** Toggle → drawn for findings shown the first time on this image; all 14 maps → drawn against session.run. */
async function heatmapFigures(page: Page, samples: Samples): Promise<void> {
  const state = await serviceState(page);
  let withHeat = 0;
  for (const finding of state.findings) {
    if (withHeat >= 3) break;
    const ms = await showHeatmaps(page, [finding]);
    const empty = (await serviceState(page)).emptyMaps.includes(finding);
    await showHeatmaps(page, [finding], false);
    if (empty) continue;
    withHeat++;
    samples.add('heatmap toggle → drawn (first show)', 'ms', ms);
  }
  const cdp = await memoryProbe(page);
  const before = await memoryAfterGc(cdp);
  const allMs = await showHeatmaps(page, state.findings);
  const after = await memoryAfterGc(cdp);
  const drawn = (await serviceState(page)).drawn.length;
  samples.add(`all ${state.findings.length} maps shown → drawn`, 'ms', allMs);
  if (state.timingsMs) samples.add(`all maps → drawn / session.run`, '×', allMs / state.timingsMs.inferenceMs);
  if (drawn > 0) {
    const bytes = after.heapUsed + (after.backingStores ?? 0) - before.heapUsed - (before.backingStores ?? 0);
    samples.add('memory per shown map (heap + buffers)', 'MiB', bytes / drawn / 2 ** 20);
  }
  await showHeatmaps(page, state.findings, false);
  await cdp.detach();
}

/** JS heap after GC before and after `switches` image switches with one heatmap on. */
async function heapOverSwitches(
  page: Page,
  images: { uid: string; sop: string }[],
  switches: number,
  samples: Samples,
): Promise<void> {
  if (images.length < 2 || switches < 1) return;
  const cdp = await memoryProbe(page);
  const start = await memoryAfterGc(cdp);
  for (let i = 1; i <= switches; i++) {
    const image = images[i % images.length];
    await showDisplaySet(page, image.uid);
    await waitForDone(page, image.sop);
    const { findings } = await serviceState(page);
    if (findings[0]) await showHeatmaps(page, [findings[0]]);
  }
  const end = await memoryAfterGc(cdp);
  await cdp.detach();
  samples.add(`JS heap after GC, start`, 'MiB', start.heapUsed / 2 ** 20);
  samples.add(`JS heap after GC, after ${switches} switches`, 'MiB', end.heapUsed / 2 ** 20);
  samples.add(`JS heap growth per switch`, 'KiB', (end.heapUsed - start.heapUsed) / switches / 1024);
  if (start.backingStores !== undefined && end.backingStores !== undefined)
    samples.add(`array buffers growth per switch`, 'KiB', (end.backingStores - start.backingStores) / switches / 1024);
  samples.add(`page listeners added per switch`, 'n', (end.listeners - start.listeners) / switches);
}

function printSamples(samples: Samples): void {
  const num = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));
  console.log(`${'figure'.padEnd(46)}${'median'.padStart(9)}${'min'.padStart(9)}${'max'.padStart(9)}  unit  n`);
  for (const [name, { unit, samples: values }] of samples.values) {
    const s: Stats = stats(values);
    console.log(
      `${name.padEnd(46)}${num(s.median).padStart(9)}${num(s.min).padStart(9)}${num(s.max).padStart(9)}  ${unit.padEnd(4)}  ${values.length}`,
    );
  }
}

/** One round on one checkout's demo: a fresh browser, cold page, warm reload, switches, heatmaps, heap. */
async function benchRound(
  studyUrl: string,
  round: number,
  options: ViewerBenchOptions,
  into: { samples: Samples; startups: string[]; backend: string },
): Promise<void> {
  const { samples, startups } = into;
  const browser = await launchChromium();
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.addInitScript(NAME_SHIM);
    await page.addInitScript(inPageInstallProbes);
    await openPage(page, studyUrl);
    const cold = await firstResult(page, samples, 'cold');
    const coldState = await serviceState(page);
    if (coldState.startup) startups.push(`round ${round} cold: ${JSON.stringify(coldState.startup)}`);
    if (!(await modelCached(page))) console.log(`  round ${round}: the model is not in Cache API after the first load`);
    await page.reload();
    await page.waitForSelector('[data-testid=cxrai-panel]', { timeout: 180_000 });
    await waitForDone(page);
    const warm = await firstResult(page, samples, 'warm');
    const warmState = await serviceState(page);
    into.backend = warmState.backend ?? into.backend;
    if (warmState.startup) startups.push(`round ${round} warm: ${JSON.stringify(warmState.startup)}`);
    if (cold !== undefined && warm !== undefined) samples.add('first result cold / warm (page open)', '×', cold / warm);
    const images = await newImageSwitches(page, samples);
    if (images[0]) {
      await showDisplaySet(page, images[0].uid);
      await waitForDone(page, images[0].sop);
      await heatmapFigures(page, samples);
    }
    await heapOverSwitches(page, images, options.heapSwitches, samples);
  } finally {
    await browser.close();
  }
}

/**
 * The viewer figures of each checkout in `roots` (e.g. before and after a change), rounds
 * interleaved across them (the order alternating round by round), so both see the same load.
 */
export async function viewerBench(options: ViewerBenchOptions): Promise<void> {
  const sides = [];
  for (const root of options.roots) {
    const demo = (await import(join(root, 'demo', 'server.ts'))) as DemoModule;
    demo.prepareDemo({ log: () => undefined });
    const server = await demo.startDemoServer({ port: 0 });
    sides.push({ root, server, samples: new Samples(), startups: [] as string[], backend: '' });
  }
  console.log(
    `\nViewer (OHIF demo from ${options.roots.join(' and ')}, headless Chromium, ${options.rounds} rounds` +
      `${sides.length > 1 ? ', interleaved' : ''})`,
  );
  console.log(`  before: ${load()}`);
  try {
    for (let round = 1; round <= options.rounds; round++) {
      const order = round % 2 ? sides : [...sides].reverse();
      for (const side of order) await benchRound(side.server.studyUrl, round, options, side);
      console.log(`  round ${round} done: ${load()}`);
    }
  } finally {
    for (const side of sides) await side.server.close();
  }
  for (const side of sides) {
    console.log(`\n${side.root}: backend in use ${side.backend || 'unknown'}; cold = fresh profile, warm = reload`);
    printSamples(side.samples);
    if (side.startups.length) {
      console.log("model start-up stages (getState().model's timings):");
      for (const line of side.startups) console.log(`  ${line}`);
    } else console.log('model start-up stages: not reported by this version');
  }
  if (sides.length === 2) printComparison(sides[0].samples, sides[1].samples, sides[0].root, sides[1].root);
  console.log(`  after: ${load()}`);
}

/** Each figure's median on both sides and their ratio (second / first). */
function printComparison(a: Samples, b: Samples, nameA: string, nameB: string): void {
  console.log(`\nmedians: ${nameA} → ${nameB}`);
  console.log(`${'figure'.padEnd(46)}${'first'.padStart(9)}${'second'.padStart(9)}${'ratio'.padStart(9)}  unit`);
  const num = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));
  for (const [name, { unit, samples }] of b.values) {
    const other = a.values.get(name);
    if (!other) continue;
    const x = stats(other.samples).median;
    const y = stats(samples).median;
    console.log(
      `${name.padEnd(46)}${num(x).padStart(9)}${num(y).padStart(9)}${(x ? (y / x).toFixed(2) : '–').padStart(9)}  ${unit}`,
    );
  }
}
