import { parse } from 'csv-parse/sync';
import { EngineError } from '../../engine';
import type { ImageOutcome, ImageOutcomeKind } from './analyzeImage';

/** One line of predictions.csv: the image's outcome and its labels (undefined: not labelled). */
export interface PredictionRow extends ImageOutcome {
  labels: (boolean | undefined)[];
}

const FIXED = ['file', 'sop_instance_uid', 'sha256', 'gate', 'gate_reason'] as const;
const OUTCOMES: readonly ImageOutcomeKind[] = ['pass', 'caution', 'refuse', 'unreadable'];

const quote = (cell: string) => (/[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

export function predictionsHeader(findings: readonly string[]): string {
  return [...FIXED, ...findings.map((f) => `prob_${f}`), ...findings.map((f) => `label_${f}`)].map(quote).join(',');
}

/**
 * Probabilities as JavaScript writes a number (the shortest text that reads back to the same
 * double), so a report read back, resumed or merged holds exactly the numbers the model gave.
 */
export function predictionLine(row: PredictionRow, findingCount: number): string {
  const probabilities = Array.from({ length: findingCount }, (_, i) =>
    row.probabilities ? String(row.probabilities[i]) : '',
  );
  const labels = Array.from({ length: findingCount }, (_, i) =>
    row.labels[i] === undefined ? '' : row.labels[i] ? '1' : '0',
  );
  return [row.file, row.sopInstanceUid, row.sha256, row.gate, row.reason, ...probabilities, ...labels]
    .map(quote)
    .join(',');
}

export function predictionsCsv(rows: readonly PredictionRow[], findings: readonly string[]): string {
  return `${[predictionsHeader(findings), ...rows.map((r) => predictionLine(r, findings.length))].join('\n')}\n`;
}

/** Reads predictions.csv back; the header must name exactly these findings in this order. */
export function parsePredictionsCsv(text: string, findings: readonly string[], source: string): PredictionRow[] {
  const records: string[][] = parse(text, { skip_empty_lines: true, relax_column_count: true });
  const header = records[0]?.join(',');
  if (header !== predictionsHeader(findings)) {
    throw new EngineError('image-unsupported', `${source} was not written for this model's findings.`);
  }
  const n = findings.length;
  return records.slice(1).flatMap((cells) => {
    // A line cut short by an interrupted run is dropped; --resume runs that image again.
    if (cells.length !== FIXED.length + 2 * n) return [];
    const [file, sopInstanceUid, sha256, gate, reason] = cells;
    if (!OUTCOMES.includes(gate as ImageOutcomeKind)) return [];
    const probabilityCells = cells.slice(FIXED.length, FIXED.length + n);
    const labelCells = cells.slice(FIXED.length + n);
    const hasProbabilities = gate === 'pass' || gate === 'caution';
    if (hasProbabilities && probabilityCells.some((c) => c === '' || !Number.isFinite(Number(c)))) return [];
    return [
      {
        file,
        sopInstanceUid,
        sha256,
        gate: gate as ImageOutcomeKind,
        reason,
        ...(hasProbabilities ? { probabilities: probabilityCells.map(Number) } : {}),
        labels: labelCells.map((c) => (c === '' ? undefined : c === '1')),
      },
    ];
  });
}
