/**
 * The reading workflow in the real OHIF 3.13 viewer (headless Chromium, WASM): the panel is bound
 * to the image on screen at every frame, the chest-film gate's refusals show in the panel,
 * heatmaps shown together keep distinct hues, outlines leave the film untouched between them,
 * and one map at the defaults tints a minority of the film. CXR_UPDATE_DOCS=1 writes the
 * screenshots into docs/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { prepareDemo, startDemoServer, PATHS, type DemoServer } from '../../demo/server';
import { GATE_FIXTURES, GATE_STUDY_UID, writeGateFixtures } from '../fixtures/gateFixtures';
import { launchChromium } from '../support/chromium';
import {
  inPageDisplaySetUids,
  inPageImageRect,
  inPageLayerPeaks,
  inPageLayerValuesAt,
  inPageShowDisplaySet,
  inPageStartFrameSampling,
  inPageStopFrameSampling,
} from './readingHelpers';
import { rgbDistance, sampleRgb } from './viewerHelpers';

const ROOT = path.resolve(__dirname, '../..');
const SHOTS = process.env.CXR_UPDATE_DOCS ? path.join(ROOT, 'docs') : path.join(ROOT, 'test-results', 'e2e');
const GATE_DIR = path.join(PATHS.study, 'gate-check');

jest.setTimeout(600_000);

let server: DemoServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const pageErrors: string[] = [];
let series: string[] = [];

async function screenshot(name?: string): Promise<PNG> {
  const buffer = await page.screenshot(name ? { path: path.join(SHOTS, `${name}.png`) } : {});
  return PNG.sync.read(buffer);
}

const status = () => page.getAttribute('[data-testid=cxrai-panel]', 'data-analysis-status');

async function waitForStatus(want: string, imageKey?: string): Promise<void> {
  const waited = page.waitForFunction(
    ({ want: s, key }) => {
      const panel = document.querySelector('[data-testid=cxrai-panel]');
      return (
        panel?.getAttribute('data-analysis-status') === s && (!key || panel.getAttribute('data-image-key') === key)
      );
    },
    { want, key: imageKey },
    { timeout: 120_000, polling: 100 },
  );
  await waited.catch(async (error: Error) => {
    const now = await page.evaluate(() => {
      const s = (window as any).services.chestXrayAiService.getState();
      return { analysis: s.analysis, active: s.active?.imageKey, model: s.model.status };
    });
    throw new Error(`${error.message}; waiting for ${want} on ${imageKey}, state ${JSON.stringify(now)}`);
  });
}

async function showSeries(index: number): Promise<string> {
  const sop = await page.evaluate(inPageShowDisplaySet, series[index]);
  await page.waitForFunction(
    (key) => document.querySelector('[data-testid=cxrai-panel]')?.getAttribute('data-image-key') === key,
    sop,
  );
  return sop;
}

const runCommand = (name: string, options: Record<string, unknown> = {}) =>
  page.evaluate(({ n, o }) => (window as any).commandsManager.runCommand(n, o), { n: name, o: options });

const state = () => page.evaluate(() => (window as any).services.chestXrayAiService.getState());

/** Hue angle in degrees of an RGB colour (grey mixed in does not change it). */
function hue([r, g, b]: [number, number, number]): number {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max === min) return NaN;
  const d = max - min;
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}

