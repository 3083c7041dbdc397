/**
 * STOW-RS (PS3.18 10.5): DICOM Part 10 objects to a DICOMweb server in one multipart/related
 * request. Every way it can fail ends in a StoreError whose message says what happened in words.
 */

export class StoreError extends Error {}

export interface StowResult {
  /** How many objects the server says it stored. */
  stored: number;
  status: number;
}

function studiesUrl(url: string): string {
  const base = url.replace(/\/+$/, '');
  return base.endsWith('/studies') ? base : `${base}/studies`;
}

function multipart(parts: ArrayBuffer[], boundary: string): Uint8Array<ArrayBuffer> {
  const encoder = new TextEncoder();
  const head = encoder.encode(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`);
  const crlf = encoder.encode('\r\n');
  const tail = encoder.encode(`--${boundary}--\r\n`);
  const size = parts.reduce((n, p) => n + head.length + p.byteLength + crlf.length, tail.length);
  const body = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    for (const chunk of [head, new Uint8Array(part), crlf]) {
      body.set(chunk, at);
      at += chunk.length;
    }
  }
  body.set(tail, at);
  return body;
}

/** Items of a DICOM JSON sequence attribute of the STOW response (Failed / Referenced SOP). */
function sequenceLength(json: unknown, tag: string): number {
  const element = (json as Record<string, { Value?: unknown[] }> | undefined)?.[tag];
  return Array.isArray(element?.Value) ? element.Value.length : 0;
}

function cause(error: unknown): string {
  const code = (error as { cause?: { code?: string } }).cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused: is it running?';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ECONNRESET') return 'the connection was dropped';
  return code ?? (error instanceof Error ? error.message : String(error));
}

export async function stowRs(url: string, parts: ArrayBuffer[], timeoutMs = 60_000): Promise<StowResult> {
  const target = studiesUrl(url);
  const boundary = `cxrai-${globalThis.crypto.randomUUID()}`;
  let response: Response;
  try {
    response = await fetch(target, {
      method: 'POST',
      headers: {
        'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
        Accept: 'application/dicom+json',
      },
      body: multipart(parts, boundary),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new StoreError(
        `The PACS at ${target} did not answer within ${Math.round(timeoutMs / 1000)} s; nothing is known to be stored.`,
      );
    }
    throw new StoreError(`Cannot reach the PACS at ${target} (${cause(error)}).`);
  }
  const text = await response.text().catch(() => '');
  const detail = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  if (response.status >= 500) {
    throw new StoreError(
      `The PACS at ${target} failed to store the objects (HTTP ${response.status} ${response.statusText})${detail ? `: ${detail}` : ''}.`,
    );
  }
  if (response.status >= 400) {
    throw new StoreError(
      `The PACS at ${target} refused the objects (HTTP ${response.status} ${response.statusText})${detail ? `: ${detail}` : ''}.`,
    );
  }
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const failed = sequenceLength(json, '00081198');
  const stored = json ? sequenceLength(json, '00081199') : parts.length;
  if (failed > 0 || response.status === 202) {
    throw new StoreError(
      `The PACS at ${target} stored ${stored} of ${parts.length} objects and refused ${failed || parts.length - stored}.`,
    );
  }
  return { stored, status: response.status };
}
