/**
 * The engine's model loading and analysis on the real demo DenseNet-121 (built by `npm install`),
 * on onnxruntime-web's WASM backend in Node.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readImageFile } from '../../cli/io/readImageFile';
import { DEFAULT_MANIFEST, loadModelFromDisk } from '../../cli/nodeModel';
import { CR_MONO1_10BIT, nihPng } from '../../../../test/fixtures/paths';
import { preparePixels } from '../pixels/preparePixels';
import { LatestRequestGate } from '../requests/LatestRequestGate';
import type { ModelManifest } from '../types/ModelManifest';
import { EngineError } from '../utilities/EngineError';
import type { LoadedModel } from '../types/Session';

const demoManifest = (): ModelManifest => JSON.parse(readFileSync(DEFAULT_MANIFEST, 'utf8'));
const demoModelPath = join(DEFAULT_MANIFEST, '..', 'model.onnx');

describe('loadModel and analyze on the demo model', () => {
  let model: LoadedModel;
  beforeAll(async () => {
    model = await loadModelFromDisk(DEFAULT_MANIFEST, 2, 'wasm');
  }, 60_000);
  afterAll(() => model?.dispose());

  it('names the backend that ran, the model version and its hash with every result', async () => {
    const result = await model.analyze(await readImageFile(nihPng('txv__00000001_000.png')));
    const fileHash = createHash('sha256').update(readFileSync(demoModelPath)).digest('hex');
    expect(result.backend).toBe('wasm');
    expect(result.model).toEqual({
      name: demoManifest().name,
      version: demoManifest().version,
      sha256: fileHash,
      demo: true,
    });
    expect(result.findings.map((f) => f.name)).toEqual(demoManifest().findings.map((f) => f.name));
    for (const f of result.findings) {
      expect(f.probability).toBeGreaterThan(0);
      expect(f.probability).toBeLessThan(1);
      expect(f.positive).toBe(f.probability >= f.threshold);
    }
    expect(result.cams.shape).toEqual([1, 14, 7, 7]);
    expect(result.imageKey).toBe('txv__00000001_000.png');
    expect(result.input).toBeUndefined();
  });

  it('hands back the input tensor it ran only when asked, equal to a fresh preparation', async () => {
    const pixels = await readImageFile(nihPng('txv__00000001_000.png'));
    const result = await model.analyze(pixels, { keepInput: true });
    const prepared = preparePixels(pixels, demoManifest());
    expect(result.input?.shape).toEqual([1, 3, 224, 224]);
    expect(Buffer.compare(Buffer.from(result.input!.data.buffer), Buffer.from(prepared.tensorData.buffer))).toBe(0);
  });

  it('gives the same result for the same image, and a different one for another image', async () => {
    const a = await model.analyze(await readImageFile(nihPng('txv__00000001_000.png')));
    const again = await model.analyze(await readImageFile(nihPng('txv__00000001_000.png')));
    const other = await model.analyze(await readImageFile(CR_MONO1_10BIT));
    const b = await model.analyze(await readImageFile(nihPng('jrzech__00001968_000.png')));
    expect(Array.from(again.probabilities)).toEqual(Array.from(a.probabilities));
    // The 10-bit MONOCHROME1 copy of the same radiograph reads (almost) the same.
    for (let i = 0; i < 14; i++) expect(Math.abs(other.probabilities[i] - a.probabilities[i])).toBeLessThan(1e-3);
    expect(Math.max(...a.probabilities.map((p, i) => Math.abs(p - b.probabilities[i])))).toBeGreaterThan(1e-3);
  });

  it('delivers only the latest request when an older, slower one finishes later', async () => {
    const gate = new LatestRequestGate();
    const shown: string[] = [];
    const first = await readImageFile(nihPng('jrzech__00001369_000.png'));
    const second = await readImageFile(nihPng('txv__00027426_000.png'));
    const tokenFirst = gate.begin(first.imageKey as string, 'viewport');
    const slow = model.analyze(first).then(async (r) => {
      await new Promise((done) => setTimeout(done, 200)); // the first image's result arrives last
      return r;
    });
    const tokenSecond = gate.begin(second.imageKey as string, 'viewport');
    const deliveries = [
      gate.deliverIfCurrent(tokenFirst, slow, (r) => shown.push(r.imageKey as string)),
      gate.deliverIfCurrent(tokenSecond, model.analyze(second), (r) => shown.push(r.imageKey as string)),
    ];
    expect(await Promise.all(deliveries)).toEqual([false, true]);
    expect(shown).toEqual(['txv__00027426_000.png']);
  });
});

describe('loadModel refuses a broken model', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cxr-model-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function refusal(change: (m: ModelManifest) => void, modelBytes?: Buffer): Promise<EngineError> {
    const manifest = demoManifest();
    if (modelBytes) {
      writeFileSync(join(dir, 'model.onnx'), modelBytes);
      manifest.file = 'model.onnx';
      manifest.sha256 = createHash('sha256').update(modelBytes).digest('hex');
    } else {
      manifest.file = demoModelPath;
    }
    change(manifest);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    try {
      await (await loadModelFromDisk(join(dir, 'manifest.json'), 1, 'wasm')).dispose();
    } catch (error) {
      expect(error).toBeInstanceOf(EngineError);
      return error as EngineError;
    }
    throw new Error('the model was accepted');
  }

  it('when the file does not match the manifest hash', async () => {
    const error = await refusal((m) => (m.sha256 = 'f'.repeat(64)));
    expect(error.code).toBe('model-hash-mismatch');
    expect(error.message).toMatch(/does not match its manifest \(sha256 .*expected ffffffffffff/);
  });

  it('when the manifest names outputs or shapes the model does not have', async () => {
    const renamed = await refusal((m) => (m.outputs.cams.name = 'heatmaps'));
    expect(renamed.code).toBe('model-mismatch');
    expect(renamed.message).toMatch(/output "heatmaps" is not in the model \(its outputs: .*cams/);
    const resized = await refusal((m) => {
      m.input.shape = [1, 3, 256, 256];
      m.preprocessing.outputSize = [256, 256];
    });
    expect(resized.message).toMatch(/input "image" has shape \[1, 3, 224, 224\], manifest says \[1, 3, 256, 256\]/);
    const fewer = await refusal((m) => {
      m.findings = m.findings.slice(0, 13);
      m.outputs.cams.shape = [1, 13, 7, 7];
    });
    expect(fewer.message).toMatch(/output "probabilities" has shape \[1, 14\], manifest says \[1, 13\]/);
  });

  it('when the file is not a model', async () => {
    const error = await refusal(() => undefined, Buffer.from('this is not an ONNX model'));
    expect(error.code).toBe('model-unreadable');
    expect(error.message).toMatch(/could not be started/);
  });
});
