import { parseShard } from '../evaluation/imageFiles';
import type { CliBackend } from '../nodeModel';
import { calibrate } from './calibrate';
import { compare } from './compare';
import { evaluate } from './evaluate';
import { merge } from './merge';

/** The command-line options the site-validation commands read (declared in main.ts's parseArgs). */
export const VALIDATION_OPTIONS = {
  labels: { type: 'string' },
  report: { type: 'string' },
  workers: { type: 'string' },
  progress: { type: 'boolean', default: false },
  resume: { type: 'boolean', default: false },
  shard: { type: 'string' },
  out: { type: 'string' },
  sensitivity: { type: 'string' },
  candidate: { type: 'string' },
} as const;

export const VALIDATION_USAGE = `  cxr-ai evaluate <folder> --labels <csv> [--model <manifest.json>] [--report <dir>] [--json]
                  [--workers N] [--threads N] [--progress] [--resume] [--shard i/N]
  cxr-ai calibrate <folder> --labels <csv> --out <dir> [--model <manifest.json>] [--sensitivity 0.9]
  cxr-ai compare <folder> --labels <csv> --model <current.json> --candidate <new.json> [--report <dir>]
  cxr-ai merge <report dirs...> --report <dir>
  (labels: NIH Data_Entry_2017 format or a table file,Finding1,Finding2,... of 0/1; folders are searched recursively)`;

export const VALIDATION_COMMANDS = new Set(['evaluate', 'calibrate', 'compare', 'merge']);

export interface ValidationArgs {
  model?: string;
  json: boolean;
  threads?: number;
  backend?: CliBackend;
  labels?: string;
  report?: string;
  workers?: string;
  progress: boolean;
  resume: boolean;
  shard?: string;
  out?: string;
  sensitivity?: string;
  candidate?: string;
}

/** Runs evaluate, calibrate, compare or merge; `usage` makes the error for a wrong command line. */
export async function runValidationCommand(
  command: string,
  positionals: string[],
  args: ValidationArgs,
  usage: (message: string) => Error,
): Promise<void> {
  if (command === 'merge') {
    if (positionals.length === 0) throw usage('merge needs the report folders of the shards');
    if (!args.report) throw usage('merge needs --report <dir> for the merged report');
    await merge({ dirs: positionals, reportDir: args.report, json: args.json });
    return;
  }
  const [folder, ...extra] = positionals;
  if (!folder) throw usage(`${command} needs a folder`);
  if (extra.length) throw usage(`unexpected argument ${extra[0]}`);
  if (!args.labels) throw usage(`${command} needs --labels <csv>`);
  let workers: number | undefined;
  if (args.workers !== undefined) {
    workers = Number(args.workers);
    if (!Number.isInteger(workers) || workers < 1) throw usage('--workers must be a positive integer');
  }
  const shard = args.shard === undefined ? undefined : parseShard(args.shard);
  if (args.shard !== undefined && !shard) throw usage('--shard must be i/N with 0 <= i < N (i counts from 0)');
  if (args.resume && !args.report) throw usage('--resume needs --report <dir>');
  const common = {
    folder,
    labels: args.labels,
    manifest: args.model,
    json: args.json,
    threads: args.threads,
    backend: args.backend,
    workers,
    progress: args.progress,
  };
  if (command === 'evaluate') {
    await evaluate({ ...common, reportDir: args.report, resume: args.resume, shard });
  } else if (command === 'calibrate') {
    if (!args.out) throw usage('calibrate needs --out <dir> for the new manifest');
    let sensitivity: number | undefined;
    if (args.sensitivity !== undefined) {
      sensitivity = Number(args.sensitivity);
      if (!(sensitivity > 0 && sensitivity < 1)) throw usage('--sensitivity must be between 0 and 1, e.g. 0.9');
    }
    await calibrate({ ...common, out: args.out, sensitivity });
  } else {
    if (!args.candidate) throw usage('compare needs --candidate <manifest.json> (and --model for the current one)');
    await compare({ ...common, candidate: args.candidate, reportDir: args.report });
  }
}
