/**
 * Plain DICOMweb from Node: STOW-RS of Part 10 files and QIDO-RS, as the demo and the tests use
 * them against Orthanc (or any DICOMweb server named by PACS_URL).
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildDemoStudy, type BuildResult } from '../build-demo-study';

/** One DICOM JSON dataset (PS3.18 F.2): tag → { vr, Value? }. */
export type DicomJson = Record<string, { vr: string; Value?: unknown[] }>;

export interface StowResult {
  stored: string[];
  failed: string[];
}

const sopUids = (dataset: DicomJson | undefined, tag: string): string[] =>
  ((dataset?.[tag]?.Value ?? []) as DicomJson[]).map((item) => String(item['00081155']?.Value?.[0] ?? ''));

/** The multipart/related body STOW-RS takes: one application/dicom part per file. */
export function stowBody(files: Buffer[]): { body: Buffer; contentType: string } {
  const boundary = `cxr-${randomUUID()}`;
  const parts: Buffer[] = [];
  for (const file of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), file, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    body: Buffer.concat(parts),
    contentType: `multipart/related; type="application/dicom"; boundary=${boundary}`,
  };
}

/** POST {dicomWebUrl}/studies with the files; throws unless the server stored every one. */
export async function stowFiles(dicomWebUrl: string, files: Buffer[]): Promise<StowResult> {
  const { body, contentType } = stowBody(files);
  const response = await fetch(`${dicomWebUrl}/studies`, {
    method: 'POST',
    headers: { 'Content-Type': contentType, Accept: 'application/dicom+json' },
    body: new Uint8Array(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`STOW-RS to ${dicomWebUrl} failed: HTTP ${response.status} ${text.slice(0, 200)}`);
  const answer = (text ? JSON.parse(text) : {}) as DicomJson | DicomJson[];
  const dataset = Array.isArray(answer) ? answer[0] : answer;
  const result = { stored: sopUids(dataset, '00081199'), failed: sopUids(dataset, '00081198') };
  if (result.failed.length) throw new Error(`STOW-RS to ${dicomWebUrl} refused ${result.failed.join(', ')}`);
  return result;
}

/** GET a QIDO-RS path under dicomWebUrl; [] when nothing matches (204 or empty body). */
export async function qido(dicomWebUrl: string, query: string): Promise<DicomJson[]> {
  const response = await fetch(`${dicomWebUrl}/${query}`, { headers: { Accept: 'application/dicom+json' } });
  if (response.status === 204) return [];
  const text = await response.text();
  if (!response.ok) throw new Error(`QIDO-RS ${query} failed: HTTP ${response.status} ${text.slice(0, 200)}`);
  return text ? (JSON.parse(text) as DicomJson[]) : [];
}

/** The series of a study, optionally filtered (e.g. { Modality: 'SR' }). */
export function qidoSeries(dicomWebUrl: string, studyUid: string, params: Record<string, string> = {}) {
  const search = new URLSearchParams(params).toString();
  return qido(dicomWebUrl, `studies/${studyUid}/series${search ? `?${search}` : ''}`);
}

/**
 * Puts the demo study (built under .cache/demo-study if missing) into the PACS over STOW-RS.
 * Idempotent: instances the PACS already has are not sent again.
 */
export async function storeDemoStudy(
  dicomWebUrl: string,
  study: BuildResult = buildDemoStudy(),
): Promise<{ study: BuildResult; sent: number; present: number }> {
  const have = new Set(
    (await qido(dicomWebUrl, `instances?StudyInstanceUID=${study.studyInstanceUid}`)).map((i) =>
      String(i['00080018']?.Value?.[0] ?? ''),
    ),
  );
  const missing = study.files.filter((f) => !have.has(f.sopInstanceUid));
  if (missing.length) {
    await stowFiles(
      dicomWebUrl,
      missing.map((f) => fs.readFileSync(path.join(study.outDir, f.fileName))),
    );
  }
  return { study, sent: missing.length, present: study.files.length - missing.length };
}
