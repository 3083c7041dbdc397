/**
 * A site's calibrated manifest in the real viewer: `cxr-ai calibrate` on the shipped labelled
 * images writes a manifest beside the demo model's folder, the demo viewer is pointed at it
 * through app-config, and the panel loads it (same .onnx, same sha256) and says where its
 * cut-offs came from.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { prepareDemo, startDemoServer, PATHS, type DemoServer } from '../../demo/server';
import { NIH_PNG_DIR } from '../fixtures/paths';
import { launchChromium } from '../support/chromium';
import { cli, ensureCliBuilt } from '../support/runCli';

const ROOT = path.resolve(__dirname, '../..');
const LABELS = path.join(ROOT, 'test', 'fixtures', 'nih-labels.csv');
// Under the served model folder, so the manifest's relative path to model.onnx resolves over HTTP.
const OUT = path.join(PATHS.model, 'calibrated-e2e');

jest.setTimeout(600_000);

let server: DemoServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  prepareDemo({ log: () => undefined });
  ensureCliBuilt();
  fs.rmSync(OUT, { recursive: true, force: true });
  const calibrated = await cli('calibrate', NIH_PNG_DIR, '--labels', LABELS, '--out', OUT, '--workers', '1');
  if (calibrated.code !== 0) throw new Error(`calibrate failed: ${calibrated.stderr}`);
  server = await startDemoServer({
    port: 0,
    backend: 'wasm',
    extraAppConfig: `{ chestXrayAi: { ...window.config.chestXrayAi, modelManifestUrl: '/models/demo/calibrated-e2e/manifest.json' } }`,
  });
  browser = await launchChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(OUT, { recursive: true, force: true });
});

test('the viewer loads a calibrated manifest and says the cut-offs were calibrated on site images', async () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(OUT, 'manifest.json'), 'utf8'));
  const original = JSON.parse(fs.readFileSync(path.join(PATHS.model, 'manifest.json'), 'utf8'));
  await page.goto(server.studyUrl);
  await page.waitForFunction(
    () => document.querySelector('[data-testid=cxrai-panel]')?.getAttribute('data-analysis-status') === 'done',
    undefined,
    { timeout: 240_000 },
  );
  await expect(page.textContent('[data-testid=cxrai-banner]')).resolves.toContain(
    `cut-offs calibrated on ${manifest.calibration.images} site images, ${manifest.calibration.date}`,
  );
  // The same model file and hash, with the calibrated thresholds shown as the cut-offs.
  await expect(page.textContent('[data-testid=cxrai-status]')).resolves.toContain(original.sha256.slice(0, 8));
  const shown = await page.$$eval('[data-testid=cxrai-finding-row]', (rows) =>
    rows.map((r) => [r.getAttribute('data-finding'), Number(r.getAttribute('data-threshold'))]),
  );
  const thresholds = new Map<string, number>(
    manifest.findings.map((f: { name: string; threshold: number }) => [f.name, f.threshold]),
  );
  expect(shown).toHaveLength(14);
  for (const [name, threshold] of shown) expect(threshold).toBeCloseTo(thresholds.get(String(name))!, 6);
  expect(pageErrors).toEqual([]);
});
