/**
 * Smoke test on the OHIF 3.14 beta: the prebuilt @ohif/app 3.14.0-beta.6 from npm (fetched into
 * .cache/ohif-viewer-3.14.0-beta.6 on first use; about 50 MB), our run-time plugin bundle unchanged,
 * the demo study, headless Chromium, WASM forced. The panel must show the same 14 probabilities as
 * the CLI for the same image. 3.13.2 stays the default everywhere else (viewer.test.ts).
 *
 * The 3.14 app-config lists our bundles by URL: 3.14.0-beta.6's loader is still 3.13's (a run-time
 * descriptor object is registered as if it were the extension: "Extension ID not set"); see
 * extension/README.md, "OHIF 3.13 and 3.14".
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { prepareDemo, startDemoServer, PATHS, VIEWERS, type DemoServer } from '../../demo/server';
import { launchChromium } from '../support/chromium';
import { inPageViewportState } from './viewerHelpers';

const ROOT = path.resolve(__dirname, '../..');
const FIRST_FILE = path.join(PATHS.study, 'nih-00001369_000.dcm');

interface CliPrediction {
  image: string;
  findings: { name: string; probability: number }[];
  model: { version: string; sha256: string };
}

/** What the host page exposes, by the names OHIF 3.14's run-time contract would use. */
interface HostGlobals {
  react: string;
  reactDom: string;
  cornerstoneCoreByPackageName: string;
  cornerstone: string;
  utilityModuleIsWindowCornerstone: boolean;
}

jest.setTimeout(900_000);

let server: DemoServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const pageErrors: string[] = [];
const foreignRequests: string[] = [];

beforeAll(async () => {
  // Fetches the 3.14 viewer if it is missing and builds the plugins if they are older than the sources.
  prepareDemo({ log: () => undefined, viewer: '3.14' });
  server = await startDemoServer({ port: 0, backend: 'wasm', viewer: '3.14' });
  browser = await launchChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.setViewportSize({ width: 1400, height: 900 });
  const origin = new URL(server.url).origin;
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('request', (request) => {
    const url = request.url();
    if (!/^(data|blob):/.test(url) && new URL(url).origin !== origin) foreignRequests.push(url);
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe(`Chest X-ray AI in OHIF ${VIEWERS['3.14'].version}`, () => {
  test('the mode opens the demo study and the panel shows the same probabilities as the CLI', async () => {
    await page.goto(server.studyUrl);
    await page.waitForSelector('[data-testid=cxrai-panel]', { timeout: 180_000 });
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid=cxrai-panel]')?.getAttribute('data-analysis-status') === 'done' &&
        !!document.querySelector('[data-testid=cxrai-findings]'),
      undefined,
      { timeout: 240_000, polling: 250 },
    );
    await expect(page.evaluate(() => crossOriginIsolated)).resolves.toBe(true);
    const cli = JSON.parse(
      execFileSync(
        path.join(ROOT, 'node_modules', '.bin', 'tsx'),
        ['extension/src/cli/main.ts', 'predict', FIRST_FILE, '--json'],
        { cwd: ROOT, encoding: 'utf8' },
      ),
    ) as CliPrediction;
    const state = await page.evaluate(inPageViewportState);
    expect(state.sop).toBe(cli.image);
    await expect(page.getAttribute('[data-testid=cxrai-findings]', 'data-image-key')).resolves.toBe(cli.image);

    const shown = await page.$$eval('[data-testid=cxrai-finding-row]', (rows) =>
      Object.fromEntries(
        rows.map((r) => [r.getAttribute('data-finding') ?? '', Number(r.getAttribute('data-probability'))]),
      ),
    );
    expect(Object.keys(shown)).toHaveLength(14);
    for (const finding of cli.findings) {
      expect(Math.abs(shown[finding.name] - finding.probability)).toBeLessThanOrEqual(1e-4);
    }
    await expect(page.textContent('[data-testid=cxrai-backend]')).resolves.toBe('WASM');
    const status = await page.textContent('[data-testid=cxrai-status]');
    expect(status).toContain(cli.model.version);
    expect(status).toContain(cli.model.sha256.slice(0, 8));
  });

  test("the panel uses the host's Cornerstone; the host shares no React (so the panel keeps its own)", async () => {
    const globals = await page.evaluate((): HostGlobals => {
      const w = window as unknown as Record<string, unknown> & {
        extensionManager: {
          getModuleEntry(id: string): { exports: { getCornerstoneLibraries(): { cornerstone: unknown } } };
        };
      };
      const viaUtility = w.extensionManager
        .getModuleEntry('@ohif/extension-cornerstone.utilityModule.common')
        .exports.getCornerstoneLibraries().cornerstone;
      return {
        react: typeof w['react'],
        reactDom: typeof w['react-dom'],
        cornerstoneCoreByPackageName: typeof w['@cornerstonejs/core'],
        cornerstone: typeof w['cornerstone'],
        utilityModuleIsWindowCornerstone: viaUtility === w['cornerstone'],
      };
    });
    // One Cornerstone: the cornerstone extension's utility module hands out the same object its
    // init puts on window.cornerstone, and our panel's results above were computed on its image.
    expect(globals.cornerstone).toBe('object');
    expect(globals.utilityModuleIsWindowCornerstone).toBe(true);
    // Measured on 3.14.0-beta.6: none of the package-name globals of OHIF's run-time contract
    // (window['react'], window['react-dom'], window['@cornerstonejs/core']) is set, so the panel
    // mounts with the React in our bundle, as on 3.13. If this fails, the host now shares React:
    // see extension/README.md before switching.
    expect(globals).toMatchObject({
      react: 'undefined',
      reactDom: 'undefined',
      cornerstoneCoreByPackageName: 'undefined',
    });
  });

  test('no page errors and no request left the demo server', () => {
    expect(pageErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  });
});
