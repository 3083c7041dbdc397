import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeReport } from '../evaluation/reportFiles';
import { runPredictions, type PredictionOptions, type PredictionRun } from '../evaluation/runPredictions';
import { summarize, summaryTable, type Summary } from '../evaluation/summary';

export interface EvaluateOptions extends PredictionOptions {
  json: boolean;
}

export function runStatistics(run: PredictionRun) {
  const rate = run.seconds > 0 ? run.ran / run.seconds : undefined;
  return {
    workers: run.workers,
    threadsPerWorker: run.threadsPerWorker,
    imagesRun: run.ran,
    imagesResumed: run.resumed,
    unlabelledSkipped: run.unlabelled,
    seconds: run.seconds,
    ...(rate !== undefined ? { imagesPerSecond: rate } : {}),
  };
}

export function runLine(run: PredictionRun): string {
  const s = runStatistics(run);
  const rate = s.imagesPerSecond === undefined ? '' : `, ${s.imagesPerSecond.toFixed(2)} images/s`;
  const resumed = s.imagesResumed ? `, ${s.imagesResumed} resumed from the report` : '';
  const skipped = s.unlabelledSkipped ? `; ${s.unlabelledSkipped} images without labels skipped` : '';
  return `ran ${s.imagesRun} images in ${s.seconds.toFixed(1)} s on ${s.workers} worker(s) x ${s.threadsPerWorker} thread(s) on ${run.context.backend}${rate}${resumed}${skipped}`;
}

/**
 * Site validation on a folder tree of labelled images: per finding AUROC with its DeLong 95% CI,
 * and sensitivity, specificity, PPV and NPV at the manifest's threshold with Wilson intervals;
 * with a report folder, predictions.csv, summary.json, the ROC figure and an HTML report.
 */
export async function evaluate(options: EvaluateOptions): Promise<Summary> {
  const shard = options.shard ? `${options.shard.index}/${options.shard.count}` : undefined;
  const run = await runPredictions(options);
  const summary = options.reportDir
    ? await writeReport(options.reportDir, run.rows, run.context, { shard })
    : summarize(run.rows, run.context, new Date().toISOString(), shard);
  if (options.reportDir) {
    await writeFile(
      join(options.reportDir, 'run.json'),
      `${JSON.stringify({ modelSha256: run.context.model.sha256, labelsSha256: run.context.labels.sha256, fileListSha256: run.context.fileList.sha256, ...(shard ? { shard } : {}), run: runStatistics(run) }, null, 2)}\n`,
    );
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...summary, run: runStatistics(run) })}\n`);
  } else {
    const written = options.reportDir
      ? `\nreport: ${options.reportDir} (predictions.csv, summary.json, roc.png, report.html)`
      : '';
    process.stdout.write(`${summaryTable(summary)}\n${runLine(run)}${written}\n`);
  }
  return summary;
}
