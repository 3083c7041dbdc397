#!/usr/bin/env node
/**
 * Command line for site admins: the same engine the viewer runs, in Node.
 *   predict <file.dcm|.png|.jpg> [--model <manifest.json>] [--json] [--heatmaps <dir>]
 *   evaluate <folder> --labels <Data_Entry.csv> [--model <manifest.json>] [--json]
 */
import { parseArgs } from 'node:util';
import {
  COLORMAP_NAMES,
  DEFAULT_HEATMAP_THRESHOLD,
  EngineError,
  HEATMAP_THRESHOLD_RANGE,
  isColormapName,
} from '../engine';
import { predict } from './commands/predict';
import { CLI_BACKENDS, DEFAULT_CLI_BACKEND, isCliBackend, type CliBackend } from './nodeModel';
import {
  runValidationCommand,
  VALIDATION_COMMANDS,
  VALIDATION_OPTIONS,
  VALIDATION_USAGE,
} from './commands/validationCommands';
import { OutputPathError } from './io/outputPaths';
import { DicomOutputError } from './dicomOutput';
import { StoreError } from './io/stowRs';

const USAGE = `Usage (npx cxr-ai ..., or npm run -s cli -- ... in this repository):
  cxr-ai predict <file.dcm|.png|.jpg> [--model <manifest.json>] [--json] [--heatmaps <dir>]
                 [--colormap ${COLORMAP_NAMES.join('|')}] [--heatmap-threshold ${DEFAULT_HEATMAP_THRESHOLD}] [--threads N] [--dump-tensors <dir>]
                 [--dicom-out <dir>] [--store <dicomweb-url>] [--store-timeout <seconds>]   (DICOM input: SR, heatmaps, captures)
${VALIDATION_USAGE}
  every command that runs the model: [--backend ${CLI_BACKENDS.join('|')}] (default ${DEFAULT_CLI_BACKEND}: onnxruntime-node
  on the CPU; wasm: onnxruntime-web's WASM backend, exactly what the viewer computes on the CPU)

The default model is the demo model (untrained weights: not for diagnostic use).`;

class UsageError extends Error {}

function parseBackend(value: string): CliBackend {
  if (!isCliBackend(value)) throw new UsageError(`--backend must be one of ${CLI_BACKENDS.join(', ')}`);
  return value;
}

function parseThreads(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const threads = Number(value);
  if (!Number.isInteger(threads) || threads < 1) throw new UsageError('--threads must be a positive integer');
  return threads;
}

/** The same range as the panel's "Hide heat below" slider. */
function parseHeatmapThreshold(value: string): number {
  const { min, max } = HEATMAP_THRESHOLD_RANGE;
  const threshold = Number(value);
  if (!(threshold >= min && threshold <= max))
    throw new UsageError(`--heatmap-threshold must be between ${min} and ${max}`);
  return threshold;
}

function parseStoreTimeout(value: string): number {
  const seconds = Number(value);
  if (!(seconds > 0)) throw new UsageError('--store-timeout must be a positive number of seconds');
  return seconds * 1000;
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      json: { type: 'boolean', default: false },
      heatmaps: { type: 'string' },
      colormap: { type: 'string', default: 'jet' },
      // The viewer's default (the engine's), so CLI PNGs and the panel tint the same fraction.
      'heatmap-threshold': { type: 'string', default: String(DEFAULT_HEATMAP_THRESHOLD) },
      'dump-tensors': { type: 'string' },
      'dicom-out': { type: 'string' },
      store: { type: 'string' },
      'store-timeout': { type: 'string', default: '60' },
      ...VALIDATION_OPTIONS,
      threads: { type: 'string' },
      backend: { type: 'string', default: DEFAULT_CLI_BACKEND },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, target, ...extra] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (VALIDATION_COMMANDS.has(command)) {
    const threads = parseThreads(values.threads);
    const backend = parseBackend(values.backend);
    await runValidationCommand(
      command,
      positionals.slice(1),
      { ...values, threads, backend },
      (m) => new UsageError(m),
    );
    return;
  }
  if (!target) throw new UsageError(`${command} needs a ${command === 'evaluate' ? 'folder' : 'file'}`);
  if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}`);
  const threads = parseThreads(values.threads);
  const backend = parseBackend(values.backend);
  if (command === 'predict') {
    const { colormap } = values;
    if (!isColormapName(colormap)) throw new UsageError(`--colormap must be one of ${COLORMAP_NAMES.join(', ')}`);
    const heatmapThreshold = parseHeatmapThreshold(values['heatmap-threshold']);
    await predict({
      file: target,
      manifest: values.model,
      json: values.json,
      heatmapsDir: values.heatmaps,
      colormap,
      heatmapThreshold,
      dumpTensorsDir: values['dump-tensors'],
      dicomOutDir: values['dicom-out'],
      storeUrl: values.store,
      storeTimeoutMs: parseStoreTimeout(values['store-timeout']),
      threads,
      backend,
    });
  } else {
    throw new UsageError(`unknown command ${command}`);
  }
}

/** One line, no stack trace: the message is written for the person at the terminal. */
function describe(error: unknown): string {
  if (
    error instanceof EngineError ||
    error instanceof UsageError ||
    error instanceof OutputPathError ||
    error instanceof DicomOutputError ||
    error instanceof StoreError
  )
    return error.message;
  if (
    error instanceof Error &&
    'code' in error &&
    String((error as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')
  )
    return error.message;
  return `unexpected failure: ${error instanceof Error ? error.message : String(error)}`;
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`error: ${describe(error).split('\n')[0]}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
