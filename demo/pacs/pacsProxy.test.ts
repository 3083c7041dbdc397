/**
 * The demo server's PACS door against a real Orthanc, from Node: QIDO, WADO-RS metadata and
 * STOW-RS pass through with the isolation headers; BulkDataURIs point back at the demo server; a
 * test-set fault answers STOW; a stopped PACS is a plain 502; anything else that is not a GET is
 * still refused. Skipped, with the reason printed, where Orthanc is not installed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  instanceFileBytes,
  orthancAvailable,
  qido,
  startTestOrthanc,
  storeDemoStudy,
  type TestOrthanc,
} from '../../test/support/orthanc';
import { startDemoServer, type DemoServer } from '../server';
import { stowBody } from './stow';

const available = orthancAvailable();
if (!available)
  console.warn('[pacsProxy] skipped: Orthanc is not installed (apt-get install orthanc orthanc-dicomweb)');
const describeWithOrthanc = available ? describe : describe.skip;

let orthanc: TestOrthanc;
let server: DemoServer;
let demo: Awaited<ReturnType<typeof storeDemoStudy>>['study'];

/** STOW-RS of one demo file through the demo server. */
function stowThroughProxy(): Promise<Response> {
  const { body, contentType } = stowBody([fs.readFileSync(path.join(demo.outDir, demo.files[0].fileName))]);
  return fetch(`${server.url}/dicom-web/studies`, {
    method: 'POST',
    headers: { 'Content-Type': contentType, Accept: 'application/dicom+json' },
    body: new Uint8Array(body),
  });
}

describeWithOrthanc('PACS proxy of the demo server (real Orthanc)', () => {
  beforeAll(async () => {
    orthanc = await startTestOrthanc();
    ({ study: demo } = await storeDemoStudy(orthanc.dicomWebUrl));
    server = await startDemoServer({ port: 0, pacs: { url: orthanc.dicomWebUrl } });
  });

  afterAll(async () => {
    await server?.close();
    await orthanc?.close();
  });

  test('storing the demo study again sends nothing, and the PACS keeps the files as they are', async () => {
    const again = await storeDemoStudy(orthanc.dicomWebUrl);
    expect(again.sent).toBe(0);
    expect(again.present).toBe(demo.files.length);
    for (const file of demo.files) {
      const stored = await instanceFileBytes(orthanc.url, file.sopInstanceUid);
      expect(stored.equals(fs.readFileSync(path.join(demo.outDir, file.fileName)))).toBe(true);
    }
  });

  test('Orthanc answers a burst of parallel whole-file reads (its keep-alive dropped them)', async () => {
    const reads = [...demo.files, ...demo.files, ...demo.files].map((f) =>
      instanceFileBytes(orthanc.url, f.sopInstanceUid),
    );
    const bytes = await Promise.all(reads);
    expect(bytes.every((b) => b.length > 0)).toBe(true);
  });

  test('QIDO and WADO-RS pass through, cross-origin isolated, with bulk data URIs back at the demo server', async () => {
    const studies = await qido(`${server.url}/dicom-web`, `studies?StudyInstanceUID=${demo.studyInstanceUid}`);
    expect(studies).toHaveLength(1);
    // The study list's query, as OHIF encodes it, gets the study description it asks for.
    const [listed] = await qido(`${server.url}/dicom-web`, 'studies?includefield=00081030%2C00080060');
    expect(listed?.['00081030']?.Value?.[0]).toBe(
      (await qido(orthanc.dicomWebUrl, 'studies?includefield=00081030'))[0]?.['00081030']?.Value?.[0],
    );
    expect(listed?.['00081030']?.Value?.[0]).toBeTruthy();
    const response = await fetch(`${server.url}/dicom-web/studies/${demo.studyInstanceUid}/metadata`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    const uris = [...(await response.text()).matchAll(/"BulkDataURI"\s*:\s*"([^"]*)"/g)].map((m) => m[1]);
    expect(uris.length).toBeGreaterThan(0);
    for (const uri of uris) expect(new URL(uri).origin).toBe(server.url);
  });

  test('STOW-RS passes through; a set fault answers it instead; clearing the fault forwards again', async () => {
    expect((await stowThroughProxy()).status).toBe(200);
    server.setPacsFault(503);
    const refused = await stowThroughProxy();
    expect(refused.status).toBe(503);
    expect(await refused.text()).toMatch(/503/);
    // Reads are not affected by a STOW fault.
    expect((await fetch(`${server.url}/dicom-web/studies`)).status).toBe(200);
    server.setPacsFault();
    expect((await stowThroughProxy()).status).toBe(200);
  });

  test('a stopped PACS is a 502 in plain words; back on the same URL it answers again', async () => {
    await orthanc.stop();
    const down = await fetch(`${server.url}/dicom-web/studies`);
    expect(down.status).toBe(502);
    expect(await down.text()).toMatch(/not reachable/);
    await orthanc.start();
    expect((await fetch(`${server.url}/dicom-web/studies`)).status).toBe(200);
  });

  test('outside the proxy, methods other than GET are still refused; / is the study list', async () => {
    expect((await fetch(`${server.url}/app-config.js`, { method: 'POST', body: 'x' })).status).toBe(405);
    expect((await fetch(`${server.url}/dicom-webx`, { method: 'POST', body: 'x' })).status).toBe(405);
    const home = await fetch(`${server.url}/`, { redirect: 'manual' });
    expect(home.status).toBe(200);
    const config = await (await fetch(`${server.url}/app-config.js`)).text();
    expect(config).toMatch(/defaultDataSourceName: "orthanc"/);
    expect(config).toMatch(/showStudyList: true/);
    expect(server.studyUrl).toBe(`${server.url}/chest-xray-ai?StudyInstanceUIDs=${demo.studyInstanceUid}`);
  });
});

test('without a PACS: the embedded demo, and app-config says storing results is off and how to turn it on', async () => {
  const off = await startDemoServer({ port: 0 });
  try {
    expect(off.pacsUrl).toBeUndefined();
    const config = await (await fetch(`${off.url}/app-config.js`)).text();
    expect(config).toMatch(/storeResultsOffHint: ".*orthanc-dicomweb.*PACS_URL.*"/);
    expect(config).toMatch(/showStudyList: false/);
    expect(config).not.toMatch(/dataSourcesModule\.dicomweb/);
    expect((await fetch(`${off.url}/dicom-web/studies`, { method: 'POST', body: 'x' })).status).toBe(405);
    expect(() => off.setPacsFault(500)).toThrow(/no PACS/);
  } finally {
    await off.close();
  }
});
