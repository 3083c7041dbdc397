import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineError } from '../../engine';
import { labelsForFile, readNihLabels } from '../evaluation/readNihLabels';
import { rocAuc } from '../evaluation/rocAuc';
import { readImageFile } from '../io/readImageFile';
import { loadModelFromDisk } from '../nodeModel';

export interface EvaluateOptions {
  folder: string;
  labels: string;
  manifest?: string;
  json: boolean;
  threads?: number;
}

// PACS exports often name DICOM files without an extension; readImageFile goes by content.
const IMAGE_FILE = /(\.(png|jpe?g|dcm|dicom)|^[^.]+)$/i;

/** Per-finding AUC on a site's own labelled images, in the layout of the CheXNet paper's table. */
export async function evaluate(options: EvaluateOptions): Promise<void> {
  const labels = readNihLabels(options.labels);
  let names: string[];
  try {
    names = (await readdir(options.folder)).filter((n) => IMAGE_FILE.test(n)).sort();
  } catch {
    throw new EngineError('image-unsupported', `Cannot read the folder ${options.folder}.`);
  }
  const labelled = names.filter((n) => labelsForFile(labels, n));
  if (labelled.length === 0) {
    throw new EngineError(
      'image-unsupported',
      `None of the ${names.length} images in ${options.folder} has a row in ${options.labels}.`,
    );
  }
  const model = await loadModelFromDisk(options.manifest, options.threads);
  const findings = model.manifest.findings;
  const scores: number[][] = findings.map(() => []);
  const truth: boolean[][] = findings.map(() => []);
  try {
    for (const name of labelled) {
      const result = await model.analyze(await readImageFile(join(options.folder, name)));
      const present = labelsForFile(labels, name) ?? new Set();
      result.findings.forEach((f, i) => {
        scores[i].push(f.probability);
        truth[i].push(present.has(f.name));
      });
    }
  } finally {
    await model.dispose();
  }
  const rows = findings.map((f, i) => {
    const positives = truth[i].filter(Boolean).length;
    return { name: f.name, auc: rocAuc(scores[i], truth[i]), positives, negatives: truth[i].length - positives };
  });
  const defined = rows.filter((r) => r.auc !== undefined);
  const meanAuc = defined.length ? defined.reduce((s, r) => s + (r.auc as number), 0) / defined.length : undefined;
  const identity = {
    name: model.manifest.name,
    version: model.manifest.version,
    sha256: model.manifest.sha256,
    demo: model.manifest.demo,
  };
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ images: labelled.length, model: identity, backend: model.backend, findings: rows, meanAuc })}\n`,
    );
    return;
  }
  const lines: string[] = [];
  if (identity.demo) lines.push('*** DEMO WEIGHTS (untrained): these AUCs only show the tool works. ***', '');
  lines.push(
    `${labelled.length} labelled images, ${identity.name} ${identity.version} (sha256 ${identity.sha256.slice(0, 12)}…) on ${model.backend.toUpperCase()}`,
    '',
  );
  lines.push(`${'Pathology'.padEnd(20)}${'AUROC'.padStart(8)}${'Positives'.padStart(11)}${'Negatives'.padStart(11)}`);
  for (const r of rows) {
    const auc = r.auc === undefined ? 'n/a' : r.auc.toFixed(4);
    lines.push(
      `${r.name.padEnd(20)}${auc.padStart(8)}${String(r.positives).padStart(11)}${String(r.negatives).padStart(11)}`,
    );
  }
  lines.push(
    `${'Mean'.padEnd(20)}${(meanAuc === undefined ? 'n/a' : meanAuc.toFixed(4)).padStart(8)}   (over ${defined.length} findings with both classes)`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}
