/**
 * Same file, same result, everywhere: every real DICOM the project carries (the demo study) and
 * every codec/LUT fixture (test/fixtures/build-codec-fixtures.ts, dcmtk + dcmjs) analysed in the
 * demo viewer (headless Chromium, OHIF 3.13, WASM) and by the CLI: probabilities within 1e-4 and
 * the same VOI source, file by file. Damaged and wrong-type files: the panel says so, timed from
 * Cornerstone's own failure event. The table goes to test-results/e2e/viewer-vs-cli.json.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { buildFixtureStudy, type FixtureStudyFile } from '../../demo/build-demo-study';
import { prepareDemo, startDemoServer, PATHS, type DemoServer } from '../../demo/server';
import { buildBadInputs, buildCodecFixtures, FIXTURE_STUDY_UID } from '../fixtures/build-codec-fixtures';
import { FIXTURE_ROOT_UID } from '../fixtures/dicomPart10';
import { CR_MONO1_10BIT, DX_MONO2_8BIT } from '../fixtures/paths';
import { launchChromium } from '../support/chromium';

const ROOT = path.resolve(__dirname, '../..');
const ARTIFACTS = path.join(ROOT, 'test-results', 'e2e');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { CLI_MAIN, ensureCliBuilt } = require('../../scripts/build-cli.js') as {
  CLI_MAIN: string;
  ensureCliBuilt(): void;
};

jest.setTimeout(900_000);

interface Row {
  file: string;
  transferSyntax: string;
  voiViewer?: string;
  voiCli?: string;
  maxDelta?: number;
  /** Lossless fixtures: the viewer's decoded pixels equal the uncompressed source's. */
  samePixels?: boolean;
  /** "refused in both: <sentence>" or "viewer cannot decode: <message shown>". */
  error?: string;
}

let server: DemoServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const pageErrors: string[] = [];
const rows: Row[] = [];
/** Fail-fast figures: from Cornerstone's failure event (none for an image it loads) and from the click. */
const latencies: { file: string; ms?: number; msFromShow: number; message: string }[] = [];

type CliOutcome =
  { kind: 'result'; probabilities: Record<string, number>; voiSource: string } | { kind: 'refused'; sentence: string };

/** The CLI's answer: its result, or the sentence it exits 1 with (`error: <sentence>`). */
function cliPredict(file: string): Promise<CliOutcome> {
  return new Promise((done, fail) =>
    execFile(process.execPath, [CLI_MAIN, 'predict', file, '--json'], { cwd: ROOT }, (error, stdout, stderr) => {
      if (error) {
        const sentence = /^error: (.+)$/m.exec(stderr)?.[1];
        return error.code === 1 && sentence
          ? done({ kind: 'refused', sentence })
          : fail(new Error(`${file}: ${stderr}`));
      }
      const out = JSON.parse(stdout) as { findings: { name: string; probability: number }[]; voiSource: string };
      done({
        kind: 'result',
        probabilities: Object.fromEntries(out.findings.map((f) => [f.name, f.probability])),
        voiSource: out.voiSource,
      });
    }),
  );
}

/** The CLI's decoded stored pixels of each file (test/fixtures/readPixels.ts, one child process). */
function cliPixels(files: string[]): Promise<Map<string, number[]>> {
  const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
  return new Promise((done, fail) =>
    execFile(
      tsx,
      [path.join(ROOT, 'test/fixtures/readPixels.ts'), ...files],
      { cwd: ROOT, maxBuffer: 1 << 30 },
      (error, stdout, stderr) => {
        if (error) return fail(new Error(stderr));
        const lines = stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { file: string; pixels?: number[]; error?: string });
        done(new Map(lines.map((l) => [l.file, l.pixels ?? []])));
      },
    ),
  );
}

async function openStudy(manifestUrl: string, studyUid: string) {
  await page.goto(
    `${server.url.replace(/\/$/, '')}/chest-xray-ai/dicomjson?url=${encodeURIComponent(manifestUrl)}&StudyInstanceUIDs=${studyUid}`,
  );
  await page.waitForSelector('[data-cy=study-browser-thumbnail]', { timeout: 120_000 });
  await page.waitForSelector('[data-testid=cxrai-panel]', { timeout: 120_000 });
}

async function showSeries(n: number) {
  await page.locator(`[data-cy=study-browser-thumbnail][data-series="${n}"]`).dblclick();
}

type ViewerOutcome =
  | { kind: 'result'; probabilities: Record<string, number>; voiSource?: string }
  | { kind: 'refused'; sentence: string }
  | { kind: 'error'; message: string };

