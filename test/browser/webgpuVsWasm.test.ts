/**
 * The full demo DenseNet-121 in headless Chromium: WebGPU (Chromium's software adapter) against
 * WASM, through the engine's own loadModel/analyze, on a real NIH radiograph.
 */
import { join, resolve } from 'node:path';
import { launchChromium } from '../support/chromium';
import { startStaticServer, type StaticServer } from '../support/staticServer';
import { nihPng, NIH_PNG_DIR } from '../fixtures/paths';
import { buildHarness, HARNESS_DIR, HARNESS_PAGE, ORT_DIST } from './harness/buildHarness';
import { compareBackendsInPage } from './pageHelpers';

const root = resolve(__dirname, '../..');

describe('WebGPU against WASM in headless Chromium', () => {
  let server: StaticServer;
  beforeAll(async () => {
    await buildHarness();
    server = await startStaticServer(
      { '/harness/': HARNESS_DIR, '/ort/': ORT_DIST, '/models/': join(root, 'models'), '/images/': NIH_PNG_DIR },
      { '/': HARNESS_PAGE },
    );
  }, 120_000);
  afterAll(() => server?.close());

  it('gives the same probabilities and CAMs on both backends (1e-4)', async () => {
    const browser = await launchChromium({ webgpu: true });
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${server.origin}/`);
      await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
      const comparison = await page.evaluate(compareBackendsInPage, {
        manifestUrl: '/models/demo/manifest.json',
        imageUrl: `/images/${nihPng('txv__00000001_000.png').split('/').pop()}`,
      });
      console.log(`WebGPU vs WASM: ${JSON.stringify({ ...comparison, probabilities: undefined })}`);
      expect(comparison.adapter).not.toBeNull();
      expect(comparison.backends).toEqual(['webgpu', 'wasm']);
      expect(comparison.probabilityDifference).toBeLessThan(1e-4);
      expect(comparison.camDifference).toBeLessThan(1e-4);
      // Not a degenerate model: the comparison means something only if outputs vary.
      expect(Math.max(...comparison.probabilities) - Math.min(...comparison.probabilities)).toBeGreaterThan(0.05);
      expect(comparison.camMax).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 600_000);
});
