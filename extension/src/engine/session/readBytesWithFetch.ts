import { EngineError } from '../utilities/EngineError';

/** fetch() with download progress when the server gives a Content-Length. */
export async function readBytesWithFetch(url: string, onFraction?: (fraction: number) => void): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new EngineError('model-unreadable', `The model could not be downloaded from ${url} (${String(error)}).`);
  }
  if (!response.ok) {
    throw new EngineError('model-unreadable', `The model could not be downloaded from ${url} (HTTP ${response.status}).`);
  }
  const total = Number(response.headers.get('Content-Length')) || 0;
  if (!response.body || !onFraction || total === 0) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const bytes = new Uint8Array(total);
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (received + value.length > total) throw new EngineError('model-unreadable', `The model at ${url} is longer than announced.`);
    bytes.set(value, received);
    received += value.length;
    onFraction(received / total);
  }
  return received === total ? bytes : bytes.subarray(0, received);
}
