/**
 * The demo on a real PACS: a private Orthanc (DICOMweb plugin) holds the demo study, stored over
 * STOW-RS; the demo server proxies OHIF 3.13's standard DICOMweb data source to it. The study
 * list shows the study, our mode opens it from there, shows its images (WADO-RS through the proxy)
 * and the panel's result equals the one the embedded (dicomjson) demo gives for the same image, so
 * the PACS path delivers the same pixels. Skipped, with the reason printed,
 * only where Orthanc is not installed (CI installs it: .ci/run).
 */
import type { Page } from 'playwright-core';
import { prepareDemo, startDemoServer, type DemoServer } from '../../demo/server';
import { launchChromium } from '../support/chromium';
import {
  orthancAvailable,
  qido,
  qidoSeries,
  startTestOrthanc,
  storeDemoStudy,
  type TestOrthanc,
} from '../support/orthanc';
import { inPageDisplaySetUids } from './readingHelpers';
import { inPageViewportState } from './viewerHelpers';

jest.setTimeout(600_000);

const available = orthancAvailable();
if (!available) {
  console.warn('[pacsDemo] skipped: Orthanc is not installed (apt-get install orthanc orthanc-dicomweb)');
}
const describeWithOrthanc = available ? describe : describe.skip;

let orthanc: TestOrthanc | undefined;
let server: DemoServer | undefined;
let embedded: DemoServer | undefined;
let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
let page: Page;
let demo: Awaited<ReturnType<typeof storeDemoStudy>>['study'];
const pageErrors: string[] = [];

const text = (dataset: Record<string, { Value?: unknown[] }> | undefined, tag: string) =>
  String(dataset?.[tag]?.Value?.[0] ?? '');

/** Waits until the panel shows a finished analysis. */
async function waitForDone(on: Page): Promise<void> {
  await on.waitForFunction(
    () =>
      document.querySelector('[data-testid=cxrai-panel]')?.getAttribute('data-analysis-status') === 'done' &&
      !!document.querySelector('[data-testid=cxrai-findings]'),
    undefined,
    { timeout: 180_000, polling: 200 },
  );
}

/** The panel's probabilities by finding, as its rows carry them. */
function panelProbabilities(on: Page): Promise<Record<string, number>> {
  return on.$$eval('[data-testid=cxrai-finding-row]', (rows) =>
    Object.fromEntries(
      rows.map((r) => [r.getAttribute('data-finding') ?? '', Number(r.getAttribute('data-probability'))]),
    ),
  );
}

describeWithOrthanc('demo on a DICOMweb PACS (Orthanc)', () => {
  beforeAll(async () => {
    prepareDemo({ log: () => undefined });
    orthanc = await startTestOrthanc();
    ({ study: demo } = await storeDemoStudy(orthanc.dicomWebUrl));
    server = await startDemoServer({ port: 0, backend: 'wasm', pacs: { url: orthanc.dicomWebUrl } });
    embedded = await startDemoServer({ port: 0, backend: 'wasm' });
    browser = await launchChromium();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.setViewportSize({ width: 1400, height: 900 });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await embedded?.close();
    await orthanc?.close();
  });

  test("the study list shows the PACS's demo study and opens it in our mode", async () => {
    if (!server) throw new Error('no demo server');
    const [study] = await qido(
      server.pacsUrl ?? '',
      `studies?StudyInstanceUID=${demo.studyInstanceUid}&includefield=00081030`,
    );
    const patientId = text(study, '00100020');
    const accession = text(study, '00080050');
    const description = text(study, '00081030');
    expect([patientId, accession, description]).not.toContain('');

    await page.goto(`${server.url}/`);
    // OHIF 3.13's study list: one row per study (patient name, date, modalities, accession); a
    // click shows the study's patient ID and the modes that can open it.
    const row = page.locator('tr', { hasText: accession });
    await row.first().waitFor({ timeout: 120_000 });
    await expect(row.count()).resolves.toBe(1);
    await expect(row.textContent()).resolves.toContain(description);
    await row.click();
    await page.getByText(patientId, { exact: true }).waitFor({ timeout: 60_000 });
    const launch = page.getByRole('button', { name: 'Chest X-ray AI', exact: true });
    await launch.waitFor({ timeout: 60_000 });
    await expect(launch.isEnabled()).resolves.toBe(true);
    await launch.click();
    await page.waitForURL((url) => url.pathname === '/chest-xray-ai', { timeout: 60_000 });
    expect(new URL(page.url()).searchParams.get('StudyInstanceUIDs')).toBe(demo.studyInstanceUid);
    await page.waitForSelector('[data-testid=cxrai-panel]', { timeout: 120_000 });
  });

  test('the images come from the PACS and the panel gives the result the embedded demo gives', async () => {
    if (!server || !embedded || !browser) throw new Error('not started');
    await waitForDone(page);
    // Every series of the study in the PACS is a display set; the image on screen is read over
    // WADO-RS through the demo server (same origin, so the page stays cross-origin isolated).
    const series = await qidoSeries(orthanc?.dicomWebUrl ?? '', demo.studyInstanceUid);
    await expect(page.evaluate(inPageDisplaySetUids)).resolves.toHaveLength(series.length);
    const viewport = await page.evaluate(inPageViewportState);
    expect(viewport.imageId.startsWith('wadors:')).toBe(true);
    const frames = new URL(viewport.imageId.slice('wadors:'.length), server.url);
    expect(frames.origin).toBe(server.url);
    expect(frames.pathname.startsWith(`/dicom-web/studies/${demo.studyInstanceUid}/`)).toBe(true);
    await expect(page.evaluate(() => crossOriginIsolated)).resolves.toBe(true);

    expect(demo.files.map((f) => f.sopInstanceUid)).toContain(viewport.sop);
    const shown = await panelProbabilities(page);
    expect(Object.keys(shown).length).toBeGreaterThan(0);

    // The same image in the embedded demo (dicomjson, files served as they are on disk).
    const other = await browser.context.newPage();
    other.on('pageerror', (error) => pageErrors.push(`embedded demo: ${error.message}`));
    await other.setViewportSize({ width: 1400, height: 900 });
    await other.goto(embedded.studyUrl);
    await waitForDone(other);
    const embeddedSop = (await other.evaluate(inPageViewportState)).sop;
    expect(embeddedSop).toBe(viewport.sop);
    const reference = await panelProbabilities(other);
    await other.close();
    expect(Object.keys(shown).sort()).toEqual(Object.keys(reference).sort());
    for (const [finding, probability] of Object.entries(reference)) {
      expect(Math.abs(shown[finding] - probability)).toBeLessThanOrEqual(1e-6);
    }
    expect(pageErrors).toEqual([]);
  });
});
