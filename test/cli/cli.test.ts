/**
 * The command line as a site admin runs it (`npx cxr-ai ...`: the compiled build/cli/main.js), as a
 * child process. The build is brought up to date with the sources first.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { labelsForFile, readNihLabels } from '../../extension/src/cli/evaluation/readNihLabels';
import { rocAuc } from '../../extension/src/cli/evaluation/rocAuc';
import { readImageFile } from '../../extension/src/cli/io/readImageFile';
import { loadModelFromDisk } from '../../extension/src/cli/nodeModel';
import { DX_MONO2_8BIT, NIH_PNG_DIR, nihPng } from '../fixtures/paths';
import { cli, ensureCliBuilt } from '../support/runCli';

const root = resolve(__dirname, '../..');
const demoModel = join(root, 'models/demo/model.onnx');
beforeAll(() => ensureCliBuilt(), 120_000);

describe('cli predict', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'cxr-cli-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('prints the 14 findings, the backend and the model hash as one JSON object', async () => {
    const { code, stdout } = await cli('predict', nihPng('txv__00000001_000.png'), '--json');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]);
    expect(out.findings).toHaveLength(14);
    for (const f of out.findings) {
      expect(Object.keys(f).sort()).toEqual(['name', 'positive', 'probability', 'threshold']);
      expect(f.positive).toBe(f.probability >= f.threshold);
    }
    expect(out.backend).toBe('cpu-native');
    expect(out.model.sha256).toBe(createHash('sha256').update(readFileSync(demoModel)).digest('hex'));
    expect(out.model.demo).toBe(true);
    expect(out.notice).toMatch(/DEMO WEIGHTS/);
    expect(out.timingsMs.inferenceMs).toBeGreaterThan(0);
  });

  it('labels demo output in the human-readable table too', async () => {
    const { code, stdout } = await cli('predict', DX_MONO2_8BIT);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/DEMO WEIGHTS .*Not for diagnostic use/);
    expect(stdout).toMatch(/Cardiomegaly/);
  });

  it('writes one labelled heatmap PNG per finding and image, named after both, coloured only where hot', async () => {
    const dir = join(work, 'heatmaps');
    const images = ['txv__00000001_000', 'txv__00027426_000'];
    for (const image of images) {
      const { code } = await cli('predict', nihPng(`${image}.png`), '--heatmaps', dir, '--heatmap-threshold', '0');
      expect(code).toBe(0);
    }
    // Two images into one folder: 2 x 14 files, none overwritten.
    const files = readdirSync(dir).filter((f) => f.endsWith('.png'));
    expect(files).toHaveLength(28);
    for (const image of images) {
      expect(files).toContain(`${image}__Cardiomegaly.png`);
      expect(files).toContain(`${image}__Pleural_Thickening.png`);
    }
    const png = PNG.sync.read(readFileSync(join(dir, `${images[0]}__Cardiomegaly.png`)));
    // The image at its own size, the caption band (name, score, legend, DEMO label) below it.
    expect(png.width).toBe(512);
    expect(png.height).toBeGreaterThan(512);
    let coloured = 0;
    for (let i = 0; i < png.width * 512; i++) {
      const [r, g, b] = png.data.subarray(4 * i, 4 * i + 3);
      if (r !== g || g !== b) coloured++;
    }
    expect(coloured).toBeGreaterThan(0);
    const other = PNG.sync.read(readFileSync(join(dir, `${images[1]}__Cardiomegaly.png`)));
    expect(Buffer.compare(png.data, other.data)).not.toBe(0);
  });

  it('dumps the very input tensor the engine ran, with its outputs, for the exporter', async () => {
    const dir = join(work, 'dump');
    const file = nihPng('txv__00000001_000.png');
    const { code } = await cli('predict', file, '--json', '--dump-tensors', dir);
    expect(code).toBe(0);
    const meta = JSON.parse(readFileSync(join(dir, 'dump.json'), 'utf8'));
    expect(meta.inputShape).toEqual([1, 3, 224, 224]);
    expect(meta.camShape).toEqual([1, 14, 7, 7]);
    const model = await loadModelFromDisk(undefined, 2);
    try {
      const expected = await model.analyze(await readImageFile(file), { keepInput: true });
      const input = expected.input?.data ?? new Float32Array();
      expect(
        readFileSync(join(dir, 'input.f32')).equals(Buffer.from(input.buffer, input.byteOffset, input.byteLength)),
      ).toBe(true);
      expect(readFileSync(join(dir, 'probabilities.f32')).byteLength).toBe(14 * 4);
    } finally {
      await model.dispose();
    }
  });

  it('ends bad input with one line and a non-zero exit code, never a stack trace', async () => {
    const notAnImage = join(work, 'notes.txt');
    writeFileSync(notAnImage, 'hello');
    // Same file, transfer syntax changed (same length): to one no codec has, and to RLE Lossless,
    // which the pixel data then does not follow (a damaged file).
    const withSyntax = (name: string, uid: string) => {
      const file = join(work, name);
      const bytes = readFileSync(DX_MONO2_8BIT).toString('latin1').replace('1.2.840.10008.1.2.1\0', `${uid}\0`);
      writeFileSync(file, Buffer.from(bytes, 'latin1'));
      return file;
    };
    const unknown = withSyntax('unknown.dcm', '1.2.840.10008.1.2.9');
    const rle = withSyntax('rle.dcm', '1.2.840.10008.1.2.5');
    const brokenManifest = join(work, 'broken.json');
    writeFileSync(brokenManifest, JSON.stringify({ formatVersion: 1, name: 'x' }));
    const cases: Array<[string[], RegExp]> = [
      [['predict', join(work, 'missing.png')], /^error: No such file: .*missing\.png$/],
      [['predict', notAnImage], /^error: notes\.txt is not a DICOM, PNG or JPEG image\.$/],
      [
        ['predict', unknown],
        /^error: The image is compressed in a way this tool does not read \(transfer syntax 1\.2\.840\.10008\.1\.2\.9\)\.$/,
      ],
      [
        ['predict', rle],
        /^error: The file is damaged: RLE Lossless, 1\.2\.840\.10008\.1\.2\.5 pixel data is not encapsulated\.$/,
      ],
      [
        ['predict', DX_MONO2_8BIT, '--model', brokenManifest],
        /^error: Model manifest is invalid: .*version: must be a non-empty string/,
      ],
      [['predict'], /^error: predict needs a file$/],
      [['predict', DX_MONO2_8BIT, '--colormap', 'rainbow'], /^error: --colormap must be one of jet, turbo, hot$/],
      [
        ['predict', DX_MONO2_8BIT, '--heatmap-threshold', '1'],
        /^error: --heatmap-threshold must be between 0 and 0.95$/,
      ],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await cli(...args);
      expect(code).not.toBe(0);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr.trim()).toMatch(message);
    }
  });
});

describe('cli evaluate', () => {
  it('prints per-finding AUC with positive counts from an NIH label table', async () => {
    const labels = join(root, 'test/fixtures/nih-labels.csv');
    const { code, stdout } = await cli('evaluate', NIH_PNG_DIR, '--labels', labels, '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.images).toBe(6);
    const byName = Object.fromEntries(out.findings.map((f: { name: string }) => [f.name, f]));
    expect(byName.Cardiomegaly).toMatchObject({ positives: 2, negatives: 4 });
    expect(byName.Hernia).toMatchObject({ positives: 0 });
    expect(byName.Hernia.auc).toBeUndefined();
    // The same AUCs from the engine's probabilities, computed here image by image.
    const model = await loadModelFromDisk(undefined, 2);
    const labelled = readNihLabels(labels);
    const scores: number[][] = Array.from({ length: 14 }, () => []);
    const truth: boolean[][] = Array.from({ length: 14 }, () => []);
    try {
      for (const name of readdirSync(NIH_PNG_DIR).sort()) {
        const result = await model.analyze(await readImageFile(join(NIH_PNG_DIR, name)));
        result.findings.forEach((f, i) => {
          scores[i].push(f.probability);
          truth[i].push(labelsForFile(labelled, name)?.has(f.name) ?? false);
        });
      }
    } finally {
      await model.dispose();
    }
    out.findings.forEach((f: { auc?: number }, i: number) => {
      const expected = rocAuc(scores[i], truth[i]);
      if (expected === undefined) expect(f.auc).toBeUndefined();
      else expect(f.auc).toBeCloseTo(expected, 9);
    });
    const table = await cli('evaluate', NIH_PNG_DIR, '--labels', labels);
    expect(table.stdout).toMatch(/Pathology\s+AUROC\s+Positives\s+Negatives/);
    expect(table.stdout).toMatch(/Mean\s+\d\.\d{4}/);
  });
});
