import { EngineError } from '../../engine';
import { compareFiles, fileListSha256 } from '../evaluation/imageFiles';
import type { PredictionRow } from '../evaluation/predictionsCsv';
import { readReport, writeReport } from '../evaluation/reportFiles';
import { summaryTable } from '../evaluation/summary';

export interface MergeOptions {
  dirs: string[];
  reportDir: string;
  json: boolean;
}

/**
 * Joins the reports of the shards of one run (`evaluate --shard i/N --report <dir>` each) into one
 * report, the same as a single run on all images: same model, labels and file list in every
 * shard, no image twice, every image once.
 */
export async function merge(options: MergeOptions): Promise<void> {
  const reports = await Promise.all(options.dirs.map((dir) => readReport(dir)));
  const [first] = reports;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  reports.forEach((r, i) => {
    const dir = options.dirs[i];
    if (!same(r.context.model, first.context.model))
      throw new EngineError('model-mismatch', `${dir} ran another model.`);
    if (!same(r.context.findings, first.context.findings))
      throw new EngineError('model-mismatch', `${dir} used other findings or thresholds.`);
    if (!same(r.context.labels, first.context.labels))
      throw new EngineError('image-unsupported', `${dir} used other labels.`);
    if (!same(r.context.fileList, first.context.fileList))
      throw new EngineError('image-unsupported', `${dir} is a shard of a run over other images.`);
  });
  const backends = [...new Set(reports.map((r) => r.context.backend))].sort();
  const rows = new Map<string, PredictionRow>();
  for (const [i, report] of reports.entries()) {
    for (const row of report.rows) {
      if (rows.has(row.file))
        throw new EngineError('image-unsupported', `${row.file} is in more than one shard (${options.dirs[i]}).`);
      rows.set(row.file, row);
    }
  }
  const files = [...rows.keys()].sort(compareFiles);
  const { fileList } = first.context;
  if (files.length !== fileList.count || fileListSha256(files) !== fileList.sha256) {
    throw new EngineError(
      'image-unsupported',
      `The shards cover ${files.length} of the run's ${fileList.count} images; merge all shards, each complete.`,
    );
  }
  const context = { ...first.context, backend: backends.join('+') };
  const summary = await writeReport(options.reportDir, [...rows.values()], context);
  if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else process.stdout.write(`${summaryTable(summary)}\nmerged ${reports.length} shards into ${options.reportDir}\n`);
}
