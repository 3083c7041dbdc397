/**
 * End to end in headless Chromium: the prebuilt OHIF 3.13 viewer from npm with our run-time
 * extension and mode, the demo model and the demo study, served by demo/server.ts. One browser
 * session, WASM forced (the machine has no GPU; SwiftShader WebGPU would only be slow).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { prepareDemo, startDemoServer, PATHS, type DemoServer } from '../../demo/server';
import { launchChromium } from '../support/chromium';
import {
  inPageHeatProbe,
  inPageTransform,
  inPageViewportState,
  rgbDistance,
  sampleRgb,
  type HeatProbe,
} from './viewerHelpers';

const ROOT = path.resolve(__dirname, '../..');
const FIRST_FILE = path.join(PATHS.study, 'nih-00001369_000.dcm');
const FINDING = 'Cardiomegaly';
const ACTOR = `chest-xray-ai-heatmap:${FINDING}`;
const ARTIFACTS = path.join(ROOT, 'test-results', 'e2e');

interface CliPrediction {
  image: string;
  findings: { name: string; probability: number; threshold: number; positive: boolean }[];
  backend: string;
  model: { name: string; version: string; sha256: string; demo: boolean };
}

jest.setTimeout(600_000);

let server: DemoServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const pageErrors: string[] = [];
const foreignRequests: string[] = [];

async function screenshot(name: string): Promise<PNG> {
  const buffer = await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  return PNG.sync.read(buffer);
}

async function waitForResult(imageKey?: string): Promise<void> {
  await page.waitForFunction(
    (key) => {
      const panel = document.querySelector('[data-testid=cxrai-panel]');
      const list = document.querySelector('[data-testid=cxrai-findings]');
      return panel?.getAttribute('data-analysis-status') === 'done' && !!list && (!key || list.getAttribute('data-image-key') === key);
    },
    imageKey,
    { timeout: 240_000, polling: 250 },
  );
}

async function panelFindings(): Promise<Record<string, number>> {
  return page.$$eval('[data-testid=cxrai-finding-row]', (rows) =>
    Object.fromEntries(rows.map((r) => [r.getAttribute('data-finding') ?? '', Number(r.getAttribute('data-probability'))])),
  );
}

async function heatProbe(fullScale: number, keep?: HeatProbe): Promise<HeatProbe> {
  return page.evaluate(inPageHeatProbe, {
    actorUID: ACTOR,
    fullScale,
    keep: keep ? { hot: keep.hot.image, cold: keep.cold.image } : undefined,
  });
}

async function setHeatmap(on: boolean): Promise<void> {
  const toggle = page.locator(`[data-testid=cxrai-heatmap-toggle][data-finding="${FINDING}"]`);
  if ((await toggle.isChecked()) !== on) await toggle.click();
  await page.waitForFunction(
    ({ actor, on: want }) => {
      const w = window as unknown as { services: any };
      const id = w.services.viewportGridService.getActiveViewportId();
      const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(id);
      return vp.getActors().some((a: { uid: string }) => a.uid === actor) === want;
    },
    { actor: ACTOR, on },
  );
  await page.waitForTimeout(800); // let the next animation frames render
}

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  prepareDemo({ log: () => undefined });
  server = await startDemoServer({ port: 0, backend: 'wasm' });
  browser = await launchChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.setViewportSize({ width: 1400, height: 900 });
  const origin = new URL(server.url).origin;
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('request', (request) => {
    const url = request.url();
    if (/^(data|blob):/.test(url)) return;
    if (new URL(url).origin !== origin) foreignRequests.push(url);
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Chest X-ray AI in the OHIF viewer', () => {
  let fullScale = 0;
  let firstKey = '';
  let probe: HeatProbe;

  test('opens the demo study in the mode and shows the same probabilities as the CLI', async () => {
    await page.goto(server.studyUrl);
    await page.waitForSelector('[data-testid=cxrai-panel]', { timeout: 120_000 });
    await waitForResult();
    // The server's COOP/COEP headers make the page cross-origin isolated: WASM may use threads.
    await expect(page.evaluate(() => crossOriginIsolated)).resolves.toBe(true);
    const cli = JSON.parse(
      execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['extension/src/cli/main.ts', 'predict', FIRST_FILE, '--json'], {
        cwd: ROOT,
        encoding: 'utf8',
      }),
    ) as CliPrediction;
    const state = await page.evaluate(inPageViewportState);
    firstKey = String(await page.getAttribute('[data-testid=cxrai-findings]', 'data-image-key'));
    expect(firstKey).toBe(cli.image);
    expect(state.sop).toBe(cli.image);

    const shown = await panelFindings();
    expect(Object.keys(shown)).toHaveLength(14);
    for (const finding of cli.findings) {
      expect(Math.abs(shown[finding.name] - finding.probability)).toBeLessThanOrEqual(1e-4);
    }
    // Backend, model version and hash go with the result; demo weights are labelled.
    await expect(page.textContent('[data-testid=cxrai-backend]')).resolves.toBe('WASM');
    const status = await page.textContent('[data-testid=cxrai-status]');
    expect(status).toContain(cli.model.version);
    expect(status).toContain(cli.model.sha256.slice(0, 8));
    await expect(page.getAttribute('[data-testid=cxrai-banner]', 'data-demo')).resolves.toBe('true');
    fullScale = await page.evaluate(() => (window as any).services.chestXrayAiService.getState().result.heatmapFullScale as number);
    expect(fullScale).toBeGreaterThan(0);
  });

  test("a finding's heatmap changes the rendering where it is hot and not where it is cold", async () => {
    const before = await screenshot('1-no-heatmap');
    await setHeatmap(true);
    const after = await screenshot('2-heatmap');
    probe = await heatProbe(fullScale);
    expect(probe.max).toBeGreaterThan(0.3 * fullScale);
    expect(probe.cold.value).toBeLessThan(0.05 * fullScale);
    const hotChange = rgbDistance(sampleRgb(before, probe.hot.page), sampleRgb(after, probe.hot.page));
    const coldChange = rgbDistance(sampleRgb(before, probe.cold.page), sampleRgb(after, probe.cold.page));
    expect(hotChange).toBeGreaterThan(60);
    expect(coldChange).toBeLessThan(6);
    // The README's screenshot (CXR_UPDATE_DOCS=1): the panel, from its top, beside a heatmap.
    if (process.env.CXR_UPDATE_DOCS) {
      const top = String(await page.getAttribute('[data-testid=cxrai-finding-row]', 'data-finding'));
      const toggle = (name: string) => page.click(`[data-testid=cxrai-heatmap-toggle][data-finding="${name}"]`);
      await toggle(FINDING);
      await toggle(top);
      await page.$eval('[data-testid=cxrai-panel]', (panel) => panel.scrollTo(0, 0));
      await page.waitForTimeout(1000);
      await page.screenshot({ path: path.join(ROOT, 'docs', 'panel-heatmap.png') });
      await toggle(top);
      await toggle(FINDING);
      await page.waitForTimeout(1000);
    }
  });

  test('the heatmap follows zoom, flip and rotation', async () => {
    await page.evaluate(inPageTransform);
    await page.waitForTimeout(800);
    const moved = await heatProbe(fullScale, probe);
    const distance = Math.hypot(moved.hot.page[0] - probe.hot.page[0], moved.hot.page[1] - probe.hot.page[1]);
    expect(distance).toBeGreaterThan(30);
    const withHeat = await screenshot('3-transformed-heatmap');
    await setHeatmap(false);
    const withoutHeat = await screenshot('4-transformed-no-heatmap');
    expect(rgbDistance(sampleRgb(withHeat, moved.hot.page), sampleRgb(withoutHeat, moved.hot.page))).toBeGreaterThan(60);
    expect(rgbDistance(sampleRgb(withHeat, moved.cold.page), sampleRgb(withoutHeat, moved.cold.page))).toBeLessThan(6);
    await setHeatmap(true);
  });

  test('switching to another image removes the old overlay and never shows it there', async () => {
    const oldDerived = probe.derivedImageId;
    // Watch the viewport from inside the page: at no rendered frame may an old layer be present.
    await page.evaluate(
      ({ actor, oldKey }) => {
        const w = window as any;
        const id = w.services.viewportGridService.getActiveViewportId();
        const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(id);
        const cs = w.extensionManager.getModuleEntry('@ohif/extension-cornerstone.utilityModule.common').exports.getCornerstoneLibraries().cornerstone;
        w.__cxrStale = [];
        vp.element.addEventListener(cs.Enums.Events.IMAGE_RENDERED, () => {
          const sop = cs.metaData.get('sopCommonModule', vp.getCurrentImageId())?.sopInstanceUID;
          const layer = vp.getActors().find((a: any) => a.uid === actor);
          if (layer && sop !== oldKey && String(layer.referencedId).includes(oldKey)) w.__cxrStale.push(sop);
        });
      },
      { actor: ACTOR, oldKey: firstKey },
    );
    await page.locator('[data-cy=study-browser-thumbnail][data-series="2"]').dblclick();
    await page.waitForFunction((oldKey) => {
      const list = document.querySelector('[data-testid=cxrai-active-image]');
      return !!list && list.getAttribute('data-image-key') !== oldKey;
    }, firstKey);
    const during = await page.evaluate(inPageViewportState);
    expect(during.sop).not.toBe(firstKey);
    expect(during.actors.some((a) => a.referencedId === oldDerived)).toBe(false);

    await waitForResult(during.sop);
    await page.waitForTimeout(800);
    const after = await page.evaluate(inPageViewportState);
    const layers = after.actors.filter((a) => a.uid.startsWith('chest-xray-ai-heatmap:'));
    // The finding stays switched on, so the new image gets its own map, computed on it.
    for (const layer of layers) expect(layer.referencedId).toContain(String(after.sop));
    expect(after.actors.some((a) => a.referencedId === oldDerived)).toBe(false);
    const cached = await page.evaluate((id) => {
      const w = window as any;
      const cs = w.extensionManager.getModuleEntry('@ohif/extension-cornerstone.utilityModule.common').exports.getCornerstoneLibraries().cornerstone;
      return !!cs.cache.getImage(id);
    }, oldDerived);
    expect(cached).toBe(false);
    await expect(page.evaluate(() => (window as any).__cxrStale as string[])).resolves.toEqual([]);
    await screenshot('5-second-image');

    // Back to the first image: its result is kept for the session and shown at once.
    await page.locator('[data-cy=study-browser-thumbnail][data-series="1"]').dblclick();
    await waitForResult(firstKey);
  });

  test('the real MONOCHROME1 JPEG 2000 CR gives the same probabilities as the CLI', async () => {
    await page.locator('[data-cy=study-browser-thumbnail][data-series="7"]').dblclick();
    const cli = JSON.parse(
      execFileSync(
        path.join(ROOT, 'node_modules', '.bin', 'tsx'),
        ['extension/src/cli/main.ts', 'predict', path.join(PATHS.study, 'cr-rg1-mono1-j2k.dcm'), '--json'],
        { cwd: ROOT, encoding: 'utf8' },
      ),
    ) as CliPrediction;
    await waitForResult(cli.image);
    const shown = await panelFindings();
    for (const finding of cli.findings) {
      expect(Math.abs(shown[finding.name] - finding.probability)).toBeLessThanOrEqual(1e-4);
    }
    await screenshot('6-mono1-cr');
  });

  test('a broken model gives a clear message in the panel and the viewer keeps working', async () => {
    // Same model file, but a manifest naming another hash: the engine must refuse it.
    await page.route('**/models/demo/manifest.json', async (route) => {
      const response = await route.fetch();
      const manifest = await response.json();
      await route.fulfill({ response, json: { ...manifest, sha256: '0'.repeat(64) } });
    });
    try {
      await page.goto(server.studyUrl);
      const error = page.locator('[data-testid=cxrai-error]').first();
      await error.waitFor({ timeout: 120_000 });
      await expect(error.textContent()).resolves.toMatch(/model could not be loaded.*viewer works as usual/i);
      await expect(page.locator('[data-testid=cxrai-findings]').count()).resolves.toBe(0);
      // The image is displayed all the same.
      await page.waitForFunction(() => {
        const w = window as any;
        const vp = w.services?.cornerstoneViewportService?.getCornerstoneViewport(w.services.viewportGridService.getActiveViewportId());
        return !!vp?.getCornerstoneImage?.();
      });
      await screenshot('7-broken-model');
    } finally {
      await page.unroute('**/models/demo/manifest.json');
    }
  });

  test('no page errors, and no request left the demo server', () => {
    expect(pageErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });
});
