/**
 * Every transfer syntax the viewer decodes, read by the CLI's readers with the viewer's codecs:
 * fixtures built with dcmtk and dcmjs from the project's own images decode to their source's
 * pixels (lossless ones exactly); bad inputs end with an exit code and one line, in bounded memory.
 * The readers run in a child process (some of the loader's decoders are ES modules, which Node
 * loads and jest's module system does not); the CLI runs compiled, as a site admin runs it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  buildBadInputs,
  buildCodecFixtures,
  type BadInputs,
  type CodecFixture,
} from '../../../../test/fixtures/build-codec-fixtures';
import { CR_MONO1_10BIT, nihPng } from '../../../../test/fixtures/paths';

const root = resolve(__dirname, '../../../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { CLI_MAIN, ensureCliBuilt } = require('../../../../scripts/build-cli.js') as {
  CLI_MAIN: string;
  ensureCliBuilt(): void;
};

interface ReadLine {
  file: string;
  rows?: number;
  columns?: number;
  voiSource?: string;
  pixels?: number[];
  error?: string;
}

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(command, args, { cwd: root, maxBuffer: 1 << 30 }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function readPixels(files: string[]): Promise<Map<string, ReadLine>> {
  const tsx = join(root, 'node_modules/.bin/tsx');
  const { stdout } = await run(tsx, [join(root, 'test/fixtures/readPixels.ts'), ...files]);
  const lines = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ReadLine);
  return new Map(lines.map((l) => [l.file, l]));
}

function correlation(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('CLI readers: every transfer syntax the viewer decodes', () => {
  let fixtures: CodecFixture[];
  let read: Map<string, ReadLine>;
  beforeAll(async () => {
    fixtures = buildCodecFixtures();
    read = await readPixels([...new Set([...fixtures.map((f) => f.file), ...fixtures.map((f) => f.source)])]);
  }, 120_000);

  it('covers the syntaxes and layouts the issue lists', () => {
    const syntaxes = new Set(fixtures.map((f) => f.transferSyntax));
    for (const uid of ['4.50', '4.51', '4.57', '4.70', '4.80', '4.81', '5', '2', '1.99']) {
      expect(syntaxes).toContain(`1.2.840.10008.1.2.${uid}`);
    }
    expect(
      fixtures
        .filter((f) => !f.fileMeta)
        .map((f) => f.transferSyntax)
        .sort(),
    ).toEqual(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']);
  });

  it('decodes each fixture to its source pixels: lossless ones exactly, lossy ones closely', () => {
    for (const fixture of fixtures) {
      const got = read.get(fixture.file)!;
      const source = read.get(fixture.source)!;
      expect({ file: fixture.file, error: got.error }).toEqual({ file: fixture.file, error: undefined });
      expect([got.rows, got.columns]).toEqual([source.rows, source.columns]);
      if (fixture.lossless) {
        // toEqual on 262144 numbers reports the first difference.
        expect(got.pixels).toEqual(source.pixels);
      } else {
        expect(correlation(got.pixels!, source.pixels!)).toBeGreaterThan(0.999);
      }
    }
  });

  it('applies the LUT sequences the dcmjs fixtures carry', () => {
    const voi = fixtures.find((f) => f.file.endsWith('dx-voi-lut-seq.dcm'))!;
    expect(read.get(voi.file)!.voiSource).toBe('voi-lut');
  });
});

describe('CLI on bad input: an exit code and one line, before decoding, in bounded memory', () => {
  let bad: BadInputs;
  let work: string;
  beforeAll(() => {
    ensureCliBuilt();
    bad = buildBadInputs();
    work = mkdtempSync(join(tmpdir(), 'cxr-bad-'));
  }, 180_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const predict = async (file: string, ...extra: string[]) => {
    // GNU time's -v report goes to stderr after the CLI's own line.
    const { code, stderr, stdout } = await run('/usr/bin/time', [
      '-v',
      process.execPath,
      CLI_MAIN,
      'predict',
      file,
      '--json',
      ...extra,
    ]);
    const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1]);
    const own = stderr.split('\n').filter((l) => l.startsWith('error: '));
    return { code, stdout, own, rssKb };
  };

  it.each([
    ['truncated', /damaged/],
    ['truncatedNative', /damaged/],
    ['textAsDcm', /is not a DICOM, PNG or JPEG image/],
    ['bombPng', /20000x20000 pixels \(400 megapixels\), more than the 60 megapixels/],
    ['hugeHeaderDcm', /30000x30000 pixels \(900 megapixels\)/],
    ['unknownSyntaxDcm', /transfer syntax MPEG2 video, 1\.2\.840\.10008\.1\.2\.4\.100/],
  ] as const)('%s', async (name, message) => {
    const { code, stdout, own, rssKb } = await predict(bad[name]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(own).toHaveLength(1);
    expect(own[0]).toMatch(message);
    // The bound the README states for a refused input.
    expect(rssKb).toBeLessThan(150 * 1024);
  });

  it('checks --heatmaps before the analysis: an existing file is refused at once', async () => {
    const file = join(work, 'taken.png');
    writeFileSync(file, 'x');
    const { code, own, rssKb } = await predict(nihPng('txv__00000001_000.png'), '--heatmaps', file);
    expect(code).toBe(1);
    expect(own).toEqual([`error: --heatmaps ${file} is an existing file, not a folder; give a folder for the output.`]);
    // No model was loaded: the memory of a process that read nothing.
    expect(rssKb).toBeLessThan(150 * 1024);
  });

  it('reads CXR_MAX_PIXELS as the budget', async () => {
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((done) =>
      execFile(
        process.execPath,
        [CLI_MAIN, 'predict', CR_MONO1_10BIT, '--json'],
        { cwd: root, env: { ...process.env, CXR_MAX_PIXELS: '100000' } },
        (error, _out, err) => done({ code: error ? 1 : 0, stderr: err }),
      ),
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/512x512 pixels \(0\.3 megapixels\), more than the 0\.1 megapixels/);
  });
});
