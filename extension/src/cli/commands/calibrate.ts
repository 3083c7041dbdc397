import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep, posix, isAbsolute } from 'node:path';
import { validateManifest, type ManifestCalibration, type ModelManifest } from '../../engine';
import { dataSha256 } from '../evaluation/imageFiles';
import { runPredictions, type PredictionOptions } from '../evaluation/runPredictions';
import { chooseThreshold, operatingPoint, type ThresholdRule } from '../evaluation/statistics';
import { DEMO_NOTICE, scoresFor } from '../evaluation/summary';
import { runLine } from './evaluate';

export interface CalibrateOptions extends Omit<PredictionOptions, 'reportDir' | 'resume' | 'shard'> {
  out: string;
  /** Target sensitivity; without it, Youden's J. */
  sensitivity?: number;
  json: boolean;
}

/** Thresholds must stay strictly inside (0, 1), as the manifest schema requires. */
const EPSILON = 1e-6;
const clampThreshold = (t: number) => Math.min(1 - EPSILON, Math.max(EPSILON, t));

/**
 * Chooses each finding's operating threshold from the site's labelled images and writes a new
 * manifest into `out`: same model file (named by a path that resolves from there) and sha256,
 * the new thresholds, and a `calibration` record of where they came from.
 */
export async function calibrate(options: CalibrateOptions): Promise<ModelManifest> {
  const run = await runPredictions(options);
  const rule: ThresholdRule =
    options.sensitivity === undefined ? { kind: 'youden' } : { kind: 'sensitivity', target: options.sensitivity };
  const analysed = run.rows.filter((r) => r.probabilities);
  const calibrated: string[] = [];
  const table: string[] = [];
  const findings = run.manifest.findings.map((finding, i) => {
    const { scores, truth } = scoresFor(analysed, i);
    const chosen = finding.trained === false ? undefined : chooseThreshold(scores, truth, rule);
    if (!chosen) {
      table.push(
        `${finding.name.padEnd(20)}${finding.threshold.toFixed(4).padStart(10)}   kept (needs positives and negatives)`,
      );
      return finding;
    }
    calibrated.push(finding.name);
    const threshold = clampThreshold(chosen.threshold);
    const op = operatingPoint(scores, truth, threshold);
    table.push(
      `${finding.name.padEnd(20)}${finding.threshold.toFixed(4).padStart(10)}${threshold.toFixed(4).padStart(10)}` +
        `${(op.sensitivity.value ?? 0).toFixed(3).padStart(8)}${(op.specificity.value ?? 0).toFixed(3).padStart(8)}`,
    );
    return { ...finding, threshold };
  });
  const calibration: ManifestCalibration = {
    rule: rule.kind === 'youden' ? 'youden' : 'sensitivity',
    ...(rule.kind === 'sensitivity' ? { targetSensitivity: rule.target } : {}),
    images: analysed.length,
    dataSha256: dataSha256(analysed),
    labelsSha256: run.context.labels.sha256,
    date: new Date().toISOString().slice(0, 10),
    findings: calibrated,
  };
  const outDir = resolve(options.out);
  const modelFile = resolve(dirname(run.manifestPath), run.manifest.file);
  let file = relative(outDir, modelFile).split(sep).join(posix.sep);
  if (isAbsolute(file)) file = modelFile;
  const original = JSON.parse(await readFile(run.manifestPath, 'utf8')) as Record<string, unknown>;
  const manifest = validateManifest({ ...original, file, findings, calibration });
  await mkdir(outDir, { recursive: true });
  const target = join(outDir, 'manifest.json');
  await writeFile(target, `${JSON.stringify(manifest, null, 2)}\n`);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ manifest: target, calibration, findings })}\n`);
  } else {
    const ruleText =
      rule.kind === 'youden'
        ? "Youden's J (max sensitivity + specificity - 1)"
        : `the most specific cut-off with sensitivity >= ${rule.target}`;
    const lines = run.manifest.demo ? [`*** ${DEMO_NOTICE} ***`, ''] : [];
    lines.push(
      `Cut-offs by ${ruleText} on ${analysed.length} images (data sha256 ${calibration.dataSha256.slice(0, 12)}…)`,
      '',
    );
    lines.push(
      `${'Finding'.padEnd(20)}${'old'.padStart(10)}${'new'.padStart(10)}${'Sens'.padStart(8)}${'Spec'.padStart(8)}`,
    );
    lines.push(...table, '', `wrote ${target} (model file ${file}, sha256 unchanged)`, runLine(run));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return manifest;
}
