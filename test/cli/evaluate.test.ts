/**
 * `evaluate` as a site admin runs it (the compiled CLI, the real demo model, the bundled labelled
 * NIH radiographs): every report file, predictions equal to `predict --json`, three shards merged
 * equal to one run, a resumed run equal to an uninterrupted one, and a folder tree with DICOM
 * without an extension, JPEG and an image the chest-film gate refuses.
 */
import { parse } from 'csv-parse/sync';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DX_MONO2_8BIT, NIH_PNG_DIR, nihPng } from '../fixtures/paths';
import { cliOk, ensureCliBuilt, root } from '../support/runCli';

const LABELS = join(root, 'test/fixtures/nih-labels.csv');
const NIH_FILES = [
  'jrzech__00001369_000.png',
  'jrzech__00001968_000.png',
  'jrzech__00002578_000.png',
  'jrzech__00026911_000.png',
  'txv__00000001_000.png',
  'txv__00027426_000.png',
];
const REPORT = ['predictions.csv', 'summary.json', 'roc.png', 'report.html'];

let work: string;
let single: string;

beforeAll(async () => {
  ensureCliBuilt();
  work = mkdtempSync(join(tmpdir(), 'cxr-evaluate-'));
  single = join(work, 'single');
  await cliOk('evaluate', NIH_PNG_DIR, '--labels', LABELS, '--report', single, '--workers', '2');
}, 240_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const csvRows = (dir: string) =>
  parse(readFileSync(join(dir, 'predictions.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
const summaryOf = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Record<string, unknown>;

describe('cxr-ai evaluate --report', () => {
  it('writes predictions.csv, summary.json, the ROC figure and a self-contained HTML report', () => {
    for (const file of REPORT) expect(existsSync(join(single, file))).toBe(true);
    const png = PNG.sync.read(readFileSync(join(single, 'roc.png')));
    expect(png.width).toBeGreaterThan(600);
    const summary = summaryOf(single) as {
      notice: string;
      model: { sha256: string; demo: boolean };
      backend: string;
      software: { version: string };
      createdAt: string;
      data: { fileList: { count: number; sha256: string }; dataSha256: string };
      images: number;
      counts: { refused: number };
      findings: {
        name: string;
        positives: number;
        negatives: number;
        auc?: number;
        aucCi?: object;
        operatingPoint: { sensitivity: object };
      }[];
      meanAuc: number;
      methods: { aurocCi: string };
    };
    expect(summary.notice).toMatch(/DEMO WEIGHTS/);
    expect(summary.model.demo).toBe(true);
    expect(summary.model.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(summary.backend).toBe('cpu-native');
    expect(summary.software.version).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
    expect(Number.isNaN(Date.parse(summary.createdAt))).toBe(false);
    expect(summary.data.fileList.count).toBe(6);
    expect(summary.data.dataSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(summary.images).toBe(6);
    expect(summary.methods.aurocCi).toMatch(/DeLong/);
    const cardiomegaly = summary.findings.find((f) => f.name === 'Cardiomegaly');
    expect(cardiomegaly).toMatchObject({ positives: 2, negatives: 4 });
    expect(cardiomegaly?.aucCi).toBeDefined();
    expect(summary.findings.find((f) => f.name === 'Hernia')?.auc).toBeUndefined();
    const html = readFileSync(join(single, 'report.html'), 'utf8');
    expect(html).toMatch(/<img [^>]*src="data:image\/png;base64,/);
    expect(html).toMatch(/Cardiomegaly/);
    expect(html).toMatch(/DEMO WEIGHTS/);
    expect(html).not.toMatch(/<(script|link)\b/);
  });

  it('predictions.csv holds, per image, what predict --json gives (1e-6), its labels and the gate outcome', async () => {
    const rows = csvRows(single);
    expect(rows.map((r) => r.file)).toEqual(NIH_FILES);
    const labels = parse(readFileSync(LABELS, 'utf8'), { columns: true }) as Record<string, string>[];
    for (const row of rows) {
      const out = JSON.parse(await cliOk('predict', nihPng(row.file), '--json')) as {
        findings: { name: string; probability: number }[];
        gate?: { outcome: string };
      };
      for (const f of out.findings) expect(Math.abs(Number(row[`prob_${f.name}`]) - f.probability)).toBeLessThan(1e-6);
      expect(row.gate).toBe(out.gate?.outcome ?? 'pass');
      expect(row.sop_instance_uid).toBe('');
      const truth = labels.find((l) => row.file.endsWith(l['Image Index']))?.['Finding Labels'].split('|') ?? [];
      for (const f of out.findings) expect(row[`label_${f.name}`]).toBe(truth.includes(f.name) ? '1' : '0');
    }
  }, 120_000);

  it('three shards merged give the very report of one run', async () => {
    const shards = [0, 1, 2].map((i) => join(work, `shard-${i}`));
    for (const [i, dir] of shards.entries()) {
      await cliOk('evaluate', NIH_PNG_DIR, '--labels', LABELS, '--report', dir, '--shard', `${i}/3`, '--workers', '1');
      expect(csvRows(dir)).toHaveLength(2);
    }
    const merged = join(work, 'merged');
    await cliOk('merge', ...shards, '--report', merged);
    const strip = (s: Record<string, unknown>) => ({ ...s, createdAt: undefined });
    expect(readFileSync(join(merged, 'predictions.csv'), 'utf8')).toBe(
      readFileSync(join(single, 'predictions.csv'), 'utf8'),
    );
    expect(strip(summaryOf(merged))).toEqual(strip(summaryOf(single)));
    expect(readFileSync(join(merged, 'roc.png')).equals(readFileSync(join(single, 'roc.png')))).toBe(true);
    const html = (dir: string) =>
      readFileSync(join(dir, 'report.html'), 'utf8').replace(String(summaryOf(dir).createdAt), '<date>');
    expect(html(merged)).toBe(html(single));
  }, 240_000);

  it('--resume runs only the images not yet in predictions.csv and ends with the same report', async () => {
    const dir = join(work, 'resumed');
    mkdirSync(dir);
    for (const file of ['run.json', 'predictions.csv']) copyFileSync(join(single, file), join(dir, file));
    const lines = readFileSync(join(dir, 'predictions.csv'), 'utf8').split('\n');
    // Interrupted after three images, the fourth line half written.
    writeFileSync(join(dir, 'predictions.csv'), `${lines.slice(0, 4).join('\n')}\n${lines[4].slice(0, 40)}`);
    const out = JSON.parse(
      await cliOk('evaluate', NIH_PNG_DIR, '--labels', LABELS, '--report', dir, '--resume', '--json', '--workers', '1'),
    ) as { run: { imagesRun: number; imagesResumed: number } };
    expect(out.run).toMatchObject({ imagesRun: 3, imagesResumed: 3 });
    expect(readFileSync(join(dir, 'predictions.csv'), 'utf8')).toBe(
      readFileSync(join(single, 'predictions.csv'), 'utf8'),
    );
  }, 120_000);

  it('recurses a folder tree: DICOM without an extension, JPEG, a 0/1 label table; a refused image listed and left out', async () => {
    const tree = join(work, 'tree');
    mkdirSync(join(tree, 'pacs', 'study1'), { recursive: true });
    mkdirSync(join(tree, 'jpeg'));
    copyFileSync(DX_MONO2_8BIT, join(tree, 'pacs', 'study1', 'IM000001'));
    copyFileSync(nihPng('txv__00027426_000.png'), join(tree, 'a.png'));
    const png = PNG.sync.read(readFileSync(nihPng('jrzech__00001369_000.png')));
    writeFileSync(
      join(tree, 'jpeg', 'b.jpg'),
      jpeg.encode({ data: png.data, width: png.width, height: png.height }, 95).data,
    );
    const flat = new PNG({ width: 300, height: 300 });
    flat.data.fill(128);
    writeFileSync(join(tree, 'flat.png'), PNG.sync.write(flat));
    writeFileSync(join(tree, 'notes.txt'), 'not an image');
    const table = join(work, 'table.csv');
    writeFileSync(table, 'file,Cardiomegaly,Nodule\npacs/study1/IM000001,1,0\na.png,0,\nb.jpg,1,1\nflat.png,0,0\n');
    const report = join(work, 'tree-report');
    const summary = JSON.parse(
      await cliOk('evaluate', tree, '--labels', table, '--report', report, '--json', '--workers', '2'),
    ) as {
      images: number;
      counts: { listed: number; refused: number };
      excluded: { file: string; gate: string; reason: string }[];
      findings: { name: string; positives: number; negatives: number }[];
      labels: { format: string };
    };
    expect(summary.labels.format).toBe('file-table');
    expect(summary.counts).toMatchObject({ listed: 4, refused: 1 });
    expect(summary.images).toBe(3);
    expect(summary.excluded).toEqual([{ file: 'flat.png', gate: 'refuse', reason: expect.stringMatching(/uniform/) }]);
    const byName = Object.fromEntries(summary.findings.map((f) => [f.name, f]));
    expect(byName.Cardiomegaly).toMatchObject({ positives: 2, negatives: 1 });
    expect(byName.Nodule).toMatchObject({ positives: 1, negatives: 1 }); // a.png has no Nodule label
    expect(byName.Mass).toMatchObject({ positives: 0, negatives: 0 }); // not in the table
    const rows = csvRows(report);
    expect(rows.map((r) => r.file)).toEqual(['a.png', 'flat.png', 'jpeg/b.jpg', 'pacs/study1/IM000001']);
    expect(rows[3].sop_instance_uid).toMatch(/^[0-9.]+$/);
    expect(rows[1]).toMatchObject({ gate: 'refuse', prob_Cardiomegaly: '' });
    expect(readFileSync(join(report, 'report.html'), 'utf8')).toMatch(/flat\.png/);
  }, 120_000);
});