/** What the panel ends with for the image: its result, the gate's refusal or an error message. */
async function viewerResult(imageKey: string): Promise<ViewerOutcome> {
  const handle = await page.waitForFunction(
    (key) => {
      const panel = document.querySelector('[data-testid=cxrai-panel]');
      if (panel?.getAttribute('data-image-key') !== key) return false;
      const status = panel.getAttribute('data-analysis-status');
      const list = document.querySelector('[data-testid=cxrai-findings]');
      if (status === 'done' && list?.getAttribute('data-image-key') === key) return 'result';
      if (status === 'refused') return 'refused';
      if (status === 'error') return 'error';
      return false;
    },
    imageKey,
    { timeout: 120_000, polling: 100 },
  );
  const kind = (await handle.jsonValue()) as ViewerOutcome['kind'];
  if (kind === 'refused')
    return { kind, sentence: (await page.locator('[data-testid=cxrai-refused]').innerText()).trim() };
  if (kind === 'error') return { kind, message: (await page.locator('[data-testid=cxrai-error]').innerText()).trim() };
  const probabilities = await page.$$eval('[data-testid=cxrai-finding-row]', (els) =>
    Object.fromEntries(
      els.map((r) => [r.getAttribute('data-finding') ?? '', Number(r.getAttribute('data-probability'))]),
    ),
  );
  const text = await page.locator('[data-testid=cxrai-panel]').innerText();
  return { kind, probabilities, voiSource: /VOI: (\S+)/.exec(text)?.[1] };
}

/** The stored pixels of the image the (only) viewport holds, as Cornerstone decoded them. */
function viewerPixels(): Promise<{ imageId?: string; pixels: number[] }> {
  return page.evaluate(() => {
    const w = window as unknown as Record<string, any>;
    const cs = w.extensionManager
      .getModuleEntry('@ohif/extension-cornerstone.utilityModule.common')
      .exports.getCornerstoneLibraries().cornerstone;
    const viewport = cs.getRenderingEngines()[0].getViewports()[0];
    const image = viewport.getCornerstoneImage();
    return {
      imageId: image?.imageId as string | undefined,
      pixels: Array.from(image?.getPixelData() ?? []) as number[],
    };
  });
}

/**
 * One file in both: the same probabilities (1e-4) and VOI source, or the same refusal sentence.
 * `source`: the uncompressed file a lossless fixture must decode to exactly, in the viewer.
 */
async function compare(
  file: string,
  transferSyntax: string,
  imageKey: string,
  series: number,
  source?: Promise<number[]>,
  viewerCannotDecode?: RegExp,
) {
  const row: Row = { file: path.basename(file), transferSyntax };
  rows.push(row);
  const cli = await cliPredict(file);
  await showSeries(series);
  const viewer = await viewerResult(imageKey).catch((error: unknown) => {
    row.error = 'no viewer result within 120 s';
    throw error;
  });
  if (viewer.kind === 'error') row.error = `viewer cannot decode: ${viewer.message}`;
  if (viewerCannotDecode) {
    // The CLI reads it; the viewer's loader does not: the panel must say so, not hang.
    row.voiCli = cli.kind === 'result' ? cli.voiSource : undefined;
    expect({ file: row.file, viewer }).toEqual({
      file: row.file,
      viewer: { kind: 'error', message: expect.stringMatching(viewerCannotDecode) },
    });
    return;
  }
  if (cli.kind === 'refused') {
    if (viewer.kind === 'refused') row.error = `refused in both: ${cli.sentence}`;
    expect({ file: row.file, viewer }).toEqual({ file: row.file, viewer: { kind: 'refused', sentence: cli.sentence } });
    return;
  }
  row.voiCli = cli.voiSource;
  expect({ file: row.file, viewer: viewer.kind }).toEqual({ file: row.file, viewer: 'result' });
  if (viewer.kind !== 'result') return;
  row.voiViewer = viewer.voiSource;
  row.maxDelta = Math.max(
    ...Object.keys(cli.probabilities).map((k) => Math.abs(cli.probabilities[k] - viewer.probabilities[k])),
  );
  if (source) {
    const shown = await viewerPixels();
    const expected = await source;
    row.samePixels =
      shown.imageId?.endsWith(`/${row.file}`) === true &&
      shown.pixels.length === expected.length &&
      shown.pixels.every((v, i) => v === expected[i]);
  }
  expect({ file: row.file, voi: row.voiViewer }).toEqual({ file: row.file, voi: row.voiCli });
  expect(Object.keys(viewer.probabilities).sort()).toEqual(Object.keys(cli.probabilities).sort());
  expect(row.maxDelta).toBeLessThan(1e-4);
  if (source) expect({ file: row.file, samePixels: row.samePixels }).toEqual({ file: row.file, samePixels: true });
}

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  ensureCliBuilt();
  prepareDemo({ log: () => undefined });
  server = await startDemoServer({ port: 0, backend: 'wasm' });
  browser = await launchChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.setViewportSize({ width: 1400, height: 900 });
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 600_000);

