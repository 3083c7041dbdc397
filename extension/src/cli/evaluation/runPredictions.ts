import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EngineError, type ModelManifest } from '../../engine';
import { DEFAULT_MANIFEST, type CliBackend } from '../nodeModel';
import { fileListSha256, filesOfShard, listImageFiles, type Shard } from './imageFiles';
import { labelOf, readLabelTable, rowForFile, type LabelTable } from './labelTable';
import { parsePredictionsCsv, predictionLine, predictionsHeader, type PredictionRow } from './predictionsCsv';
import { ProgressBar } from './progressBar';
import { REPORT_FILES, software } from './reportFiles';
import type { RunContext } from './summary';
import { runPool } from './workerPool';

export interface PredictionOptions {
  folder: string;
  labels: string;
  manifest?: string;
  workers?: number;
  threads?: number;
  backend?: CliBackend;
  /** Draw the progress bar on stderr even when it is not a terminal. */
  progress?: boolean;
  shard?: Shard;
  /** Report folder: rows are appended to its predictions.csv as images finish. */
  reportDir?: string;
  /** Skip images already in the report folder's predictions.csv. */
  resume?: boolean;
}

export interface PredictionRun {
  rows: PredictionRow[];
  context: RunContext;
  manifest: ModelManifest;
  manifestPath: string;
  labelTable: LabelTable;
  /** Images run now (not resumed), and the seconds from the first model ready to the last image. */
  ran: number;
  seconds: number;
  workers: number;
  threadsPerWorker: number;
  resumed: number;
  unlabelled: number;
}

interface RunFile {
  modelSha256: string;
  labelsSha256: string;
  fileListSha256: string;
  shard?: string;
}

const shardText = (shard?: Shard) => (shard ? `${shard.index}/${shard.count}` : undefined);

/**
 * The images of `folder` that have labels (this shard's share), run through the model over the
 * worker pool; with a report folder each row is appended to predictions.csv as it finishes, so an
 * interrupted run can `--resume`.
 */
export async function runPredictions(options: PredictionOptions): Promise<PredictionRun> {
  const labelTable = readLabelTable(options.labels);
  const all = await listImageFiles(options.folder);
  const labelled = all.filter((f) => rowForFile(labelTable, f));
  if (labelled.length === 0) {
    throw new EngineError(
      'image-unsupported',
      `None of the ${all.length} images under ${options.folder} has a row in ${options.labels}.`,
    );
  }
  const fileList = { count: labelled.length, sha256: fileListSha256(labelled) };
  const mine = filesOfShard(labelled, options.shard);
  const manifestPath = resolve(options.manifest ?? DEFAULT_MANIFEST);

  const runFile = options.reportDir ? join(options.reportDir, 'run.json') : undefined;
  const csvPath = options.reportDir ? join(options.reportDir, REPORT_FILES.predictions) : undefined;
  let previousRun: RunFile | undefined;
  if (options.resume) {
    if (!runFile || !csvPath) throw new EngineError('image-unsupported', '--resume needs --report <dir>.');
    if (existsSync(runFile) && existsSync(csvPath)) {
      previousRun = JSON.parse(await readFile(runFile, 'utf8')) as RunFile;
      if (previousRun.fileListSha256 !== fileList.sha256 || previousRun.shard !== shardText(options.shard)) {
        throw new EngineError(
          'image-unsupported',
          `${options.reportDir} was written for other images or another shard.`,
        );
      }
    }
  }

  let pending: PredictionRow[] = [];
  let context: RunContext | undefined;
  let manifest: ModelManifest | undefined;
  const labelsOf = (file: string, names: readonly string[]) => {
    const row = rowForFile(labelTable, file) ?? new Map<string, boolean>();
    return names.map((name) => labelOf(labelTable, row, name));
  };

  let started = 0;
  let resumed = 0;
  const collected: PredictionRow[] = [];
  let appendChain: Promise<void> = Promise.resolve();

  const prepare = async (loaded: ModelManifest, backend: string) => {
    manifest = loaded;
    const names = loaded.findings.map((f) => f.name);
    context = {
      model: { name: loaded.name, version: loaded.version, sha256: loaded.sha256, demo: loaded.demo },
      findings: loaded.findings.map((f) => ({ name: f.name, threshold: f.threshold, trained: f.trained !== false })),
      backend,
      labels: { format: labelTable.format, sha256: labelTable.sha256 },
      fileList,
      software: software(),
    };
    if (previousRun && csvPath) {
      if (previousRun.modelSha256 !== loaded.sha256 || previousRun.labelsSha256 !== labelTable.sha256) {
        throw new EngineError('image-unsupported', `${options.reportDir} was written with another model or labels.`);
      }
      const wanted = new Set(mine);
      pending = parsePredictionsCsv(await readFile(csvPath, 'utf8'), names, csvPath).filter((r) => wanted.has(r.file));
    }
    if (options.reportDir && csvPath && runFile) {
      await mkdir(options.reportDir, { recursive: true });
      const run: RunFile = {
        modelSha256: loaded.sha256,
        labelsSha256: labelTable.sha256,
        fileListSha256: fileList.sha256,
        ...(options.shard ? { shard: shardText(options.shard) } : {}),
      };
      await writeFile(runFile, `${JSON.stringify(run, null, 2)}\n`);
      const kept = pending.map((r) => predictionLine(r, names.length));
      await writeFile(csvPath, `${[predictionsHeader(names), ...kept].join('\n')}\n`);
    }
  };

  // An old predictions.csv is read against the model's findings: when resuming, the model is
  // loaded once first (no images) to learn them.
  const done = new Set<string>();
  if (previousRun) {
    const probe = await runPool(
      [],
      { manifest: manifestPath, workers: 1, threads: 1, backend: options.backend },
      () => undefined,
    );
    await prepare(probe.manifest, probe.backend);
    for (const row of pending) done.add(row.file);
    resumed = pending.length;
  }
  const queue = mine.filter((f) => !done.has(f)).map((file) => ({ file, path: join(options.folder, file) }));
  const bar = new ProgressBar(queue.length, options.progress === true || process.stderr.isTTY === true);
  const run = await runPool(
    queue,
    { manifest: manifestPath, workers: options.workers, threads: options.threads, backend: options.backend },
    (outcome) => {
      if (!context) return;
      const row: PredictionRow = {
        ...outcome,
        labels: labelsOf(
          outcome.file,
          context.findings.map((f) => f.name),
        ),
      };
      collected.push(row);
      if (csvPath) {
        const line = `${predictionLine(row, context.findings.length)}\n`;
        appendChain = appendChain.then(() => appendFile(csvPath, line));
      }
      bar.tick();
    },
    (ready) => {
      started = Date.now();
      bar.start();
      if (!context) appendChain = prepare(ready.manifest, ready.backend);
    },
  );
  await appendChain;
  bar.finish();
  const seconds = (Date.now() - started) / 1000;
  if (!context || !manifest) await prepare(run.manifest, run.backend);
  return {
    rows: [...pending, ...collected],
    context: context as unknown as RunContext,
    manifest: manifest as unknown as ModelManifest,
    manifestPath,
    labelTable,
    ran: collected.length,
    seconds,
    workers: run.workers,
    threadsPerWorker: run.threadsPerWorker,
    resumed,
    unlabelled: all.length - labelled.length,
  };
}
