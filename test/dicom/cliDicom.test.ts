/**
 * `cxr-ai predict <file.dcm> --dicom-out <dir>` and `--store <dicomweb-url>`: the compiled CLI as a
 * child process, against a real Orthanc for the store and small local HTTP servers that fail in
 * each way a PACS can (refusing, erroring, never answering).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePart10, readStoredResult } from '../../extension/src/dicomResults';
import { DX_MONO2_8BIT, nihPng } from '../fixtures/paths';
import { freePort } from '../../demo/pacs/orthanc';
import { orthancAvailable, qidoSeries, startTestOrthanc, type TestOrthanc } from '../support/orthanc';
import { cli, cliOk, ensureCliBuilt } from '../support/runCli';
import { dciodvfy, withTool } from './validators';

interface Summary {
  findings: { name: string; probability: number; threshold: number; positive: boolean }[];
  model: { name: string; version: string; sha256: string; demo: boolean };
  backend: string;
  dicom?: { kind: string; sopInstanceUid: string; seriesInstanceUid: string; file?: string; bytes: number }[];
  stored?: { url: string; stored: number };
}

let work: string;
beforeAll(() => {
  ensureCliBuilt();
  work = mkdtempSync(join(tmpdir(), 'cxr-cli-dicom-'));
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const studyUid = () => String(parsePart10(new Uint8Array(readFileSync(DX_MONO2_8BIT)).buffer).StudyInstanceUID);

describe('predict --dicom-out', () => {
  let plain: Summary;
  let withDicom: Summary;
  let out: string;
  beforeAll(async () => {
    out = join(work, 'out');
    plain = JSON.parse(await cliOk('predict', DX_MONO2_8BIT, '--json')) as Summary;
    withDicom = JSON.parse(await cliOk('predict', DX_MONO2_8BIT, '--dicom-out', out, '--json')) as Summary;
  }, 120_000);

  test('writes the SR, the heatmaps and the captures, and lists them', () => {
    const kinds = withDicom.dicom?.map((o) => o.kind) ?? [];
    expect(kinds.slice(0, 2)).toEqual(['sr', 'parametric-map']);
    expect(kinds.slice(2).every((k) => k === 'secondary-capture')).toBe(true);
    expect(kinds.length).toBeGreaterThan(2);
    expect(readdirSync(out).sort()).toEqual(withDicom.dicom?.map((o) => o.file?.slice(out.length + 1)).sort());
  });

  test('the SR carries the same numbers as predict --json for the same file', () => {
    const srFile = withDicom.dicom?.find((o) => o.kind === 'sr')?.file ?? '';
    const stored = readStoredResult(parsePart10(new Uint8Array(readFileSync(srFile)).buffer));
    expect(stored?.model).toEqual(plain.model);
    expect(stored?.backend).toBe(plain.backend);
    expect(stored?.findings.map((f) => f.name)).toEqual(plain.findings.map((f) => f.name));
    stored?.findings.forEach((f, i) => {
      expect(Math.abs(f.probability - plain.findings[i].probability)).toBeLessThan(1e-6);
      expect({ threshold: f.threshold, positive: f.positive }).toEqual({
        threshold: plain.findings[i].threshold,
        positive: plain.findings[i].positive,
      });
    });
  });

  withTool('dciodvfy')('what the CLI writes passes dciodvfy with no Error lines', () => {
    for (const o of withDicom.dicom ?? [])
      expect({ file: o.file, errors: dciodvfy(o.file ?? '').errors }).toEqual({ file: o.file, errors: [] });
  });

  test('all objects for the image stay under 10 MB', () => {
    expect((withDicom.dicom ?? []).reduce((n, o) => n + o.bytes, 0)).toBeLessThan(10_000_000);
  });

  test('a PNG input is refused with a sentence, before anything is written', async () => {
    const { code, stderr } = await cli('predict', nihPng('txv__00000001_000.png'), '--dicom-out', join(work, 'png'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/need a DICOM Part 10 file/);
  });
});

(orthancAvailable() ? describe : describe.skip)('predict --store on a real Orthanc', () => {
  let pacs: TestOrthanc;
  beforeAll(async () => {
    pacs = await startTestOrthanc();
  }, 60_000);
  afterAll(() => pacs?.close());

  test('stores the objects over STOW-RS and QIDO finds the new series in the source study', async () => {
    const summary = JSON.parse(await cliOk('predict', DX_MONO2_8BIT, '--store', pacs.dicomWebUrl, '--json')) as Summary;
    expect(summary.stored?.stored).toBe(summary.dicom?.length);
    const series = await qidoSeries(pacs.dicomWebUrl, studyUid());
    const found = new Map(series.map((s) => [String(s['0020000E']?.Value?.[0]), String(s['00080060']?.Value?.[0])]));
    for (const o of summary.dicom ?? []) expect(found.has(o.seriesInstanceUid)).toBe(true);
    const sr = summary.dicom?.find((o) => o.kind === 'sr');
    expect(found.get(sr?.seriesInstanceUid ?? '')).toBe('SR');
    const srSeries = await qidoSeries(pacs.dicomWebUrl, studyUid(), { Modality: 'SR' });
    expect(srSeries.map((s) => s['0020000E']?.Value?.[0])).toContain(sr?.seriesInstanceUid);
  }, 120_000);
});

describe('predict --store when the PACS fails', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((done) => s.close(done)))));

  async function serve(handle: (respond: (status: number, body: string) => void) => void): Promise<string> {
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () =>
        handle((status, body) => {
          response.writeHead(status, { 'Content-Type': 'text/plain' });
          response.end(body);
        }),
      );
    });
    servers.push(server);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/dicom-web`;
  }

  async function storeFails(url: string, ...extra: string[]) {
    const { code, stderr } = await cli('predict', DX_MONO2_8BIT, '--store', url, ...extra);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    return stderr;
  }

  test('unreachable', async () => {
    const port = await freePort();
    expect(await storeFails(`http://127.0.0.1:${port}/dicom-web`)).toMatch(
      /Cannot reach the PACS at .*\/dicom-web\/studies \(connection refused: is it running\?\)/,
    );
  }, 60_000);

  test('a 5xx answer', async () => {
    const url = await serve((respond) => respond(500, 'database is locked'));
    expect(await storeFails(url)).toMatch(
      /failed to store the objects \(HTTP 500 Internal Server Error\): database is locked/,
    );
  }, 60_000);

  test('a 4xx answer', async () => {
    const url = await serve((respond) => respond(415, 'unsupported media type'));
    expect(await storeFails(url)).toMatch(/refused the objects \(HTTP 415 Unsupported Media Type\)/);
  }, 60_000);

  test('no answer within --store-timeout', async () => {
    const url = await serve(() => undefined);
    expect(await storeFails(url, '--store-timeout', '1')).toMatch(/did not answer within 1 s/);
  }, 60_000);
});
