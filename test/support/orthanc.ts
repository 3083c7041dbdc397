/**
 * A real Orthanc for jest tests: private storage under .cache/test-orthanc-*, loopback only.
 *
 *   const pacs = await startTestOrthanc();     // pacs.dicomWebUrl → startDemoServer({ pacs: { url } })
 *   await storeDemoStudy(pacs.dicomWebUrl);
 *   await pacs.stop(); await pacs.start();     // PACS down, then back (same port, same storage)
 *   await pacs.close();                        // stop and remove the storage (afterAll)
 *
 * Guard a suite with `orthancAvailable()` (skip with a printed reason when it is false).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { orthancAvailable, startOrthanc, type OrthancProcess } from '../../demo/pacs/orthanc';

export { orthancAvailable } from '../../demo/pacs/orthanc';
export { qido, qidoSeries, stowFiles, storeDemoStudy, type DicomJson } from '../../demo/pacs/stow';

const ROOT = path.resolve(__dirname, '../..');

export interface TestOrthanc {
  /** REST root, http://127.0.0.1:port */
  url: string;
  /** DICOMweb root, http://127.0.0.1:port/dicom-web */
  dicomWebUrl: string;
  /** Stops Orthanc; the storage stays for start() and is removed at close() or when jest exits. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same storage (after stop()). */
  start(): Promise<void>;
  /** Stops it and removes its storage. */
  close(): Promise<void>;
}

const leftovers = new Set<string>();
process.once('exit', () => {
  for (const dir of leftovers) fs.rmSync(dir, { recursive: true, force: true });
});

export async function startTestOrthanc(): Promise<TestOrthanc> {
  if (!orthancAvailable()) throw new Error('Orthanc is not installed (apt-get install orthanc orthanc-dicomweb)');
  fs.mkdirSync(path.join(ROOT, '.cache'), { recursive: true });
  const storageDir = fs.mkdtempSync(path.join(ROOT, '.cache', 'test-orthanc-'));
  leftovers.add(storageDir);
  let orthanc: OrthancProcess | undefined = await startOrthanc({ storageDir });
  const { url, dicomWebUrl, httpPort, dicomPort } = orthanc;
  const stop = async () => {
    await orthanc?.stop();
    orthanc = undefined;
  };
  return {
    url,
    dicomWebUrl,
    stop,
    start: async () => {
      if (!orthanc) orthanc = await startOrthanc({ storageDir, httpPort, dicomPort });
    },
    close: async () => {
      await stop();
      fs.rmSync(storageDir, { recursive: true, force: true });
      leftovers.delete(storageDir);
    },
  };
}

/** Orthanc's id of an instance, through its REST API (`/tools/find`). */
async function orthancInstanceId(url: string, sopInstanceUid: string): Promise<string> {
  const response = await fetch(`${url}/tools/find`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ Level: 'Instance', Query: { SOPInstanceUID: sopInstanceUid } }),
  });
  if (!response.ok) throw new Error(`Orthanc /tools/find: HTTP ${response.status}`);
  const ids = (await response.json()) as string[];
  if (ids.length !== 1) throw new Error(`Orthanc has ${ids.length} instances ${sopInstanceUid}`);
  return ids[0];
}

/** The Part 10 bytes Orthanc stores for an instance (to check a source instance is unchanged). */
export async function instanceFileBytes(url: string, sopInstanceUid: string): Promise<Buffer> {
  const id = await orthancInstanceId(url, sopInstanceUid);
  const response = await fetch(`${url}/instances/${id}/file`);
  if (!response.ok) throw new Error(`Orthanc /instances/${id}/file: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}