afterAll(async () => {
  fs.writeFileSync(path.join(ARTIFACTS, 'viewer-vs-cli.json'), JSON.stringify({ rows, latencies }, null, 1));
  console.log(
    [
      '| file | transfer syntax | VOI (viewer / CLI) | max abs dp | viewer pixels = source |',
      '|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.file} | ${r.transferSyntax} | ${r.voiViewer ?? '-'} / ${r.voiCli ?? '-'} | ${r.maxDelta?.toExponential(2) ?? r.error} | ${r.samePixels === undefined ? '-' : r.samePixels ? 'yes' : 'NO'} |`,
      ),
      '',
      ...latencies.map(
        (l) =>
          `fail-fast ${l.file}: ${l.ms === undefined ? 'no failure event' : `${l.ms.toFixed(0)} ms after Cornerstone's failure event`}, ${l.msFromShow.toFixed(0)} ms after the series was shown: ${l.message}`,
      ),
    ].join('\n'),
  );
  await browser?.close();
  await server?.close();
});

/**
 * Fixtures the CLI reads and OHIF 3.13's prebuilt viewer does not, with the message the panel
 * must show at once. Deflated explicit VR little endian: the viewer's loader
 * (loadImageFromNaturalizedMetadata) parses the dataset without inflating it ("Invalid vr type",
 * "no pixel data in NATURALIZED").
 */
const VIEWER_CANNOT_DECODE: Record<string, RegExp> = {
  'cr16-deflated.dcm': /compressed in a way the viewer does not read \(transfer syntax 1\.2\.840\.10008\.1\.2\.1\.99\)/,
};

