import { EngineError } from '../utilities/EngineError';

/**
 * fetch() with download progress. Content-Length counts the bytes on the wire, so it gives progress
 * only for an uncompressed response; the body is collected whole either way.
 */
export async function readBytesWithFetch(url: string, onFraction?: (fraction: number) => void): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new EngineError('model-unreadable', `The model could not be downloaded from ${url} (${String(error)}).`);
  }
  if (!response.ok) {
    throw new EngineError(
      'model-unreadable',
      `The model could not be downloaded from ${url} (HTTP ${response.status}).`,
    );
  }
  const encoding = response.headers.get('Content-Encoding');
  const total = !encoding || encoding === 'identity' ? Number(response.headers.get('Content-Length')) || 0 : 0;
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    if (onFraction && total > 0) onFraction(Math.min(1, received / total));
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
