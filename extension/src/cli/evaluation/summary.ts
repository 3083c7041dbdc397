import type { ModelIdentity } from '../../engine';
import { compareFiles, dataSha256 } from './imageFiles';
import type { PredictionRow } from './predictionsCsv';
import {
  aucWithDelongCi,
  operatingPoint,
  rocCurve,
  type Interval,
  type OperatingPoint,
  type RocPoint,
} from './statistics';

/** What a report says about the run besides the rows: the same for every shard of one run. */
export interface RunContext {
  model: ModelIdentity;
  /** The manifest's findings in model order, with the operating thresholds evaluated. */
  findings: { name: string; threshold: number; trained: boolean }[];
  backend: string;
  labels: { format: string; sha256: string };
  /** Every labelled image of the whole run (all shards): how many and the sha256 of the sorted list. */
  fileList: { count: number; sha256: string };
  software: { name: string; version: string };
}

export const METHODS = {
  auroc: 'Mann-Whitney estimate (ties count half)',
  aurocCi: 'DeLong et al. 1988 variance, normal approximation, 95% two-sided, clipped to [0, 1]',
  rates: 'positive at or above the manifest threshold; Wilson score 95% intervals',
  excluded: 'images the chest-film gate refused or the reader could not read are listed and left out',
  dataSha256: 'sha256 over "path<TAB>sha256 of file" lines of the images run, sorted by path',
  fileListSha256: 'sha256 over the sorted relative paths of every labelled image, one per line',
};

export interface FindingSummary {
  name: string;
  threshold: number;
  trained: boolean;
  positives: number;
  negatives: number;
  auc?: number;
  aucCi?: Interval;
  operatingPoint: OperatingPoint;
}

export interface Summary {
  notice?: string;
  createdAt: string;
  software: RunContext['software'];
  model: ModelIdentity;
  backend: string;
  labels: RunContext['labels'];
  data: { fileList: RunContext['fileList']; images: number; dataSha256: string };
  shard?: string;
  methods: typeof METHODS;
  /** Images with results in the statistics. */
  images: number;
  counts: { listed: number; analysed: number; cautioned: number; refused: number; unreadable: number };
  findings: FindingSummary[];
  /** Mean of the AUROCs that are defined (findings with both classes). */
  meanAuc?: number;
  meanAucOver: number;
  excluded: { file: string; gate: string; reason: string }[];
  cautioned: { file: string; reason: string }[];
}

export const DEMO_NOTICE =
  'DEMO WEIGHTS (untrained, random): these numbers only show the tool works. Not for diagnostic use.';

/** Per finding, the probabilities and labels of images in the statistics that are labelled for it. */
export function scoresFor(
  rows: readonly PredictionRow[],
  findingIndex: number,
): { scores: number[]; truth: boolean[] } {
  const scores: number[] = [];
  const truth: boolean[] = [];
  for (const row of rows) {
    const label = row.labels[findingIndex];
    if (!row.probabilities || label === undefined) continue;
    scores.push(row.probabilities[findingIndex]);
    truth.push(label);
  }
  return { scores, truth };
}

export function rocCurves(rows: readonly PredictionRow[], context: RunContext): RocPoint[][] {
  return context.findings.map((_, i) => {
    const { scores, truth } = scoresFor(rows, i);
    return rocCurve(scores, truth);
  });
}

