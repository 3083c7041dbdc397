/**
 * Command line for site admins: the same engine the viewer runs, in Node.
 *   predict <file.dcm|.png|.jpg> [--model <manifest.json>] [--json] [--heatmaps <dir>]
 *   evaluate <folder> --labels <Data_Entry.csv> [--model <manifest.json>] [--json]
 */
import { parseArgs } from 'node:util';
import { COLORMAPS, type ColormapName } from '../engine/heatmap/colormaps';
import { EngineError } from '../engine/utilities/EngineError';
import { evaluate } from './commands/evaluate';
import { predict } from './commands/predict';

const USAGE = `Usage:
  npm run cli -- predict <file.dcm|.png|.jpg> [--model <manifest.json>] [--json] [--heatmaps <dir>]
                 [--colormap jet|turbo|hot] [--heatmap-threshold 0.15] [--threads N] [--dump-tensors <dir>]
  npm run cli -- evaluate <folder> --labels <csv in NIH Data_Entry format> [--model <manifest.json>] [--json]

The default model is the demo model (untrained weights: not for diagnostic use).`;

class UsageError extends Error {}

function parseThreads(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const threads = Number(value);
  if (!Number.isInteger(threads) || threads < 1) throw new UsageError('--threads must be a positive integer');
  return threads;
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
      'heatmap-threshold': { type: 'string', default: '0.15' },
      'dump-tensors': { type: 'string' },
      labels: { type: 'string' },
      threads: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, target, ...extra] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!target) throw new UsageError(`${command} needs a ${command === 'evaluate' ? 'folder' : 'file'}`);
  if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}`);
  const threads = parseThreads(values.threads);
  if (command === 'predict') {
    if (!(values.colormap in COLORMAPS))
      throw new UsageError(`--colormap must be one of ${Object.keys(COLORMAPS).join(', ')}`);
    const heatmapThreshold = Number(values['heatmap-threshold']);
    if (!(heatmapThreshold >= 0 && heatmapThreshold <= 1))
      throw new UsageError('--heatmap-threshold must be between 0 and 1');
    await predict({
      file: target,
      manifest: values.model,
      json: values.json,
      heatmapsDir: values.heatmaps,
      colormap: values.colormap as ColormapName,
      heatmapThreshold,
      dumpTensorsDir: values['dump-tensors'],
      threads,
    });
  } else if (command === 'evaluate') {
    if (!values.labels) throw new UsageError('evaluate needs --labels <csv>');
    await evaluate({ folder: target, labels: values.labels, manifest: values.model, json: values.json, threads });
  } else {
    throw new UsageError(`unknown command ${command}`);
  }
}

/** One line, no stack trace: the message is written for the person at the terminal. */
function describe(error: unknown): string {
  if (error instanceof EngineError || error instanceof UsageError) return error.message;
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
