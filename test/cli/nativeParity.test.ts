/**
 * The CLI's default backend (onnxruntime-node on the CPU) against `--backend wasm` (onnxruntime-web's
 * WASM backend, what the viewer computes on the CPU): the real demo model on the real NIH
 * radiographs, probabilities and raw CAMs within 1e-5. No timings are asserted.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisResult, LoadedModel } from '../../extension/src/engine';
import { readImageFile } from '../../extension/src/cli/io/readImageFile';
import { DEFAULT_CLI_BACKEND, loadModelFromDisk } from '../../extension/src/cli/nodeModel';
import { NIH_PNG_DIR, nihPng } from '../fixtures/paths';
import { cli, cliOk, ensureCliBuilt } from '../support/runCli';

const TOLERANCE = 1e-5;

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe('CLI backends: cpu-native (default) and wasm agree', () => {
  const images = readdirSync(NIH_PNG_DIR)
    .filter((f) => f.endsWith('.png'))
    .sort();
  let native: LoadedModel;
  let wasm: LoadedModel;

  beforeAll(async () => {
    ensureCliBuilt();
    native = await loadModelFromDisk(undefined, 1);
    wasm = await loadModelFromDisk(undefined, 1, 'wasm');
  }, 120_000);
  afterAll(async () => {
    await native?.dispose();
    await wasm?.dispose();
  });

  it('defaults to onnxruntime-node and names each backend honestly', () => {
    expect(DEFAULT_CLI_BACKEND).toBe('cpu-native');
    expect(native.backend).toBe('cpu-native');
    expect(wasm.backend).toBe('wasm');
  });

  it(`gives the same probabilities and CAMs (within ${TOLERANCE}) on every real NIH image`, async () => {
    expect(images.length).toBeGreaterThanOrEqual(6);
    for (const file of images) {
      const pixels = await readImageFile(join(NIH_PNG_DIR, file));
      const a: AnalysisResult = await native.analyze(pixels);
      const b: AnalysisResult = await wasm.analyze(pixels);
      expect(a.backend).toBe('cpu-native');
      expect(b.backend).toBe('wasm');
      expect(a.cams.shape).toEqual(b.cams.shape);
      const probabilities = maxAbsDifference(a.probabilities, b.probabilities);
      const cams = maxAbsDifference(a.cams.data, b.cams.data);
      expect({ file, probabilities: probabilities <= TOLERANCE, cams: cams <= TOLERANCE }).toEqual({
        file,
        probabilities: true,
        cams: true,
      });
      // Not a vacuous comparison: the maps are not all zero.
      expect(Math.max(...a.cams.data)).toBeGreaterThan(0);
    }
  }, 120_000);

  it('predict --backend wasm and the default give the same findings; a wrong name is a usage error', async () => {
    const file = nihPng('jrzech__00001369_000.png');
    const byDefault = JSON.parse(await cliOk('predict', file, '--json'));
    const onWasm = JSON.parse(await cliOk('predict', file, '--json', '--backend', 'wasm'));
    expect(byDefault.backend).toBe('cpu-native');
    expect(onWasm.backend).toBe('wasm');
    const p = (out: { findings: { probability: number }[] }) => out.findings.map((f) => f.probability);
    expect(maxAbsDifference(p(byDefault), p(onWasm))).toBeLessThanOrEqual(TOLERANCE);

    const wrong = await cli('predict', file, '--backend', 'gpu');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim()).toBe('error: --backend must be one of cpu-native, wasm');
  }, 120_000);

  it('the evaluate worker pool runs the chosen backend in every worker and reports it', async () => {
    const labels = join(__dirname, '..', 'fixtures', 'nih-labels.csv');
    const run = async (...extra: string[]) =>
      JSON.parse(await cliOk('evaluate', NIH_PNG_DIR, '--labels', labels, '--workers', '2', '--json', ...extra)) as {
        backend: string;
        run: { workers: number };
        findings: { name: string; auc?: number }[];
      };
    const onNative = await run();
    const onWasm = await run('--backend', 'wasm');
    expect(onNative.backend).toBe('cpu-native');
    expect(onWasm.backend).toBe('wasm');
    expect(onNative.run.workers).toBe(2);
    // Probabilities 1e-5 apart leave every AUROC of six images as it is.
    expect(onNative.findings.map((f) => f.auc)).toEqual(onWasm.findings.map((f) => f.auc));
  }, 120_000);
});
