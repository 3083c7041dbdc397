import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { EngineError } from '../../engine';
import { htmlReport } from './htmlReport';
import { parsePredictionsCsv, predictionsCsv, type PredictionRow } from './predictionsCsv';
import { renderRocFigure, type RocSeries } from './rocFigure';
import { rocCurves, summarize, type RunContext, type Summary } from './summary';
import { compareFiles } from './imageFiles';

export const REPORT_FILES = {
  predictions: 'predictions.csv',
  summary: 'summary.json',
  rocPng: 'roc.png',
  rocSvg: 'roc.svg',
  html: 'report.html',
} as const;

/** This tool's name and version, from the package.json above this file (source or build). */
export function software(): RunContext['software'] {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    if (existsSync(path)) {
      const pkg = JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'chest-xray-ai-ohif') return { name: 'cxr-ai', version: pkg.version ?? 'unknown' };
    }
  }
  return { name: 'cxr-ai', version: 'unknown' };
}

async function writeAtomically(path: string, data: string | Buffer): Promise<void> {
  await writeFile(`${path}.part`, data);
  await rename(`${path}.part`, path);
}

export function rocSeries(rows: readonly PredictionRow[], context: RunContext, summary: Summary): RocSeries[] {
  const curves = rocCurves(rows, context);
  return summary.findings.flatMap((f, i) => {
    if (f.auc === undefined) return [];
    const op = f.operatingPoint;
    const negatives = op.fp + op.tn;
    const positives = op.tp + op.fn;
    return [
      {
        finding: f.name,
        auc: f.auc,
        curve: curves[i],
        operatingPoint: { fpr: op.fp / negatives, tpr: op.tp / positives, threshold: f.threshold },
      },
    ];
  });
}

/** Writes predictions.csv, summary.json, roc.png (and .svg) and report.html; returns the summary. */
export async function writeReport(
  dir: string,
  unsortedRows: readonly PredictionRow[],
  context: RunContext,
  options: { createdAt?: string; shard?: string } = {},
): Promise<Summary> {
  const rows = [...unsortedRows].sort((a, b) => compareFiles(a.file, b.file));
  const summary = summarize(rows, context, options.createdAt ?? new Date().toISOString(), options.shard);
  await mkdir(dir, { recursive: true });
  await writeAtomically(
    join(dir, REPORT_FILES.predictions),
    predictionsCsv(
      rows,
      context.findings.map((f) => f.name),
    ),
  );
  await writeAtomically(join(dir, REPORT_FILES.summary), `${JSON.stringify({ ...summary, context }, null, 2)}\n`);
  const m = context.model;
  const title = `ROC curves: ${m.name} ${m.version}${m.demo ? ' (DEMO weights, untrained)' : ''}, ${summary.images} images`;
  const { svg, png } = await renderRocFigure(rocSeries(rows, context, summary), title);
  await writeAtomically(join(dir, REPORT_FILES.rocPng), png);
  await writeAtomically(join(dir, REPORT_FILES.rocSvg), svg);
  await writeAtomically(join(dir, REPORT_FILES.html), htmlReport(summary, png));
  return summary;
}

export interface ReadReport {
  summary: Summary;
  context: RunContext;
  rows: PredictionRow[];
}

/** A report directory read back (for merge and resume): its run context and its rows. */
export async function readReport(dir: string): Promise<ReadReport> {
  let summaryText: string;
  let csv: string;
  try {
    summaryText = await readFile(join(dir, REPORT_FILES.summary), 'utf8');
    csv = await readFile(join(dir, REPORT_FILES.predictions), 'utf8');
  } catch {
    throw new EngineError('image-unsupported', `${dir} holds no evaluation report (summary.json, predictions.csv).`);
  }
  const { context, ...summary } = JSON.parse(summaryText) as Summary & { context: RunContext };
  const rows = parsePredictionsCsv(
    csv,
    context.findings.map((f) => f.name),
    join(dir, REPORT_FILES.predictions),
  );
  return { summary, context, rows };
}
