import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineError } from '../../engine';
import type { PredictionRow } from '../evaluation/predictionsCsv';
import { runPredictions, type PredictionOptions } from '../evaluation/runPredictions';
import { pairedDelong, type PairedDelong } from '../evaluation/statistics';
import { DEMO_NOTICE } from '../evaluation/summary';

export interface CompareOptions extends Omit<PredictionOptions, 'resume' | 'shard'> {
  /** The current model (A) is `manifest`; the candidate model (B) is this. */
  candidate: string;
  json: boolean;
}

export interface FindingComparison extends Partial<PairedDelong> {
  name: string;
  positives: number;
  negatives: number;
}

/** Paired scores: images both models analysed and that are labelled for the finding. */
function paired(a: Map<string, PredictionRow>, b: Map<string, PredictionRow>, i: number) {
  const scoresA: number[] = [];
  const scoresB: number[] = [];
  const truth: boolean[] = [];
  for (const [file, rowA] of a) {
    const rowB = b.get(file);
    const label = rowA.labels[i];
    if (!rowA.probabilities || !rowB?.probabilities || label === undefined) continue;
    scoresA.push(rowA.probabilities[i]);
    scoresB.push(rowB.probabilities[i]);
    truth.push(label);
  }
  return { scoresA, scoresB, truth };
}

/**
 * Two models on the same labelled images: per finding, each AUROC, the difference (candidate
 * minus current) with its 95% CI and the two-sided p-value of DeLong's paired test.
 */
export async function compare(options: CompareOptions): Promise<FindingComparison[]> {
  const common = { ...options, reportDir: undefined, resume: false };
  const a = await runPredictions({ ...common, manifest: options.manifest });
  const b = await runPredictions({ ...common, manifest: options.candidate });
  const namesA = a.context.findings.map((f) => f.name);
  const namesB = b.context.findings.map((f) => f.name);
  if (namesA.join('\n') !== namesB.join('\n')) {
    throw new EngineError('model-mismatch', 'The two models do not output the same findings in the same order.');
  }
  const rowsA = new Map(a.rows.map((r) => [r.file, r]));
  const rowsB = new Map(b.rows.map((r) => [r.file, r]));
  const findings: FindingComparison[] = namesA.map((name, i) => {
    const { scoresA, scoresB, truth } = paired(rowsA, rowsB, i);
    const positives = truth.filter(Boolean).length;
    return { name, positives, negatives: truth.length - positives, ...pairedDelong(scoresA, scoresB, truth) };
  });
  const models = { current: a.context.model, candidate: b.context.model };
  const output = {
    ...(a.context.model.demo || b.context.model.demo ? { notice: DEMO_NOTICE } : {}),
    createdAt: new Date().toISOString(),
    models,
    method: 'DeLong et al. 1988 paired test of two correlated AUROCs; difference = candidate - current, 95% CI',
    images: findings.length ? Math.max(...findings.map((f) => f.positives + f.negatives)) : 0,
    findings,
  };
  if (options.reportDir) {
    await mkdir(options.reportDir, { recursive: true });
    await writeFile(join(options.reportDir, 'compare.json'), `${JSON.stringify(output, null, 2)}\n`);
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(output)}\n`);
    return findings;
  }
  const f3 = (v: number | undefined, d = 4) => (v === undefined ? 'n/a' : v.toFixed(d));
  const lines = output.notice ? [`*** ${output.notice} ***`, ''] : [];
  lines.push(
    `current:   ${models.current.name} ${models.current.version} (sha256 ${models.current.sha256.slice(0, 12)}…)`,
    `candidate: ${models.candidate.name} ${models.candidate.version} (sha256 ${models.candidate.sha256.slice(0, 12)}…)`,
    `${output.images} images; DeLong's paired test, difference = candidate - current`,
    '',
    `${'Pathology'.padEnd(20)}${'current'.padStart(9)}${'candidate'.padStart(11)}${'diff'.padStart(9)}${'95% CI'.padStart(18)}${'p'.padStart(8)}`,
  );
  for (const f of findings) {
    const ci = f.ci ? `${f.ci.lower.toFixed(3)} to ${f.ci.upper.toFixed(3)}` : 'n/a';
    lines.push(
      `${f.name.padEnd(20)}${f3(f.aucA).padStart(9)}${f3(f.aucB).padStart(11)}${f3(f.difference).padStart(9)}${ci.padStart(18)}${f3(f.pValue, 3).padStart(8)}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return findings;
}
