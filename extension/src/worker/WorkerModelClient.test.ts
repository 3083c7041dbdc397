/**
 * The page's model client and the worker's server, joined by a real MessageChannel (structured
 * clone and transfer as between a page and its worker), running the real engine on onnxruntime-web
 * (its Node build) with the demo model fetched over HTTP. The browser's own worker is proven in
 * test/e2e/mainThread.test.ts.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import * as ortWeb from 'onnxruntime-web';
import { startStaticServer, type StaticServer } from '../../../test/support/staticServer';
import { nihPng } from '../../../test/fixtures/paths';
import { readImageFile } from '../cli/io/readImageFile';
import { DEFAULT_MANIFEST } from '../cli/nodeModel';
import { EngineError, loadModel, type LoadedModel, type Ort, type RadiographPixels } from '../engine';
import type { MessageEndpoint } from './protocol';
import { serveInferenceWorker } from './serveInferenceWorker';
import { connectModelWorker } from './WorkerModelClient';

const ort = ortWeb as unknown as Ort;
const modelDir = join(DEFAULT_MANIFEST, '..');

/** A client and a worker server over one MessageChannel. */
function connect(manifestUrl: string) {
  const channel = new MessageChannel();
  const progress: string[] = [];
  serveInferenceWorker(channel.port2 as unknown as MessageEndpoint, {
    loadOrt: async () => ort,
    webgpuCheckDelayMs: 60_000,
  });
  const connection = connectModelWorker(
    channel.port1 as unknown as MessageEndpoint,
    { type: 'load', manifestUrl, ortBaseUrl: 'http://unused/', backend: 'wasm', wasmThreads: 1 },
    { onProgress: (p) => progress.push(p.stage), terminate: () => channel.port1.close() },
  );
  return { connection, progress, close: () => channel.port1.close() };
}

async function errorOf(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    return error as EngineError;
  }
  throw new Error('it did not fail');
}

/** 8x8 pixels: the chest-film gate refuses them as too small. */
const tinyPixels = (): RadiographPixels => ({
  pixelData: Uint8Array.from({ length: 64 }, (_, i) => i * 3),
  rows: 8,
  columns: 8,
  samplesPerPixel: 1,
  photometricInterpretation: 'MONOCHROME2',
  bitsStored: 8,
  imageKey: 'tiny',
});

describe('the model in a worker, over a MessageChannel', () => {
  let server: StaticServer;
  let direct: LoadedModel;
  let viaWorker: LoadedModel;
  let progress: string[];
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-worker-'));
    server = await startStaticServer({ '/models/demo/': modelDir, '/broken/': dir });
    const manifestUrl = `${server.origin}/models/demo/manifest.json`;
    direct = await loadModel({ manifestUrl, ort, backend: 'wasm', wasmThreads: 1 });
    const joined = connect(manifestUrl);
    progress = joined.progress;
    viaWorker = await joined.connection.model;
  }, 120_000);
  afterAll(async () => {
    await viaWorker?.dispose();
    await direct?.dispose();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is ready with the model, its backend and each start-up stage timed in the worker', () => {
    expect(viaWorker.manifest).toEqual(direct.manifest);
    expect(viaWorker.backend).toBe('wasm');
    expect(progress).toEqual(expect.arrayContaining(['manifest', 'download', 'session', 'ready']));
    expect(viaWorker.startup).toMatchObject({ thread: 'worker', source: 'download', hashMethod: 'webcrypto' });
    for (const stage of ['manifestMs', 'readMs', 'hashMs', 'sessionMs', 'ortLoadMs'] as const)
      expect(viaWorker.startup?.[stage]).toBeGreaterThanOrEqual(0);
  });

  it('warms the session up when no image is waiting, and reports that run', async () => {
    while (viaWorker.startup?.warmupMs === undefined) await new Promise((wake) => setTimeout(wake, 50));
    expect(viaWorker.startup.warmupMs).toBeGreaterThan(0);
  });

  it("gives the engine's own result, its arrays transferred back, and leaves the caller's pixels intact", async () => {
    const pixels = await readImageFile(nihPng('txv__00000001_000.png'));
    const before = Buffer.from(pixels.pixelData.buffer).toString('base64');
    const result = await viaWorker.analyze(pixels, { keepInput: true });
    const expected = await direct.analyze(pixels, { keepInput: true });
    // Not detached: the viewer's buffer still holds its bytes.
    expect(Buffer.from(pixels.pixelData.buffer).toString('base64')).toBe(before);
    expect(result.probabilities).toBeInstanceOf(Float32Array);
    expect(Array.from(result.probabilities)).toEqual(Array.from(expected.probabilities));
    expect(Array.from(result.cams.data)).toEqual(Array.from(expected.cams.data));
    expect(Array.from(result.input!.data)).toEqual(Array.from(expected.input!.data));
    expect(result.findings).toEqual(expected.findings);
    expect(result.geometry).toEqual(expected.geometry);
    expect(result.backend).toBe('wasm');
  });

  it("refuses an image with the engine's own EngineError: code, message and the gate's assessment", async () => {
    const fromWorker = await errorOf(viaWorker.analyze(tinyPixels()));
    const fromEngine = await errorOf(direct.analyze(tinyPixels()));
    expect(fromWorker).toBeInstanceOf(EngineError);
    expect(fromWorker.code).toBe(fromEngine.code);
    expect(fromWorker.message).toBe(fromEngine.message);
    expect(fromWorker.gate).toEqual(fromEngine.gate);
  });

  it('refuses a broken model with the same error the engine gives', async () => {
    const bytes = Buffer.from('this is not an ONNX model');
    const manifest = JSON.parse(readFileSync(DEFAULT_MANIFEST, 'utf8'));
    writeFileSync(join(dir, 'model.onnx'), bytes);
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({ ...manifest, file: 'model.onnx', sha256: createHash('sha256').update(bytes).digest('hex') }),
    );
    const manifestUrl = `${server.origin}/broken/manifest.json`;
    const joined = connect(manifestUrl);
    const fromWorker = await errorOf(joined.connection.model);
    joined.close();
    const fromEngine = await errorOf(loadModel({ manifestUrl, ort, backend: 'wasm', wasmThreads: 1 }));
    expect(fromWorker).toBeInstanceOf(EngineError);
    expect([fromWorker.code, fromWorker.message]).toEqual([fromEngine.code, fromEngine.message]);
  });

  it('fails open requests with a panel message when the worker dies', async () => {
    const joined = connect(`${server.origin}/models/demo/manifest.json`);
    const model = await joined.connection.model;
    const pixels = await readImageFile(nihPng('txv__00000001_000.png'));
    const pending = model.analyze(pixels);
    joined.connection.fail('the worker crashed');
    const error = await errorOf(pending);
    expect(error).toBeInstanceOf(EngineError);
    expect(error.code).toBe('inference-failed');
    await expect(model.analyze(pixels)).rejects.toThrow('The AI stopped working in this page');
    joined.close();
  });
});
