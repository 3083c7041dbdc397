import { parse } from 'csv-parse/sync';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { EngineError } from '../../engine';

/**
 * Ground truth for a validation set, from either
 *  - NIH's Data_Entry_2017 table ("Image Index", "Finding Labels" with findings joined by "|"):
 *    every finding is labelled for every listed image, absent meaning negative; or
 *  - a simple table `file,Finding1,Finding2,…` of 0/1: only the findings it has columns for are
 *    labelled, and an empty cell leaves that finding unlabelled for that image.
 * Files are matched by their path relative to the folder, then by base name, then by the NIH
 * name after a prefix (`site__00001369_000.png`).
 */
export interface LabelTable {
  format: 'nih-data-entry' | 'file-table';
  /** Findings the table labels; undefined: all of them (NIH format). */
  findings?: string[];
  /** sha256 of the file's bytes as read. */
  sha256: string;
  rows: Map<string, Map<string, boolean>>;
}

function readText(path: string): { text: string; sha256: string } {
  try {
    const raw = readFileSync(path);
    const bytes = path.endsWith('.gz') ? gunzipSync(raw) : raw;
    return { text: bytes.toString('utf8'), sha256: createHash('sha256').update(raw).digest('hex') };
  } catch (error) {
    throw new EngineError(
      'image-unsupported',
      `Cannot read the labels file ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
    );
  }
}

export function readLabelTable(path: string): LabelTable {
  const { text, sha256 } = readText(path);
  const rows: string[][] = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true });
  const header = rows[0] ?? [];
  const imageColumn = header.indexOf('Image Index');
  const labelColumn = header.indexOf('Finding Labels');
  const table = new Map<string, Map<string, boolean>>();
  if (imageColumn >= 0 && labelColumn >= 0) {
    for (const row of rows.slice(1)) {
      const present = (row[labelColumn] ?? '').split('|').filter((f) => f && f !== 'No Finding');
      table.set(row[imageColumn], new Map(present.map((f) => [f, true])));
    }
    return { format: 'nih-data-entry', sha256, rows: table };
  }
  const findings = header.slice(1);
  if (header.length < 2 || findings.some((f) => !f)) {
    throw new EngineError(
      'image-unsupported',
      `${path} is neither in NIH Data_Entry format ("Image Index", "Finding Labels") nor a table "file,Finding1,…" of 0/1.`,
    );
  }
  rows.slice(1).forEach((row, r) => {
    const labels = new Map<string, boolean>();
    findings.forEach((finding, c) => {
      const cell = row[c + 1] ?? '';
      if (cell === '') return;
      if (cell !== '0' && cell !== '1') {
        throw new EngineError(
          'image-unsupported',
          `${path} line ${r + 2}: ${finding} is "${cell}"; the table takes 0, 1 or an empty cell.`,
        );
      }
      labels.set(finding, cell === '1');
    });
    table.set(row[0], labels);
  });
  return { format: 'file-table', findings, sha256, rows: table };
}

/** The row for a file, by relative path, base name, or NIH name after a `prefix__`. */
export function rowForFile(table: LabelTable, relativePath: string): Map<string, boolean> | undefined {
  const direct = table.rows.get(relativePath);
  if (direct) return direct;
  const name = basename(relativePath);
  const byName = table.rows.get(name);
  if (byName) return byName;
  const separator = name.lastIndexOf('__');
  return separator >= 0 ? table.rows.get(name.slice(separator + 2)) : undefined;
}

/** A finding's label for an image: true, false, or undefined when the table does not label it. */
export function labelOf(table: LabelTable, row: Map<string, boolean>, finding: string): boolean | undefined {
  if (table.format === 'nih-data-entry') return row.get(finding) ?? false;
  return row.get(finding);
}
