import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { EngineError } from '../../engine';

/** Image file name -> its set of findings, from a table in NIH Data_Entry_2017 format. */
export function readNihLabels(path: string): Map<string, Set<string>> {
  let text: string;
  try {
    const raw = readFileSync(path);
    text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  } catch (error) {
    throw new EngineError(
      'image-unsupported',
      `Cannot read the labels file ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
    );
  }
  const rows: string[][] = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true });
  const header = rows[0] ?? [];
  const imageColumn = header.indexOf('Image Index');
  const labelColumn = header.indexOf('Finding Labels');
  if (imageColumn < 0 || labelColumn < 0) {
    throw new EngineError(
      'image-unsupported',
      `${path} is not in NIH Data_Entry format (needs "Image Index" and "Finding Labels" columns).`,
    );
  }
  const labels = new Map<string, Set<string>>();
  for (const row of rows.slice(1)) {
    const findings = (row[labelColumn] ?? '').split('|').filter((f) => f && f !== 'No Finding');
    labels.set(row[imageColumn], new Set(findings));
  }
  return labels;
}

/** The label row for a file: its own name, or the NIH name after a prefix such as `site__00001369_000.png`. */
export function labelsForFile(labels: Map<string, Set<string>>, fileName: string): Set<string> | undefined {
  const direct = labels.get(fileName);
  if (direct) return direct;
  const separator = fileName.lastIndexOf('__');
  return separator >= 0 ? labels.get(fileName.slice(separator + 2)) : undefined;
}
