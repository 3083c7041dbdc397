/**
 * `calibrate` and `compare` through the compiled CLI with the real demo model: the new manifest
 * validates, names the same .onnx and sha256, carries thresholds a brute-force Youden search
 * finds too, loads, and the viewer's banner shows the calibration note; `compare` reports DeLong's
 * paired test on the two models' own predictions.
 */
import { parse } from 'csv-parse/sync';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { validateManifest, type ModelManifest } from '../../extension/src/engine';
import { pairedDelong } from '../../extension/src/cli/evaluation/statistics';
import { loadModelFromDisk } from '../../extension/src/cli/nodeModel';
import { ModelBanner } from '../../extension/src/components/ModelBanner';
import { ModelLoader } from '../../extension/src/services/ModelLoader';
import { NIH_PNG_DIR, nihPng } from '../fixtures/paths';
import { cliOk, ensureCliBuilt, root } from '../support/runCli';

const LABELS = join(root, 'test/fixtures/nih-labels.csv');
const DEMO_MANIFEST = join(root, 'models/demo/manifest.json');

let work: string;
let predictions: Record<string, string>[];

beforeAll(async () => {
  ensureCliBuilt();
  work = mkdtempSync(join(tmpdir(), 'cxr-calibrate-'));
  await cliOk('evaluate', NIH_PNG_DIR, '--labels', LABELS, '--report', join(work, 'eval'), '--workers', '1');
  predictions = parse(readFileSync(join(work, 'eval', 'predictions.csv'), 'utf8'), { columns: true });
}, 240_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function columns(finding: string, rows = predictions) {
  return {
    scores: rows.map((r) => Number(r[`prob_${finding}`])),
    truth: rows.map((r) => r[`label_${finding}`] === '1'),
  };
}

/** Sensitivity and specificity calling positive at or above t. */
function rates(scores: number[], truth: boolean[], t: number) {
  const pos = truth.filter(Boolean).length;
  const tp = scores.filter((s, i) => truth[i] && s >= t).length;
  const tn = scores.filter((s, i) => !truth[i] && s < t).length;
  return { sensitivity: tp / pos, specificity: tn / (truth.length - pos) };
}

describe('cxr-ai calibrate', () => {
  it("writes a manifest that validates, names the same model file, and holds Youden's cut-offs", async () => {
    const out = join(work, 'youden');
    const printed = await cliOk('calibrate', NIH_PNG_DIR, '--labels', LABELS, '--out', out, '--workers', '2');
    expect(printed).toMatch(/DEMO WEIGHTS/);
    const manifest = validateManifest(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')));
    const demo = JSON.parse(readFileSync(DEMO_MANIFEST, 'utf8')) as ModelManifest;
    expect(resolve(out, manifest.file)).toBe(join(root, 'models/demo/model.onnx'));
    expect(manifest.sha256).toBe(demo.sha256);
    expect(manifest.calibration).toMatchObject({ rule: 'youden', images: 6 });
    expect(manifest.calibration?.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const summary = JSON.parse(readFileSync(join(work, 'eval', 'summary.json'), 'utf8'));
    expect(manifest.calibration?.dataSha256).toBe(summary.data.dataSha256);
    for (const [i, finding] of manifest.findings.entries()) {
      const { scores, truth } = columns(finding.name);
      const both = truth.some(Boolean) && truth.some((t) => !t);
      if (!both) {
        expect(finding.threshold).toBe(demo.findings[i].threshold);
        expect(manifest.calibration?.findings).not.toContain(finding.name);
        continue;
      }
      // Brute force: every observed score as the cut-off; the best J, the highest score on ties.
      let best = { j: -Infinity, t: NaN };
      for (const t of [...new Set(scores)].sort((a, b) => b - a)) {
        const r = rates(scores, truth, t);
        if (r.sensitivity + r.specificity - 1 > best.j) best = { j: r.sensitivity + r.specificity - 1, t };
      }
      expect(finding.threshold).toBe(Math.min(1 - 1e-6, Math.max(1e-6, best.t)));
      expect(manifest.calibration?.findings).toContain(finding.name);
    }
  }, 120_000);

  it('--sensitivity 0.9 takes the most specific cut-off that still finds 90% of positives', async () => {
    const out = join(work, 'sens');
    await cliOk('calibrate', NIH_PNG_DIR, '--labels', LABELS, '--out', out, '--sensitivity', '0.9', '--workers', '1');
    const manifest = validateManifest(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')));
    expect(manifest.calibration).toMatchObject({ rule: 'sensitivity', targetSensitivity: 0.9 });
    for (const name of manifest.calibration?.findings ?? []) {
      const threshold = manifest.findings.find((f) => f.name === name)?.threshold as number;
      const { scores, truth } = columns(name);
      expect(rates(scores, truth, threshold).sensitivity).toBeGreaterThanOrEqual(0.9);
      for (const higher of scores.filter((s) => s > threshold)) {
        expect(rates(scores, truth, higher).sensitivity).toBeLessThan(0.9);
      }
    }
  }, 120_000);

  it('the calibrated manifest loads, predicts against its new thresholds, and the viewer shows the note', async () => {
    const path = join(work, 'youden', 'manifest.json');
    const manifest = validateManifest(JSON.parse(readFileSync(path, 'utf8')));
    const out = JSON.parse(await cliOk('predict', nihPng('txv__00000001_000.png'), '--model', path, '--json')) as {
      findings: { name: string; threshold: number }[];
    };
    expect(out.findings.map((f) => f.threshold)).toEqual(manifest.findings.map((f) => f.threshold));

    const loader = new ModelLoader(
      () => loadModelFromDisk(path, 1),
      () => undefined,
    );
    try {
      await loader.ensure();
      const state = loader.state();
      expect(state.calibration).toEqual({ images: 6, date: manifest.calibration?.date });
      const html = renderToStaticMarkup(createElement(ModelBanner, { model: state }));
      expect(html).toContain(`cut-offs calibrated on 6 site images, ${manifest.calibration?.date}`);
    } finally {
      await loader.dispose();
    }
    const plain = new ModelLoader(
      () => loadModelFromDisk(DEMO_MANIFEST, 1),
      () => undefined,
    );
    try {
      await plain.ensure();
      expect(plain.state().calibration).toBeUndefined();
      expect(renderToStaticMarkup(createElement(ModelBanner, { model: plain.state() }))).not.toMatch(/calibrated/);
    } finally {
      await plain.dispose();
    }
  }, 120_000);
});

describe('cxr-ai compare', () => {
  it("gives each model's AUROC and DeLong's paired test on their own predictions", async () => {
    const other = join(work, 'seed7');
    execFileSync(
      process.execPath,
      [require.resolve('tsx/cli'), 'models/scripts/build-demo-model.ts', '--out', other, '--seed', '7'],
      { cwd: root, stdio: 'ignore' },
    );
    const candidate = join(other, 'manifest.json');
    await cliOk(
      'evaluate',
      NIH_PNG_DIR,
      '--labels',
      LABELS,
      '--model',
      candidate,
      '--report',
      join(work, 'eval7'),
      '--workers',
      '1',
    );
    const predictions7: Record<string, string>[] = parse(readFileSync(join(work, 'eval7', 'predictions.csv'), 'utf8'), {
      columns: true,
    });
    const out = JSON.parse(
      await cliOk('compare', NIH_PNG_DIR, '--labels', LABELS, '--candidate', candidate, '--json', '--workers', '2'),
    ) as {
      models: { current: { version: string }; candidate: { version: string } };
      findings: {
        name: string;
        aucA?: number;
        aucB?: number;
        difference?: number;
        variance?: number;
        pValue?: number;
      }[];
    };
    expect(out.models.candidate.version).toMatch(/seed\.7/);
    expect(out.models.current.version).not.toBe(out.models.candidate.version);
    for (const f of out.findings) {
      const a = columns(f.name);
      const b = columns(f.name, predictions7);
      const expected = pairedDelong(a.scores, b.scores, a.truth);
      if (!expected) {
        expect(f.aucA).toBeUndefined();
        continue;
      }
      expect(f.aucA).toBe(expected.aucA);
      expect(f.aucB).toBe(expected.aucB);
      expect(f.difference).toBe(expected.aucB - expected.aucA);
      expect(f.pValue).toBe(expected.pValue);
    }
    expect(out.findings.find((f) => f.name === 'Cardiomegaly')?.pValue).toBeGreaterThan(0);
  }, 180_000);
});