const hueGap = (a: number, b: number) => Math.min(Math.abs(a - b), 360 - Math.abs(a - b));

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  prepareDemo({ log: () => undefined });
  writeGateFixtures(GATE_DIR, '/demo-study/gate-check/');
  server = await startDemoServer({ port: 0, backend: 'wasm' });
  browser = await launchChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.setViewportSize({ width: 1400, height: 900 });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(server.studyUrl);
  await page.waitForSelector('[data-testid=cxrai-panel]', { timeout: 120_000 });
  await waitForStatus('done');
  series = await page.evaluate(inPageDisplaySetUids);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('reading workflow', () => {
  test('two heatmaps at once: two distinct hues, each captioned at its peak', async () => {
    const key = await showSeries(0);
    await waitForStatus('done', key);
    const before = await screenshot();
    const listed: string[] = (await state()).result.findings.map((f: { name: string }) => f.name);
    // Two findings with heat above the display threshold whose hottest points lie apart, so each
    // peak shows its own colour.
    const isEmpty = async (finding: string) => ((await state()).emptyMaps as string[]).includes(finding);
    let first = 0;
    for (; first < listed.length; first++) {
      await runCommand('chestXrayAiShowHeatmap', { finding: listed[first], visible: true });
      if (!(await isEmpty(listed[first]))) break;
      await runCommand('chestXrayAiShowHeatmap', { finding: listed[first], visible: false });
    }
    let pair: { finding: string; page: [number, number] }[] = [];
    for (const candidate of listed.slice(first + 1)) {
      await runCommand('chestXrayAiShowHeatmap', { finding: candidate, visible: true });
      const peaks = (await isEmpty(candidate)) ? [] : await page.evaluate(inPageLayerPeaks);
      if (
        peaks.length === 2 &&
        Math.hypot(peaks[0].page[0] - peaks[1].page[0], peaks[0].page[1] - peaks[1].page[1]) > 150
      ) {
        pair = peaks;
        break;
      }
      await runCommand('chestXrayAiShowHeatmap', { finding: candidate, visible: false });
    }
    expect(pair).toHaveLength(2);
    await page.waitForTimeout(800);
    const after = await screenshot('heatmaps-two-findings');
    const shownHues = pair.map((p) => hue(sampleRgb(after, p.page, 1)));
    // The palette's first two hues: red-orange (~9°) and cyan (~191°).
    expect(hueGap(shownHues[0], 9)).toBeLessThan(25);
    expect(hueGap(shownHues[1], 191)).toBeLessThan(25);
    expect(hueGap(shownHues[0], shownHues[1])).toBeGreaterThan(90);
    for (const p of pair)
      expect(rgbDistance(sampleRgb(before, p.page, 1), sampleRgb(after, p.page, 1))).toBeGreaterThan(30);
    // Each map has its caption on the image: name and score.
    const captions = await page.$$eval('[data-testid=cxrai-finding-label]', (els) => els.map((e) => e.textContent));
    expect(captions).toHaveLength(2);
    for (const caption of captions) expect(caption).toMatch(/^[A-Z][a-z ]+ \d+(\.\d)?%$/);
    await runCommand('chestXrayAiClear');
  });

  test('outline mode leaves the film untouched away from the isolines', async () => {
    const before = await screenshot();
    const { result } = await state();
    // The first finding whose map has heat above the display threshold: it has isolines to draw.
    for (const { name } of result.findings) {
      await runCommand('chestXrayAiShowHeatmap', { finding: name, visible: true });
      if (!((await state()).emptyMaps as string[]).includes(name)) break;
      await runCommand('chestXrayAiShowHeatmap', { finding: name, visible: false });
    }
    await runCommand('chestXrayAiSetHeatmapStyle', { style: 'outline' });
    await page.waitForTimeout(800);
    const after = await screenshot('heatmap-outline-mode');
    const { heatmaps } = await state();
    const fullScale: number = result.heatmapFullScale;
    const cut = heatmaps.threshold * fullScale;
    const levels = [0, 1 / 3, 2 / 3].map((f) => cut + f * (fullScale - cut));
    const rect = await page.evaluate(inPageImageRect);
    // Our labels on the image (the caption, the DEMO note) are meant to cover the film: not film.
    const labels = await page.$$eval('[data-testid=cxrai-finding-label],[data-testid=cxrai-heatmap-label]', (els) =>
      els.map((e) => e.getBoundingClientRect()).map((r) => [r.left - 2, r.top - 2, r.right + 2, r.bottom + 2]),
    );
    const underLabel = ([x, y]: [number, number]) =>
      labels.some(([l, t, r, b]) => x >= l && x <= r && y >= t && y <= b);
    const points: [number, number][] = [];
    for (let y = rect.top + 5; y < rect.bottom - 5; y += 9)
      for (let x = rect.left + 5; x < rect.right - 5; x += 9) points.push([x, y]);
    const values = await page.evaluate(inPageLayerValuesAt, points);
    let far = 0;
    let farChanged = 0;
    let near = 0;
    let nearChanged = 0;
    points.forEach((p, i) => {
      if (values[i] < 0 || underLabel(p)) return;
      const distance = Math.min(...levels.map((l) => Math.abs(values[i] - l)));
      const changed = rgbDistance(sampleRgb(before, p, 0), sampleRgb(after, p, 0)) > 6;
      if (distance > 0.1 * fullScale) {
        far++;
        if (changed) farChanged++;
      } else if (distance < 0.01 * fullScale) {
        near++;
        if (changed) nearChanged++;
      }
    });
    expect(far).toBeGreaterThan(1000);
    expect(farChanged).toBe(0);
    // The lines themselves are drawn.
    expect(near).toBeGreaterThan(0);
    expect(nearChanged).toBeGreaterThan(0);
    await runCommand('chestXrayAiSetHeatmapStyle', { style: 'fill' });
    await runCommand('chestXrayAiClear');
  });

  test('at the defaults one map, of the top finding, leaves most of the film untinted', async () => {
    const rect = await page.evaluate(inPageImageRect);
    const fractions: number[] = [];
    for (const index of [0, 1, 2]) {
      const key = await showSeries(index);
      await waitForStatus('done', key);
      await page.waitForTimeout(500);
      const before = await screenshot();
      const { result } = await state();
      const top = [...result.findings].sort((a: any, b: any) => b.probability - a.probability)[0].name;
      await runCommand('chestXrayAiShowHeatmap', { finding: top, visible: true });
      await page.waitForTimeout(800);
      const after = await screenshot();
      let tinted = 0;
      let all = 0;
      for (let y = Math.ceil(rect.top); y < rect.bottom; y += 2) {
        for (let x = Math.ceil(rect.left); x < rect.right; x += 2) {
          all++;
          if (rgbDistance(sampleRgb(before, [x, y], 0), sampleRgb(after, [x, y], 0)) > 12) tinted++;
        }
      }
      fractions.push(tinted / all);
      await runCommand('chestXrayAiClear');
    }
    console.log(
      `tinted fraction of the film, top finding at the defaults: ${fractions.map((f) => f.toFixed(3)).join(', ')}`,
    );
    for (const fraction of fractions) expect(fraction).toBeLessThan(0.5);
  });

  test('the gate in the panel: the lateral-labelled film and the 10-year-old are refused with their sentence', async () => {
    const lateral = await showSeries(7);
    await waitForStatus('refused', lateral);
    await expect(page.textContent('[data-testid=cxrai-refused]')).resolves.toBe(
      'Not analysed. This is a lateral view; the model reads frontal (PA or AP) chest films.',
    );
    await expect(page.locator('[data-testid=cxrai-findings]').count()).resolves.toBe(0);
    await screenshot('gate-refused-lateral');
    const child = await showSeries(3);
    await waitForStatus('refused', child);
    await expect(page.textContent('[data-testid=cxrai-refused]')).resolves.toMatch(
      /The patient is 10 years old; the model is meant for patients 18 and over\./,
    );
  });

  test('mid-switch the panel says it is analysing this image, under this image’s name', async () => {
    await showSeries(0);
    await waitForStatus('done');
    await page.evaluate(() => {
      const w = window as any;
      const model = w.services.chestXrayAiService.loader.model;
      const analyze = model.analyze;
      w.__cxrHold = new Promise((resolve) => (w.__cxrRelease = resolve));
      model.analyze = async (...args: unknown[]) => {
        await w.__cxrHold;
        return analyze.apply(model, args);
      };
      w.__cxrRestore = () => (model.analyze = analyze);
    });
    const key = await showSeries(4);
    await waitForStatus('running', key);
    await expect(page.textContent('[data-testid=cxrai-running]')).resolves.toMatch(/Analysing this image/);
    await expect(page.getAttribute('[data-testid=cxrai-active-image]', 'data-image-key')).resolves.toBe(key);
    await expect(page.locator('[data-testid=cxrai-findings]').count()).resolves.toBe(0);
    await screenshot('panel-mid-switch');
    await page.evaluate(() => {
      const w = window as any;
      w.__cxrRelease();
      w.__cxrRestore();
    });
    await waitForStatus('done', key);
  });

  test('300 rapid switches: no frame shows another image’s result, name or heatmap', async () => {
    let seed = 20261201;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    await page.evaluate(inPageStartFrameSampling);
    let current = 0;
    for (let i = 0; i < 300; i++) {
      let next = Math.floor(random() * series.length);
      if (next === current) next = (next + 1) % series.length;
      current = next;
      await page.evaluate(inPageShowDisplaySet, series[next]);
      // Now and then the reader turns a heatmap on before moving on.
      if (random() < 0.3) await runCommand('chestXrayAiNextHeatmap');
      await page.waitForTimeout(Math.floor(random() * 300));
    }
    // Let the last one settle, then look once more.
    await page.waitForFunction(
      () =>
        !['running', 'idle', 'waiting-for-image'].includes(
          document.querySelector('[data-testid=cxrai-panel]')?.getAttribute('data-analysis-status') ?? '',
        ),
      undefined,
      { timeout: 120_000 },
    );
    const sampled = await page.evaluate(inPageStopFrameSampling);
    console.log(`300 switches: ${sampled.frames} frames sampled, ${sampled.withResult} with a result shown`);
    expect(sampled.violations.slice(0, 10)).toEqual([]);
    expect(sampled.frames).toBeGreaterThan(300);
    expect(sampled.withResult).toBeGreaterThan(0);
  });

  test('the gate in the panel: a colour image, a CT-like slice and an 8x8 image are refused', async () => {
    const url = `${server.url}/chest-xray-ai/dicomjson?url=${encodeURIComponent('/demo-study/gate-check/study.json')}&StudyInstanceUIDs=${GATE_STUDY_UID}`;
    await page.goto(url);
    await page.waitForSelector('[data-testid=cxrai-panel]', { timeout: 120_000 });
    series = await page.evaluate(inPageDisplaySetUids);
    expect(series).toHaveLength(GATE_FIXTURES.length);
    for (const [i, fixture] of GATE_FIXTURES.entries()) {
      const key = await showSeries(i);
      await waitForStatus('refused', key);
      await expect(page.textContent('[data-testid=cxrai-refused]')).resolves.toMatch(fixture.expect);
    }
    expect(await status()).toBe('refused');
  });

  test('no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