describe('viewer = CLI', () => {
  it('for every real DICOM of the demo study', async () => {
    const index = JSON.parse(fs.readFileSync(path.join(PATHS.study, 'index.json'), 'utf8')) as {
      studyInstanceUid: string;
      files: { fileName: string; sopInstanceUid: string }[];
    };
    await openStudy('/demo-study/study.json', index.studyInstanceUid);
    for (const [i, f] of index.files.entries()) {
      const syntax = f.fileName.includes('j2k') ? '1.2.840.10008.1.2.4.91' : '1.2.840.10008.1.2.1';
      await compare(path.join(PATHS.study, f.fileName), syntax, f.sopInstanceUid, i + 1);
    }
  });

  // Every codec/LUT fixture, the committed MONOCHROME1 and 8-bit fixtures, then the bad files.
  // (The JPEG Lossless P14 "hang" of the first run was not a decoder failure: OHIF 3.13 turns a
  // VOI LUT Function of LINEAR_EXACT into "L", StackViewport throws "Invalid VOI LUT function"
  // after the image has loaded and sends IMAGE_LOAD_ERROR, which the runner took for a failed
  // load. The runner now checks whether the image is there before failing.)
  it('for every codec and LUT fixture, and the committed MONOCHROME1/8-bit fixtures; bad files fail fast', async () => {
    const fixtures = buildCodecFixtures();
    const bad = buildBadInputs();
    const committed = [
      { file: CR_MONO1_10BIT, sop: `${FIXTURE_ROOT_UID}.1` },
      { file: DX_MONO2_8BIT, sop: `${FIXTURE_ROOT_UID}.2` },
    ];
    const identity = (sop: string) => ({
      StudyInstanceUID: FIXTURE_STUDY_UID,
      SOPInstanceUID: sop,
      SeriesInstanceUID: `${sop}.1`,
    });
    const damaged = /damaged or is not a DICOM image/;
    const badFiles = [
      { file: bad.truncated, expect: damaged },
      { file: bad.truncatedNative, expect: damaged },
      { file: bad.pngAsDcm, expect: damaged },
      { file: bad.textAsDcm, expect: damaged },
      { file: bad.unknownSyntaxDcm, expect: /transfer syntax 1\.2\.840\.10008\.1\.2\.4\.100/ },
      { file: bad.hugeHeaderDcm, expect: /30000x30000 pixels .*more than the 60 megapixels/ },
    ].map((b, i) => ({ ...b, sop: `${FIXTURE_ROOT_UID}.${401 + i}` }));
    const files: FixtureStudyFile[] = [
      ...fixtures.map((f) => ({ file: f.file, metadataFrom: f.metadataFrom })),
      ...committed.map((c) => ({ file: c.file, metadataFrom: c.file, overrides: identity(c.sop) })),
      ...badFiles.map((b) => ({
        file: b.file,
        metadataFrom: CR_MONO1_10BIT,
        overrides: { ...identity(b.sop), SeriesDescription: `BAD ${path.basename(b.file)}` },
      })),
    ];
    // The uncompressed sources' pixels as the CLI reads them, read once meanwhile.
    const sources = cliPixels([...new Set(fixtures.filter((f) => f.lossless).map((f) => f.source))]);
    sources.catch(() => undefined);
    const study = buildFixtureStudy(files);
    await openStudy(study.manifestUrl, study.studyInstanceUid);
    for (const [i, f] of fixtures.entries()) {
      const cannot = VIEWER_CANNOT_DECODE[path.basename(f.file)];
      const source = f.lossless && !cannot ? sources.then((m) => m.get(f.source) ?? []) : undefined;
      await compare(f.file, f.transferSyntax, f.sopInstanceUid, i + 1, source, cannot);
    }
    for (const [i, c] of committed.entries())
      await compare(c.file, '1.2.840.10008.1.2.1', c.sop, fixtures.length + i + 1);

    // Bad files: time from Cornerstone's IMAGE_LOAD_FAILED / IMAGE_LOAD_ERROR to the panel's message.
    await page.evaluate(() => {
      const w = window as unknown as Record<string, any>;
      const cs = w.extensionManager
        .getModuleEntry('@ohif/extension-cornerstone.utilityModule.common')
        .exports.getCornerstoneLibraries().cornerstone;
      w.__cxrFailures = {} as Record<string, number>;
      for (const name of [cs.Enums.Events.IMAGE_LOAD_FAILED, cs.Enums.Events.IMAGE_LOAD_ERROR]) {
        cs.eventTarget.addEventListener(name, (e: CustomEvent) => {
          const id = e.detail?.imageId;
          if (typeof id === 'string' && !(id in w.__cxrFailures)) w.__cxrFailures[id] = performance.now();
        });
      }
    });
    for (const [i, b] of badFiles.entries()) {
      const fileName = path.basename(b.file);
      // Only failures after the series is shown count (the thumbnails' loads fail earlier).
      await page.evaluate(() => {
        const w = window as unknown as Record<string, any>;
        w.__cxrFailures = {};
        w.__cxrShownAt = performance.now();
      });
      await showSeries(fixtures.length + committed.length + i + 1);
      const handle = await page.waitForFunction(
        ({ name, key }) => {
          const w = window as unknown as Record<string, any>;
          const panel = document.querySelector('[data-testid=cxrai-panel]');
          const error = document.querySelector('[data-testid=cxrai-error]');
          if (panel?.getAttribute('data-image-key') !== key) return false;
          if (panel.getAttribute('data-analysis-status') !== 'error' || !error) return false;
          const now = performance.now();
          const failedAt = Object.entries(w.__cxrFailures as Record<string, number>).find(([id]) =>
            id.endsWith(`/${name}`),
          )?.[1];
          return {
            ms: failedAt === undefined ? undefined : now - failedAt,
            msFromShow: now - (w.__cxrShownAt as number),
            message: error.textContent ?? '',
          };
        },
        { name: fileName, key: b.sop },
        { timeout: 60_000, polling: 'raf' },
      );
      const seen = (await handle.jsonValue()) as { ms?: number; msFromShow: number; message: string };
      latencies.push({ file: fileName, ...seen });
      rows.push({ file: fileName, transferSyntax: 'bad input', error: `viewer cannot decode: ${seen.message}` });
      expect({ file: fileName, message: seen.message }).toEqual({
        file: fileName,
        message: expect.stringMatching(b.expect),
      });
      // The issue's bound: the message within a second of Cornerstone's failure event.
      if (seen.ms !== undefined) expect(seen.ms).toBeLessThan(1000);
    }
    // The viewer keeps working: back to a good fixture, its result is there.
    await showSeries(1);
    expect((await viewerResult(fixtures[0].sopInstanceUid)).kind).toBe('result');
    expect(pageErrors).toEqual([]);
  });
});