/** Everything the report states, as a pure function of the rows and the run (and the date). */
export function summarize(
  unsortedRows: readonly PredictionRow[],
  context: RunContext,
  createdAt: string,
  shard?: string,
): Summary {
  const rows = [...unsortedRows].sort((a, b) => compareFiles(a.file, b.file));
  const analysed = rows.filter((r) => r.probabilities);
  const findings: FindingSummary[] = context.findings.map((finding, i) => {
    const { scores, truth } = scoresFor(analysed, i);
    const positives = truth.filter(Boolean).length;
    const estimate = aucWithDelongCi(scores, truth);
    return {
      name: finding.name,
      threshold: finding.threshold,
      trained: finding.trained,
      positives,
      negatives: truth.length - positives,
      ...(estimate ? { auc: estimate.auc } : {}),
      ...(estimate?.ci ? { aucCi: estimate.ci } : {}),
      operatingPoint: operatingPoint(scores, truth, finding.threshold),
    };
  });
  const defined = findings.filter((f) => f.auc !== undefined);
  return {
    ...(context.model.demo ? { notice: DEMO_NOTICE } : {}),
    createdAt,
    software: context.software,
    model: context.model,
    backend: context.backend,
    labels: context.labels,
    data: { fileList: context.fileList, images: rows.length, dataSha256: dataSha256(rows.filter((r) => r.sha256)) },
    ...(shard ? { shard } : {}),
    methods: METHODS,
    images: analysed.length,
    counts: {
      listed: rows.length,
      analysed: analysed.length,
      cautioned: rows.filter((r) => r.gate === 'caution').length,
      refused: rows.filter((r) => r.gate === 'refuse').length,
      unreadable: rows.filter((r) => r.gate === 'unreadable').length,
    },
    findings,
    ...(defined.length ? { meanAuc: defined.reduce((s, f) => s + (f.auc as number), 0) / defined.length } : {}),
    meanAucOver: defined.length,
    excluded: rows.filter((r) => !r.probabilities).map((r) => ({ file: r.file, gate: r.gate, reason: r.reason })),
    cautioned: rows.filter((r) => r.gate === 'caution').map((r) => ({ file: r.file, reason: r.reason })),
  };
}

const fixed = (v: number | undefined, digits = 3) => (v === undefined ? 'n/a' : v.toFixed(digits));
const range = (ci: Interval | undefined, digits = 2) =>
  ci ? `${ci.lower.toFixed(digits)}-${ci.upper.toFixed(digits)}` : 'n/a';

/** The printed table: the CheXNet paper's columns first, then the interval and the operating point. */
export function summaryTable(summary: Summary): string {
  const lines: string[] = [];
  if (summary.notice) lines.push(`*** ${summary.notice} ***`, '');
  const m = summary.model;
  lines.push(
    `${summary.images} labelled images in the statistics, ${m.name} ${m.version} (sha256 ${m.sha256.slice(0, 12)}…) on ${summary.backend.toUpperCase()}`,
  );
  const { refused, unreadable, cautioned } = summary.counts;
  if (refused || unreadable || cautioned) {
    lines.push(
      `${refused} refused by the chest-film gate, ${unreadable} unreadable (left out); ${cautioned} cautioned (kept)`,
    );
  }
  lines.push(
    'AUROC 95% CI: DeLong; sensitivity (Sens), specificity (Spec), PPV, NPV at the manifest threshold with Wilson 95% CIs',
    '',
  );
  const head = [
    'Pathology'.padEnd(19),
    'AUROC'.padStart(6),
    'Positives'.padStart(10),
    'Negatives'.padStart(10),
    '95% CI'.padStart(10),
    'Thresh'.padStart(7),
    'Sens [95% CI]'.padStart(18),
    'Spec [95% CI]'.padStart(18),
    'PPV [95% CI]'.padStart(18),
    'NPV [95% CI]'.padStart(18),
  ];
  lines.push(head.join(''));
  const rate = (p: { value?: number; ci?: Interval }) => `${fixed(p.value, 2)} [${range(p.ci)}]`.padStart(18);
  for (const f of summary.findings) {
    const op = f.operatingPoint;
    lines.push(
      [
        f.name.padEnd(19),
        fixed(f.auc, 4).padStart(6),
        String(f.positives).padStart(10),
        String(f.negatives).padStart(10),
        range(f.aucCi).padStart(10),
        fixed(f.threshold, 3).padStart(7),
        rate(op.sensitivity),
        rate(op.specificity),
        rate(op.ppv),
        rate(op.npv),
      ].join(''),
    );
  }
  lines.push(
    `${'Mean'.padEnd(19)}${fixed(summary.meanAuc, 4).padStart(6)}   (over ${summary.meanAucOver} findings with both classes)`,
  );
  for (const e of summary.excluded) lines.push(`left out: ${e.file} (${e.gate}): ${e.reason}`);
  return lines.join('\n');
}
