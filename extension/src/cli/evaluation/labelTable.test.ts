import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { EngineError } from '../../engine';
import { labelOf, readLabelTable, rowForFile } from './labelTable';
import { parsePredictionsCsv, predictionsCsv, type PredictionRow } from './predictionsCsv';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxr-labels-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('readLabelTable', () => {
  it('reads NIH Data_Entry rows (gzipped too): every finding labelled, absent is negative', () => {
    const text =
      'Image Index,Finding Labels,Patient ID\n00000001_000.png,Cardiomegaly|Effusion,1\n00000002_000.png,No Finding,2\n';
    for (const path of [write('nih.csv', text), write('nih.csv.gz', gzipSync(text))]) {
      const table = readLabelTable(path);
      expect(table.format).toBe('nih-data-entry');
      const row = rowForFile(table, 'site/a__00000001_000.png');
      expect(row && labelOf(table, row, 'Effusion')).toBe(true);
      expect(row && labelOf(table, row, 'Nodule')).toBe(false);
      const healthy = rowForFile(table, '00000002_000.png');
      expect(healthy && labelOf(table, healthy, 'Cardiomegaly')).toBe(false);
      expect(rowForFile(table, '00000003_000.png')).toBeUndefined();
    }
  });

  it('reads a file,finding,... table of 0/1: only its columns labelled, an empty cell unlabelled', () => {
    const table = readLabelTable(write('t.csv', 'file,Cardiomegaly,Nodule\nstudy/IM1,1,\nb.png,0,1\n'));
    expect(table).toMatchObject({ format: 'file-table', findings: ['Cardiomegaly', 'Nodule'] });
    const row = rowForFile(table, 'study/IM1');
    expect(row && [labelOf(table, row, 'Cardiomegaly'), labelOf(table, row, 'Nodule')]).toEqual([true, undefined]);
    expect(row && labelOf(table, row, 'Mass')).toBeUndefined();
    expect(table.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses cells other than 0, 1 or empty, and tables of neither kind', () => {
    expect(() => readLabelTable(write('bad.csv', 'file,Nodule\na.png,yes\n'))).toThrow(/line 2: Nodule is "yes"/);
    expect(() => readLabelTable(write('one.csv', 'file\na.png\n'))).toThrow(EngineError);
    expect(() => readLabelTable(join(dir, 'missing.csv'))).toThrow(/Cannot read the labels file/);
  });
});

describe('predictions.csv', () => {
  it('reads back exactly what it wrote, quoting reasons; a line cut short is dropped', () => {
    const rows: PredictionRow[] = [
      {
        file: 'a,b.png',
        sopInstanceUid: '',
        sha256: 'f'.repeat(64),
        gate: 'caution',
        reason: 'Says "AP", supine.',
        probabilities: [0.1 + 0.2, 1 / 3],
        labels: [true, undefined],
      },
      {
        file: 'c.dcm',
        sopInstanceUid: '1.2.3',
        sha256: 'e'.repeat(64),
        gate: 'refuse',
        reason: 'Lateral view.',
        labels: [false, false],
      },
    ];
    const text = predictionsCsv(rows, ['Mass', 'Nodule']);
    expect(parsePredictionsCsv(text, ['Mass', 'Nodule'], 'p.csv')).toEqual(rows);
    expect(parsePredictionsCsv(`${text}d.png,,abc,pa`, ['Mass', 'Nodule'], 'p.csv')).toHaveLength(2);
    expect(() => parsePredictionsCsv(text, ['Mass'], 'p.csv')).toThrow(/not written for this model's findings/);
  });
});
