/**
 * Model bytes kept in the browser's Cache API, keyed by sha256: the second load of the same model
 * downloads nothing, and only our own cache is touched.
 */
import { join, resolve } from 'node:path';
import { launchChromium } from '../support/chromium';
import { startStaticServer, type StaticServer } from '../support/staticServer';
import { buildHarness, HARNESS_DIR, HARNESS_PAGE, ORT_DIST } from './harness/buildHarness';
import type { Harness } from './harness/entry';
import type { Ort } from '../../extension/src/engine';

const root = resolve(__dirname, '../..');

describe('model cache in the browser', () => {
  let server: StaticServer;
  beforeAll(async () => {
    await buildHarness();
    server = await startStaticServer(
      { '/harness/': HARNESS_DIR, '/ort/': ORT_DIST, '/models/': join(root, 'models') },
      { '/': HARNESS_PAGE },
    );
  }, 120_000);
  afterAll(() => server?.close());

  it('downloads the model once and keeps it under its sha256 in its own cache', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${server.origin}/`);
      await page.waitForFunction(() => (window as unknown as { harnessReady?: boolean }).harnessReady === true);
      // Someone else's cache on the same origin must survive.
      await page.evaluate(() => caches.open('the-viewers-own-cache').then((c) => c.put('/x', new Response('keep me'))));
      const loadTwice = () =>
        page.evaluate(async () => {
          const w = window as unknown as { cxrEngine: Harness; ort: Ort };
          const stages: string[][] = [];
          for (let i = 0; i < 2; i++) {
            const seen: string[] = [];
            const model = await w.cxrEngine.loadModel({
              manifestUrl: '/models/demo/manifest.json',
              ort: w.ort,
              backend: 'wasm',
              byteStore: w.cxrEngine.createCacheApiByteStore(),
              onProgress: (p) => seen.push(p.stage),
            });
            await model.dispose();
            stages.push(seen);
          }
          return { stages, cacheNames: await caches.keys(), kept: await (await caches.match('/x'))?.text() };
        });
      const { stages, cacheNames, kept } = await loadTwice();
      expect(server.requests.filter((p) => p === '/models/demo/model.onnx')).toHaveLength(1);
      expect(server.requests.filter((p) => p === '/models/demo/manifest.json')).toHaveLength(2);
      expect(stages[0]).toContain('download');
      expect(stages[1]).not.toContain('download');
      expect(cacheNames.sort()).toEqual(['chest-xray-ai-models-v1', 'the-viewers-own-cache']);
      expect(kept).toBe('keep me');
    } finally {
      await browser.close();
    }
  }, 300_000);
});
