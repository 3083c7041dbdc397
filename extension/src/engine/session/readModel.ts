import { validateManifest } from '../manifest/validateManifest';
import type { ModelManifest } from '../types/ModelManifest';
import { EngineError } from '../utilities/EngineError';
import { resolveBeside } from '../utilities/resolveBeside';
import { sha256HexWithMethod } from '../utilities/sha256Hex';
import type { HashMethod, LoadModelOptions, LoadProgress, StartupTimings } from '../types/Session';

export type ReadBytes = NonNullable<LoadModelOptions['readBytes']>;
const now = () => globalThis.performance.now();

export async function readManifest(options: LoadModelOptions, readBytes: ReadBytes): Promise<ModelManifest> {
  let text: string;
  try {
    text = new TextDecoder().decode(await readBytes(options.manifestUrl));
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError(
      'model-unreadable',
      `The model manifest ${options.manifestUrl} could not be read (${String(error)}).`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new EngineError('manifest-invalid', `The model manifest ${options.manifestUrl} is not valid JSON.`);
  }
  return validateManifest(json);
}

type ByteTimings = Pick<StartupTimings, 'readMs' | 'source' | 'hashMs' | 'hashMethod'>;

/**
 * Cached bytes whose entry records the hash they were verified against when stored are not hashed
 * again (the store is our origin's own); others are hashed (WebCrypto where there is one, else
 * JavaScript) and, when intact, stored again with the hash recorded, so that happens once.
 */
async function checkCached(
  bytes: Uint8Array,
  manifest: ModelManifest,
  options: LoadModelOptions,
): Promise<{ ok: boolean; method: HashMethod }> {
  const store = options.byteStore;
  if (store?.verifiedHash && (await store.verifiedHash(manifest.sha256)) === manifest.sha256)
    return { ok: true, method: 'remembered' };
  const { hex, method } = await sha256HexWithMethod(bytes);
  const ok = hex === manifest.sha256;
  if (ok && store?.verifiedHash) await store.put(manifest.sha256, bytes);
  return { ok, method };
}

/** The model's bytes, from the store when it holds them intact, else downloaded and checked. */
export async function readModelBytes(
  manifest: ModelManifest,
  options: LoadModelOptions,
  readBytes: ReadBytes,
  report: (progress: LoadProgress) => void,
): Promise<{ bytes: Uint8Array; timings: ByteTimings }> {
  let start = now();
  const cached = await options.byteStore?.get(manifest.sha256);
  if (cached) {
    const readMs = now() - start;
    start = now();
    const check = await checkCached(cached, manifest, options);
    if (check.ok)
      return { bytes: cached, timings: { readMs, source: 'cache', hashMs: now() - start, hashMethod: check.method } };
    start = now();
  }
  const url = resolveBeside(options.manifestUrl, manifest.file);
  report({ stage: 'download', fraction: 0, message: `Downloading ${manifest.name} ${manifest.version}…` });
  let bytes: Uint8Array;
  try {
    bytes = await readBytes(url, (fraction) =>
      report({ stage: 'download', fraction, message: `Downloading ${manifest.name} ${manifest.version}…` }),
    );
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError('model-unreadable', `The model file ${url} could not be read (${String(error)}).`);
  }
  const readMs = now() - start;
  start = now();
  const { hex: actual, method } = await sha256HexWithMethod(bytes);
  const hashMs = now() - start;
  if (actual !== manifest.sha256) {
    throw new EngineError(
      'model-hash-mismatch',
      `The model file does not match its manifest (sha256 ${actual.slice(0, 12)}…, expected ${manifest.sha256.slice(0, 12)}…); it was refused.`,
    );
  }
  await options.byteStore?.put(manifest.sha256, bytes);
  return { bytes, timings: { readMs, source: 'download', hashMs, hashMethod: method } };
}
