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
import { displayHeatmapForFinding, heatmapValueAt, type AnalysisResult } from '../../extension/src/engine';
import { launchChromium } from '../support/chromium';
import {
  inPageHeatProbe,
  inPageIsCached,
  inPageLayerSamples,
  inPageResultForMaps,
  inPageStopWatchingStaleLayers,
  inPageTransform,
  inPageWatchStaleLayers,
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
/** Same-origin requests to the host viewer's own onnxruntime-web (another version): must be none. */
const hostOrtRequests: string[] = [];
const ourOrtRequests: string[] = [];
/** Requests per same-origin path, for counting model downloads. */
const requestsByPath = new Map<string, number>();

async function screenshot(name: string): Promise<PNG> {
  const buffer = await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  return PNG.sync.read(buffer);
}

async function waitForResult(imageKey?: string): Promise<void> {
  await page.waitForFunction(
    (key) => {
      const panel = document.querySelector('[data-testid=cxrai-panel]');
      const list = document.querySelector('[data-testid=cxrai-findings]');
      return (
        panel?.getAttribute('data-analysis-status') === 'done' &&
        !!list &&
        (!key || list.getAttribute('data-image-key') === key)
      );
    },
    imageKey,
    { timeout: 240_000, polling: 250 },
  );
}

async function panelFindings(): Promise<Record<string, number>> {
  return page.$$eval('[data-testid=cxrai-finding-row]', (rows) =>
    Object.fromEntries(
      rows.map((r) => [r.getAttribute('data-finding') ?? '', Number(r.getAttribute('data-probability'))]),
    ),
  );
}

async function heatProbe(fullScale: number, keep?: HeatProbe): Promise<HeatProbe> {
  return page.evaluate(inPageHeatProbe, {
    actorUID: ACTOR,
    fullScale,
    keep: keep ? { hot: keep.hot.image, cold: keep.cold.image } : undefined,
  });
}

/**
 * The drawn layer equals the engine's display map of the shown result: its grid value for value,
 * and at canvas points spread over the viewport, the layer's value under each point (through the
 * camera and the layer's own placement) equals the engine's map at the image pixel under it
 * (through the base image's placement). Returns how many points lay on the map.
 */
async function expectLayerEqualsEngineMap(fullScale: number): Promise<number> {
  const shown = await page.evaluate(inPageResultForMaps);
  const result = {
    ...shown,
    findings: shown.findings.map((name) => ({ name })),
    cams: { data: Float32Array.from(shown.cams.data), shape: shown.cams.shape },
  } as unknown as AnalysisResult;
  const expected = displayHeatmapForFinding(result, shown.findings.indexOf(FINDING));
  const steps = 21;
  const fractions: [number, number][] = [];
  for (let i = 0; i < steps; i++) {
    for (let j = 0; j < steps; j++) fractions.push([(i + 0.5) / steps, (j + 0.5) / steps]);
  }
  const { samples, layer } = await page.evaluate(inPageLayerSamples, { actorUID: ACTOR, fractions });
  expect([layer.columns, layer.rows]).toEqual([expected.columns, expected.rows]);
  const gridError = layer.data.reduce((worst, v, i) => Math.max(worst, Math.abs(v - expected.data[i])), 0);
  expect(gridError).toBeLessThanOrEqual(1e-4 * fullScale);
  const region = expected.imageRegion!;
  const nearEdge = ([x, y]: [number, number]) =>
    Math.min(
      Math.abs(x - region.x),
      Math.abs(x - region.x - region.width),
      Math.abs(y - region.y),
      Math.abs(y - region.y - region.height),
    ) < 0.5;
  let onMap = 0;
  let hot = 0;
  for (const { image, value } of samples) {
    if (nearEdge(image)) continue;
    const want = heatmapValueAt(expected, image[0], image[1]);
    expect(value === null).toBe(want === undefined);
    if (value === null || want === undefined) continue;
    expect(Math.abs(value - want)).toBeLessThanOrEqual(1e-4 * fullScale);
    onMap++;
    if (want > 0.2 * fullScale) hot++;
  }
  expect(hot).toBeGreaterThan(0);
  return onMap;
}

/** The "AI heatmap" label inside the active viewport's element, if any. */
async function viewportLabel(): Promise<string | null> {
  return page.evaluate(() => {
    const w = window as any;
    const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(
      w.services.viewportGridService.getActiveViewportId(),
    );
    return vp.element.querySelector('[data-testid=cxrai-heatmap-label]')?.textContent ?? null;
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
    const { origin: from, pathname } = new URL(url);
    if (from !== origin) {
      foreignRequests.push(url);
      return;
    }
    requestsByPath.set(pathname, (requestsByPath.get(pathname) ?? 0) + 1);
    if (pathname.startsWith('/ort/')) hostOrtRequests.push(url);
    if (pathname.startsWith('/plugins/ort/')) ourOrtRequests.push(url);
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
      execFileSync(
        path.join(ROOT, 'node_modules', '.bin', 'tsx'),
        ['extension/src/cli/main.ts', 'predict', FIRST_FILE, '--json'],
        {
          cwd: ROOT,
          encoding: 'utf8',
        },
      ),
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
    // The operating threshold is the finding's cut-off, beside its probability; the heatmap toggle
    // says nothing of thresholds.
    const row = page.locator(`[data-testid=cxrai-finding-row][data-finding="${FINDING}"]`);
    await expect(row.locator('[data-testid=cxrai-cutoff]').textContent()).resolves.toMatch(
      /^\s*cut-off \d+(\.\d)?%\s*$/,
    );
    await expect(row.locator('label').textContent()).resolves.not.toMatch(/threshold/i);
    // The legend gives numbers in the documented unit, from the display threshold to full scale.
    await expect(page.textContent('[data-testid=cxrai-legend]')).resolves.toMatch(
      /^\d+(\.\d)?\d+(\.\d)?≥ \d+(\.\d)? logits/,
    );
    fullScale = await page.evaluate(
      () => (window as any).services.chestXrayAiService.getState().result.heatmapFullScale as number,
    );
    expect(fullScale).toBeGreaterThan(0);
  });

  test("a finding's heatmap changes the rendering where it is hot and not where it is cold", async () => {
    const before = await screenshot('1-no-heatmap');
    await setHeatmap(true);
    const after = await screenshot('2-heatmap');
    // The heatmap itself says it is demo AI output, inside the viewport.
    await expect(viewportLabel()).resolves.toBe('DEMO MODEL — AI heatmap, not a diagnosis');
    probe = await heatProbe(fullScale);
    // The layer is the small display map (a few hundred samples a side), not a film-sized image.
    expect(probe.layerBytes).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(probe.max).toBeGreaterThan(0.3 * fullScale);
    expect(probe.cold.value).toBeLessThan(0.05 * fullScale);
    const hotChange = rgbDistance(sampleRgb(before, probe.hot.page), sampleRgb(after, probe.hot.page));
    const coldChange = rgbDistance(sampleRgb(before, probe.cold.page), sampleRgb(after, probe.cold.page));
    expect(hotChange).toBeGreaterThan(60);
    expect(coldChange).toBeLessThan(6);
    await expect(expectLayerEqualsEngineMap(fullScale)).resolves.toBeGreaterThan(50);
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

  test('the heatmap follows zoom, pan, flip and rotation', async () => {
    await page.evaluate(inPageTransform);
    await page.waitForTimeout(800);
    const moved = await heatProbe(fullScale, probe);
    const distance = Math.hypot(moved.hot.page[0] - probe.hot.page[0], moved.hot.page[1] - probe.hot.page[1]);
    expect(distance).toBeGreaterThan(30);
    // Under every sampled point of the transformed view, the layer still shows the engine's map
    // value of the image pixel beneath it.
    await expect(expectLayerEqualsEngineMap(fullScale)).resolves.toBeGreaterThan(50);
    const withHeat = await screenshot('3-transformed-heatmap');
    await setHeatmap(false);
    const withoutHeat = await screenshot('4-transformed-no-heatmap');
    expect(rgbDistance(sampleRgb(withHeat, moved.hot.page), sampleRgb(withoutHeat, moved.hot.page))).toBeGreaterThan(
      60,
    );
    expect(rgbDistance(sampleRgb(withHeat, moved.cold.page), sampleRgb(withoutHeat, moved.cold.page))).toBeLessThan(6);
    await setHeatmap(true);
  });

  test('"Hide all heatmaps" and "Analyse again" take the heatmap and its label off the image', async () => {
    await page.click('[data-testid=cxrai-hide-all]');
    await page.waitForFunction(() => !document.querySelector('[data-testid=cxrai-drawn]'));
    await expect(viewportLabel()).resolves.toBeNull();
    // The layer's derived image leaves Cornerstone's cache with it.
    await expect(page.evaluate(inPageIsCached, probe.derivedImageId)).resolves.toBe(false);
    await expect(
      page.locator(`[data-testid=cxrai-heatmap-toggle][data-finding="${FINDING}"]`).isChecked(),
    ).resolves.toBe(false);

    await setHeatmap(true);
    await expect(page.textContent('[data-testid=cxrai-drawn]')).resolves.toContain(FINDING);
    // Analyse again: from the click on, the old result's heatmap and label are gone (synchronously).
    const atClick = await page.evaluate((actor) => {
      const w = window as any;
      (document.querySelector('[data-testid=cxrai-run]') as HTMLButtonElement).click();
      const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(
        w.services.viewportGridService.getActiveViewportId(),
      );
      return {
        layer: vp.getActors().some((a: { uid: string }) => a.uid === actor),
        label: !!vp.element.querySelector('[data-testid=cxrai-heatmap-label]'),
        status: w.services.chestXrayAiService.getState().analysis.status as string,
      };
    }, ACTOR);
    expect(atClick).toEqual({ layer: false, label: false, status: 'running' });
    await waitForResult(firstKey);
    // The finding stays on: the new result draws its own map.
    await setHeatmap(true);
    await expect(viewportLabel()).resolves.toContain('DEMO MODEL');

    // A layer the scene lost (as when Cornerstone or OHIF rebuild it) comes back with the next
    // image event for the same image, rather than staying listed as drawn while gone.
    await page.evaluate(async (actor) => {
      const w = window as any;
      const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(
        w.services.viewportGridService.getActiveViewportId(),
      );
      vp.removeActors([actor]);
      await vp.setStack([vp.getCurrentImageId()], 0);
    }, ACTOR);
    await setHeatmap(true);
    await expect(page.textContent('[data-testid=cxrai-drawn]')).resolves.toContain(FINDING);
  });

  test('switching to another image removes the old overlay and never shows it there', async () => {
    const oldDerived = probe.derivedImageId;
    // At no rendered frame may the old image's layer be present on the new image.
    await page.evaluate(inPageWatchStaleLayers, { actorUID: ACTOR, oldKey: firstKey });
    // Count analyses and status changes: one image change, one analysis.
    await page.evaluate(() => {
      const w = window as any;
      const service = w.services.chestXrayAiService;
      // The loaded engine model, held by the service's model loader.
      const model = service.loader.model;
      const analyze = model.analyze;
      w.__cxrAnalysed = [];
      model.analyze = (pixels: { imageKey?: string }) => {
        w.__cxrAnalysed.push(pixels.imageKey);
        return analyze.call(model, pixels);
      };
      w.__cxrStatuses = [];
      w.__cxrStatusWatch = service.subscribe(service.EVENTS.STATE_CHANGED, (state: any) => {
        if (w.__cxrStatuses[w.__cxrStatuses.length - 1] !== state.analysis.status)
          w.__cxrStatuses.push(state.analysis.status);
      });
    });
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
    // Heatmap choices belong to the image they were made on: the new image starts with none.
    expect(after.actors.filter((a) => a.uid.startsWith('chest-xray-ai-heatmap:'))).toEqual([]);
    expect(after.actors.some((a) => a.referencedId === oldDerived)).toBe(false);
    await expect(page.evaluate(inPageIsCached, oldDerived)).resolves.toBe(false);
    const watched = await page.evaluate(inPageStopWatchingStaleLayers);
    expect(watched.stale).toEqual([]);
    expect(watched.newFrames).toBeGreaterThan(0); // the watch did see the new image rendered
    // One image change, one analysis, and the status went to "running" once.
    await expect(page.evaluate(() => (window as any).__cxrAnalysed)).resolves.toEqual([during.sop]);
    const statuses = await page.evaluate(() => (window as any).__cxrStatuses as string[]);
    expect(statuses.filter((s) => s === 'running')).toHaveLength(1);
    expect(statuses[statuses.length - 1]).toBe('done');
    await expect(viewportLabel()).resolves.toBeNull();
    // Turned on here, the map is computed on this image.
    await setHeatmap(true);
    const drawnHere = await page.evaluate(inPageViewportState);
    const layers = drawnHere.actors.filter((a) => a.uid.startsWith('chest-xray-ai-heatmap:'));
    expect(layers).toHaveLength(1);
    for (const layer of layers) expect(layer.referencedId).toContain(String(drawnHere.sop));
    await expect(viewportLabel()).resolves.toContain('DEMO MODEL');
    await screenshot('5-second-image');

    // Back to the first image: its result is kept for the session and shown at once.
    await page.locator('[data-cy=study-browser-thumbnail][data-series="1"]').dblclick();
    await waitForResult(firstKey);
    await page.waitForTimeout(500);
    await expect(page.evaluate(() => (window as any).__cxrAnalysed)).resolves.toEqual([during.sop]);
    await page.evaluate(() => (window as any).__cxrStatusWatch.unsubscribe());
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

  test("an image still loading is never analysed with the previous image's pixels", async () => {
    // One stack viewport with two images; B's load is held in Cornerstone's request pool, so the
    // viewport's current imageId is B while its displayed image object is still A.
    const fileA = 'nih-00002578_000.dcm';
    const fileB = 'nih-00001968_000.dcm';
    const cliFor = (file: string) =>
      JSON.parse(
        execFileSync(
          path.join(ROOT, 'node_modules', '.bin', 'tsx'),
          ['extension/src/cli/main.ts', 'predict', path.join(PATHS.study, file), '--json'],
          {
            cwd: ROOT,
            encoding: 'utf8',
          },
        ),
      ) as CliPrediction;
    const [cliA, cliB] = [cliFor(fileA), cliFor(fileB)];
    const imageA = `dicomweb:/demo-study/${fileA}`;
    const imageB = `dicomweb:/demo-study/${fileB}`;
    try {
      await page.evaluate(
        async ({ a, b }) => {
          const w = window as any;
          const cs = w.extensionManager
            .getModuleEntry('@ohif/extension-cornerstone.utilityModule.common')
            .exports.getCornerstoneLibraries().cornerstone;
          const pool = cs.imageLoadPoolManager;
          const addRequest = pool.addRequest;
          w.__cxrHeld = [];
          w.__cxrRelease = () => {
            pool.addRequest = addRequest;
            for (const send of w.__cxrHeld.splice(0)) send();
          };
          pool.addRequest = function (
            fn: unknown,
            type: unknown,
            details: { imageId?: string } | undefined,
            priority: unknown,
          ) {
            if (details?.imageId === b) w.__cxrHeld.push(() => addRequest.call(pool, fn, type, details, priority));
            else addRequest.call(pool, fn, type, details, priority);
          };
          const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(
            w.services.viewportGridService.getActiveViewportId(),
          );
          await vp.setStack([a, b], 0);
        },
        { a: imageA, b: imageB },
      );
      await waitForResult(cliA.image);
      // A's heatmap is on (the finding stayed on): it must be off the image from the moment B is current.
      await setHeatmap(true);
      await expect(viewportLabel()).resolves.toContain('DEMO MODEL');
      await page.evaluate(inPageWatchStaleLayers, { actorUID: ACTOR, oldKey: cliA.image });
      const held = await page.evaluate(() => {
        const w = window as any;
        const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(
          w.services.viewportGridService.getActiveViewportId(),
        );
        void vp.setImageIdIndex(1);
        return {
          current: vp.getCurrentImageId() as string,
          shown: vp.getCornerstoneImage()?.imageId as string,
          held: w.__cxrHeld.length as number,
        };
      });
      // The race the adapter must see through: B is current, A is still the image on screen.
      expect(held).toEqual({ current: imageB, shown: imageA, held: 1 });
      await page.waitForFunction(
        (key) => document.querySelector('[data-testid=cxrai-active-image]')?.getAttribute('data-image-key') === key,
        cliB.image,
      );
      await page.waitForTimeout(3000); // far longer than one analysis takes here
      await expect(page.getAttribute('[data-testid=cxrai-panel]', 'data-analysis-status')).resolves.toBe('running');
      await expect(page.locator('[data-testid=cxrai-findings]').count()).resolves.toBe(0);
      await expect(viewportLabel()).resolves.toBeNull();
      // Nothing has run on B yet, and the status line does not pretend otherwise.
      await expect(page.textContent('[data-testid=cxrai-status]')).resolves.not.toMatch(/ran on/);
      await page.evaluate(() => (window as any).__cxrRelease());
      await waitForResult(cliB.image);
      const watched = await page.evaluate(inPageStopWatchingStaleLayers);
      expect(watched.stale).toEqual([]);
      expect(watched.newFrames).toBeGreaterThan(0);
      const shown = await panelFindings();
      for (const finding of cliB.findings) {
        expect(Math.abs(shown[finding.name] - finding.probability)).toBeLessThanOrEqual(1e-4);
      }
      const differsFromA = cliA.findings.some((f) => Math.abs(shown[f.name] - f.probability) > 1e-3);
      expect(differsFromA).toBe(true);
    } finally {
      await page.evaluate(() => (window as any).__cxrRelease?.());
    }
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
      // Moving to another image does not download the broken model again (auto-run remembers the
      // error); an explicit "Analyse" from the user does retry.
      const downloads = () => ({
        manifest: requestsByPath.get('/models/demo/manifest.json') ?? 0,
        model: requestsByPath.get('/models/demo/model.onnx') ?? 0,
      });
      const afterError = downloads();
      expect(afterError.manifest).toBeGreaterThan(0);
      const firstActive = await page.getAttribute('[data-testid=cxrai-active-image]', 'data-image-key');
      await page.locator('[data-cy=study-browser-thumbnail][data-series="2"]').dblclick();
      await page.waitForFunction((key) => {
        const active = document.querySelector('[data-testid=cxrai-active-image]');
        return !!active && active.getAttribute('data-image-key') !== key;
      }, firstActive);
      await page.waitForTimeout(2000);
      expect(downloads()).toEqual(afterError);
      await expect(error.textContent()).resolves.toMatch(/model could not be loaded/i);
      await page.click('[data-testid=cxrai-run]');
      await page.waitForFunction(
        () => document.querySelector('[data-testid=cxrai-panel]')?.getAttribute('data-model-status') === 'error',
      );
      expect(downloads().manifest).toBe(afterError.manifest + 1);
      // The image is displayed all the same.
      await page.waitForFunction(() => {
        const w = window as any;
        const vp = w.services?.cornerstoneViewportService?.getCornerstoneViewport(
          w.services.viewportGridService.getActiveViewportId(),
        );
        return !!vp?.getCornerstoneImage?.();
      });
      await screenshot('7-broken-model');
    } finally {
      await page.unroute('**/models/demo/manifest.json');
    }
  });

  test("no page errors, no request left the demo server, and none went to the host's own /ort/", () => {
    expect(pageErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    expect(hostOrtRequests).toEqual([]);
    expect(ourOrtRequests.length).toBeGreaterThan(0);
  });
});
