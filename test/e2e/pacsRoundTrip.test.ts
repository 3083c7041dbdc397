/**
 * The PACS round trip in the real OHIF 3.13 viewer (headless Chromium, WASM) against a real
 * Orthanc: analyse, "Send to PACS" (a double click sends once), reload the study from the PACS and
 * see the stored result (same probabilities, same maps, no new analysis); the new series are in
 * Orthanc and the source instances' bytes are unchanged; a PACS that refuses (500) or is down gives
 * a plain message, keeps the result, and a resend works once it is back. Our SR, map and capture
 * series open in OHIF without a page error. CXR_UPDATE_DOCS=1 writes docs/stored-result-reopened.png.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { prepareDemo, startDemoServer, type DemoServer } from '../../demo/server';
import { DEMO_STUDY_UID } from '../../demo/build-demo-study';
import { launchChromium } from '../support/chromium';
import { dciodvfy, dsrdump, TOOLS } from '../dicom/validators';
import {
  instanceFileBytes,
  orthancAvailable,
  qido,
  qidoSeries,
  startTestOrthanc,
  storeDemoStudy,
  type TestOrthanc,
} from '../support/orthanc';

const ROOT = path.resolve(__dirname, '../..');
const SHOTS = process.env.CXR_UPDATE_DOCS ? path.join(ROOT, 'docs') : path.join(ROOT, 'test-results', 'e2e');

jest.setTimeout(900_000);

const describeWithOrthanc = orthancAvailable() ? describe : describe.skip;
if (!orthancAvailable())
  console.warn('pacsRoundTrip: skipped, Orthanc is not installed (apt-get install orthanc orthanc-dicomweb)');

let orthanc: TestOrthanc;
let server: DemoServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const pageErrors: string[] = [];
/** Every analysis status the panel showed since the last page load (a MutationObserver). */
const seenStatuses = () => page.evaluate(() => (window as unknown as { __cxrStatuses: string[] }).__cxrStatuses);

type PanelState = {
  analysis: { status: string };
  result?: { imageKey: string; findings: { name: string; probability: number }[]; heatmapFullScale: number };
  store: {
    available: boolean;
    send?: { status: string; kind?: string; message?: string; seriesInstanceUids?: string[] };
  };
  stored?: { storedAt: string; maps: string; model: { sha256: string } };
  drawn: string[];
};
const state = (): Promise<PanelState> =>
  page.evaluate(() => (window as any).services.chestXrayAiService.getState() as PanelState);
const runCommand = (name: string, options: Record<string, unknown> = {}) =>
  page.evaluate(({ n, o }) => (window as any).commandsManager.runCommand(n, o), { n: name, o: options });

async function until(what: string, check: (s: PanelState) => boolean, timeout = 180_000): Promise<PanelState> {
  const started = Date.now();
  for (;;) {
    const s = await state();
    if (check(s)) return s;
    if (Date.now() - started > timeout)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(s.analysis)} ${JSON.stringify(s.store)}`);
    await page.waitForTimeout(200);
  }
}

/** Each drawn layer's map values (the float data the viewport renders), by finding, as base64 float32. */
function inPageLayerMaps(): Record<string, string> {
  const w = window as any;
  const cs = w.extensionManager
    .getModuleEntry('@ohif/extension-cornerstone.utilityModule.common')
    .exports.getCornerstoneLibraries().cornerstone;
  const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(
    w.services.viewportGridService.getActiveViewportId(),
  );
  const out: Record<string, string> = {};
  for (const actor of vp.getActors()) {
    if (!String(actor.uid).startsWith('chest-xray-ai-heatmap:')) continue;
    const image = cs.cache.getImage(actor.referencedId);
    const data: Float32Array = Float32Array.from(image.voxelManager?.getScalarData?.() ?? image.getPixelData());
    let text = '';
    const bytes = new Uint8Array(data.buffer);
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    out[String(actor.uid).slice('chest-xray-ai-heatmap:'.length)] = btoa(text);
  }
  return out;
}
const decode = (b64: string) => {
  const bytes = Buffer.from(b64, 'base64');
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
};

/** Turns exactly these findings' maps on and waits until the viewport draws them. */
async function showMaps(findings: string[]): Promise<Record<string, Float32Array>> {
  await runCommand('chestXrayAiClear');
  for (const finding of findings) await runCommand('chestXrayAiShowHeatmap', { finding, visible: true });
  await until('the maps drawn', (s) => findings.every((f) => s.drawn.includes(f)));
  const maps = await page.evaluate(inPageLayerMaps);
  return Object.fromEntries(Object.entries(maps).map(([f, b64]) => [f, decode(b64)]));
}

async function openStudy(): Promise<void> {
  await page.goto(server.studyUrl);
  await page.waitForSelector('[data-testid=cxrai-panel]', { timeout: 120_000 });
}

const sourceBytes = async () => {
  const instances = await qido(orthanc.dicomWebUrl, `instances?StudyInstanceUID=${DEMO_STUDY_UID}`);
  const uids = instances.map((i) => String(i['00080018']?.Value?.[0]));
  // One at a time: Orthanc's HTTP server closes connections under a burst of whole-file reads.
  const bytes = new Map<string, Buffer>();
  for (const uid of uids) bytes.set(uid, await instanceFileBytes(orthanc.url, uid));
  return bytes;
};

beforeAll(async () => {
  if (!orthancAvailable()) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  prepareDemo({ log: () => undefined });
  orthanc = await startTestOrthanc();
  await storeDemoStudy(orthanc.dicomWebUrl);
  server = await startDemoServer({ port: 0, backend: 'wasm', pacs: { url: orthanc.dicomWebUrl } }, () => undefined);
  browser = await launchChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.setViewportSize({ width: 1400, height: 900 });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.addInitScript(() => {
    const w = window as unknown as { __cxrStatuses: string[] };
    w.__cxrStatuses = [];
    new MutationObserver(() => {
      const status = document.querySelector('[data-testid=cxrai-panel]')?.getAttribute('data-analysis-status');
      if (status && w.__cxrStatuses.at(-1) !== status) w.__cxrStatuses.push(status);
    }).observe(document, {
      subtree: true,
      attributes: true,
      childList: true,
      attributeFilter: ['data-analysis-status'],
    });
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await orthanc?.close();
});

describeWithOrthanc('PACS round trip (real Orthanc)', () => {
  let first: PanelState;
  let shownMaps: Record<string, Float32Array>;
  let sentSeries: string[];
  let before: Map<string, Buffer>;

  test('analyse, send with a double click: stored once, the new series in Orthanc, the source untouched', async () => {
    before = await sourceBytes();
    await openStudy();
    first = await until('an analysis', (s) => s.analysis.status === 'done' && !!s.result && !s.stored);
    expect(first.store.available).toBe(true);
    const names = first.result!.findings.map((f) => f.name);
    shownMaps = await showMaps(names);
    expect(Object.keys(shownMaps).sort()).toEqual([...names].sort());
    await showMaps(names.slice(0, 2));
    await page.dblclick('[data-testid=cxrai-send]');
    const sent = await until('the send', (s) => s.store.send?.status === 'sent' || s.store.send?.status === 'failed');
    expect(sent.store.send).toMatchObject({ status: 'sent' });
    sentSeries = sent.store.send!.seriesInstanceUids!;
    await expect(page.textContent('[data-testid=cxrai-send-state]')).resolves.toContain('Stored in');
    const series = await qidoSeries(orthanc.dicomWebUrl, DEMO_STUDY_UID);
    const inPacs = new Map(series.map((s) => [String(s['0020000E']?.Value?.[0]), s]));
    for (const uid of sentSeries) expect(inPacs.has(uid)).toBe(true);
    // Sent once: one SR, one map object, one capture per shown map.
    const srs = series.filter((s) => s['00080060']?.Value?.[0] === 'SR');
    expect(srs).toHaveLength(1);
    const count = (uid: string) => Number(inPacs.get(uid)?.['00201209']?.Value?.[0]);
    expect(sentSeries.map(count).reduce((a, b) => a + b, 0)).toBe(1 + 1 + 2);
    const after = await sourceBytes();
    // The study gained our objects only; each source instance is byte for byte what it was.
    expect(after.size).toBe(before.size + 4);
    for (const [uid, bytes] of before) expect(after.get(uid)?.equals(bytes)).toBe(true);

    // What the panel wrote, as Orthanc holds it: no dciodvfy errors, and the SR read by dsrdump.
    const srInstances = await qido(
      orthanc.dicomWebUrl,
      `instances?SeriesInstanceUID=${srs[0]['0020000E']?.Value?.[0]}`,
    );
    const srUid = String(srInstances[0]?.['00080018']?.Value?.[0]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxr-panel-objects-'));
    const warnings: string[] = [];
    for (const [uid, bytes] of after) {
      if (before.has(uid)) continue;
      const file = path.join(dir, `${uid}.dcm`);
      fs.writeFileSync(file, bytes);
      if (TOOLS.dciodvfy) {
        const { errors, warnings: found } = dciodvfy(file);
        expect({ uid, errors }).toEqual({ uid, errors: [] });
        warnings.push(...found);
      }
      if (uid === srUid && TOOLS.dsrdump) expect(dsrdump(file).status).toBe(0);
    }
    const counted = new Map<string, number>();
    for (const w of warnings) counted.set(w, (counted.get(w) ?? 0) + 1);
    console.log(
      `dciodvfy on the panel's objects: ${[...counted].map(([w, n]) => `${n}x ${w}`).join('; ') || 'no warnings'}`,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('reopening the study shows the stored result at once: same numbers, same maps, no new analysis', async () => {
    await openStudy();
    const reopened = await until('the stored result', (s) => s.stored?.maps === 'ready' && !!s.result);
    await expect(page.textContent('[data-testid=cxrai-stored-line]')).resolves.toMatch(
      /^stored \d{4}-\d\d-\d\d \d\d:\d\d:\d\d, model .+ #[0-9a-f]{8}, WASM$/,
    );
    expect(reopened.result!.imageKey).toBe(first.result!.imageKey);
    const was = new Map(first.result!.findings.map((f) => [f.name, f.probability]));
    for (const f of reopened.result!.findings)
      expect(Math.abs(f.probability - was.get(f.name)!)).toBeLessThanOrEqual(1e-6);
    expect(reopened.result!.findings).toHaveLength(was.size);
    const names = [...was.keys()];
    const maps = await showMaps(names);
    const fullScale = first.result!.heatmapFullScale;
    for (const name of names) {
      const a = shownMaps[name];
      const b = maps[name];
      expect(b.length).toBe(a.length);
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
      expect(worst).toBeLessThanOrEqual(1e-4 * fullScale);
    }
    expect(await seenStatuses()).not.toContain('running');
    // The screenshot: the two likeliest findings whose maps show heat above the display threshold.
    const empty = (await page.evaluate(
      () => (window as any).services.chestXrayAiService.getState().emptyMaps,
    )) as string[];
    const likeliest = [...reopened.result!.findings]
      .filter((f) => !empty.includes(f.name))
      .sort((a, b) => b.probability - a.probability)
      .map((f) => f.name);
    await showMaps(likeliest.slice(0, 2));
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(SHOTS, 'stored-result-reopened.png') });
    expect(pageErrors).toEqual([]);
  });

  test('a PACS that refuses (500) or is down: a plain message, the result kept, a resend stores it', async () => {
    await page.click('[data-testid=cxrai-run-again]');
    const fresh = await until('a new analysis', (s) => s.analysis.status === 'done' && !!s.result && !s.stored);
    server.setPacsFault(500);
    await page.click('[data-testid=cxrai-send]');
    let s = await until('the refusal', (x) => x.store.send?.status === 'failed');
    expect(s.store.send).toMatchObject({ kind: 'server' });
    await expect(page.textContent('[data-testid=cxrai-send-error]')).resolves.toMatch(
      /failed to store the result \(HTTP 500\)/,
    );
    expect(s.result!.findings).toEqual(fresh.result!.findings);
    server.setPacsFault();
    await page.click('[data-testid=cxrai-send]');
    s = await until('the resend', (x) => x.store.send?.status === 'sent' || x.store.send?.status === 'failed');
    expect(s.store.send).toMatchObject({ status: 'sent' });

    await runCommand('chestXrayAiRun', { force: true });
    await until('another analysis', (x) => x.analysis.status === 'done' && !!x.result && !x.store.send);
    await orthanc.stop();
    await page.click('[data-testid=cxrai-send]');
    s = await until('the failure', (x) => x.store.send?.status === 'failed');
    expect(s.store.send).toMatchObject({ kind: 'unreachable' });
    await expect(page.textContent('[data-testid=cxrai-send-error]')).resolves.toMatch(/could not be reached/);
    expect(s.result).toBeDefined();
    await orthanc.start();
    await page.click('[data-testid=cxrai-send]');
    s = await until('the resend', (x) => x.store.send?.status === 'sent' || x.store.send?.status === 'failed');
    expect(s.store.send).toMatchObject({ status: 'sent' });
    const srs = await qidoSeries(orthanc.dicomWebUrl, DEMO_STUDY_UID, { Modality: 'SR' });
    expect(srs).toHaveLength(3);
  });

  test('OHIF opens our SR, map and capture series without a page error, and the study keeps working', async () => {
    await openStudy();
    await until('the stored result', (s) => !!s.stored);
    const opened = await page.evaluate(() => {
      const w = window as any;
      const sets = w.services.displaySetService.getActiveDisplaySets();
      return sets.map((d: any) => ({
        uid: d.displaySetInstanceUID,
        firstSop: d.instances?.[0]?.SOPInstanceUID,
        modality: d.Modality,
        sop: d.SOPClassUID,
        unsupported: !!d.unsupported,
        handler: d.SOPClassHandlerId,
      }));
    });
    console.log('display sets:', JSON.stringify(opened));
    const ours = opened.filter((d: { modality: string }) => !['DX', 'CR'].includes(d.modality));
    expect(ours.length).toBeGreaterThan(0);
    for (const set of ours) {
      await page.evaluate((uid) => {
        const w = window as any;
        const viewportId = w.services.viewportGridService.getActiveViewportId();
        w.services.viewportGridService.setDisplaySetsForViewport({ viewportId, displaySetInstanceUIDs: [uid] });
      }, set.uid);
      await page.waitForTimeout(1500);
    }
    const analysed = first.result!.imageKey.split('#')[0];
    const image = opened.find((d: { firstSop?: string }) => d.firstSop === analysed)!;
    await page.evaluate((uid) => {
      const w = window as any;
      const viewportId = w.services.viewportGridService.getActiveViewportId();
      w.services.viewportGridService.setDisplaySetsForViewport({ viewportId, displaySetInstanceUIDs: [uid] });
    }, image.uid);
    await until('the stored result again', (s) => !!s.stored);
    expect(pageErrors).toEqual([]);
  });

  test("OHIF's own viewer mode (its SR and Parametric Map handlers): our series open without a page error", async () => {
    const errors: string[] = [];
    const consoleErrors: string[] = [];
    const onError = (error: Error) => errors.push(error.message);
    page.on('pageerror', onError);
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text().slice(0, 300));
    });
    const seriesCount = (await qidoSeries(orthanc.dicomWebUrl, DEMO_STUDY_UID)).length;
    await page.goto(`${server.url}/viewer?StudyInstanceUIDs=${DEMO_STUDY_UID}`);
    await page.waitForFunction(
      (n) => (window as any).services?.displaySetService?.getActiveDisplaySets().length >= n,
      seriesCount,
      {
        timeout: 120_000,
      },
    );
    await page.waitForTimeout(3000);
    const sets = await page.evaluate(() =>
      (window as any).services.displaySetService.getActiveDisplaySets().map((d: any) => ({
        uid: d.displaySetInstanceUID,
        modality: d.Modality,
        handler: d.SOPClassHandlerId,
        unsupported: !!d.unsupported,
        description: d.SeriesDescription,
      })),
    );
    console.log(
      'viewer mode display sets:',
      JSON.stringify(sets.filter((d: { modality: string }) => !['DX', 'CR'].includes(d.modality))),
    );
    for (const set of sets.filter((d: { modality: string }) => !['DX', 'CR'].includes(d.modality))) {
      await page.evaluate((uid) => {
        const w = window as any;
        const viewportId = w.services.viewportGridService.getActiveViewportId();
        w.services.viewportGridService.setDisplaySetsForViewport({ viewportId, displaySetInstanceUIDs: [uid] });
      }, set.uid);
      await page.waitForTimeout(2500);
      console.log(`opened ${set.modality} ${set.handler}: errors ${JSON.stringify(errors)}`);
    }
    console.log('console errors:', JSON.stringify(consoleErrors.slice(0, 20)));
    const image = sets.find((d: { modality: string }) => d.modality === 'DX')!;
    await page.evaluate((uid) => {
      const w = window as any;
      const viewportId = w.services.viewportGridService.getActiveViewportId();
      w.services.viewportGridService.setDisplaySetsForViewport({ viewportId, displaySetInstanceUIDs: [uid] });
    }, image.uid);
    await page.waitForTimeout(2000);
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'e2e', 'ohif-viewer-mode-our-series.png') });
    page.off('pageerror', onError);
    expect(errors).toEqual([]);
  });

  test('without a PACS (the embedded demo study) the panel says storing is off and how to turn it on', async () => {
    const embedded = await startDemoServer({ port: 0, backend: 'wasm', pacs: 'off' });
    try {
      await page.goto(embedded.studyUrl);
      await page.waitForSelector('[data-testid=cxrai-store-off]', { timeout: 120_000 });
      const s = await state();
      expect(s.store.available).toBe(false);
      const text = await page.textContent('[data-testid=cxrai-store-off]');
      expect(text).toContain('Storing results in the PACS is off');
      expect(text).toContain((s.store as { offHint?: string }).offHint ?? 'no hint configured');
      expect(await page.$('[data-testid=cxrai-send]')).toBeNull();
    } finally {
      await embedded.close();
    }
  });
});
