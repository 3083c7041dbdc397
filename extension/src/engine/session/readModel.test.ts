/**
 * Model bytes from a store that records the hash they were verified against: the demo model read
 * from disk, a store in memory standing in for the Cache API (test/browser/modelCache.test.ts runs
 * the real one in Chromium).
 */
import { readFile } from 'node:fs/promises';
import { DEFAULT_MANIFEST } from '../../cli/nodeModel';
import type { ModelManifest } from '../types/ModelManifest';
import type { ModelByteStore } from '../types/Session';
import { readManifest, readModelBytes } from './readModel';

const reads: string[] = [];
const readBytes = async (path: string) => {
  reads.push(path);
  return new Uint8Array(await readFile(path));
};

function memoryStore({ recordsHash }: { recordsHash: boolean }) {
  const bytes = new Map<string, Uint8Array>();
  const verified = new Map<string, string>();
  const puts: string[] = [];
  const store: ModelByteStore = {
    get: async (sha256) => bytes.get(sha256),
    put: async (sha256, value) => {
      puts.push(sha256);
      bytes.set(sha256, value);
      verified.set(sha256, sha256);
    },
    ...(recordsHash ? { verifiedHash: async (sha256: string) => verified.get(sha256) } : {}),
  };
  return { store, bytes, verified, puts };
}

describe('readModelBytes with a store', () => {
  let manifest: ModelManifest;
  const options = (byteStore: ModelByteStore) => ({
    manifestUrl: DEFAULT_MANIFEST,
    ort: undefined as never,
    byteStore,
  });
  beforeAll(async () => {
    manifest = await readManifest(options(memoryStore({ recordsHash: false }).store), readBytes);
  });
  beforeEach(() => (reads.length = 0));

  it('hashes a download once and takes the cached bytes on the recorded hash afterwards', async () => {
    const { store } = memoryStore({ recordsHash: true });
    const first = await readModelBytes(manifest, options(store), readBytes, () => undefined);
    expect(first.timings).toMatchObject({ source: 'download', hashMethod: 'webcrypto' });
    const again = await readModelBytes(manifest, options(store), readBytes, () => undefined);
    expect(again.timings).toMatchObject({ source: 'cache', hashMethod: 'remembered' });
    expect(Buffer.compare(Buffer.from(again.bytes), Buffer.from(first.bytes))).toBe(0);
    expect(reads).toHaveLength(1);
  });

  it('hashes cached bytes without a recorded hash, and records it once they pass', async () => {
    const { store, bytes, verified, puts } = memoryStore({ recordsHash: true });
    const model = await readModelBytes(manifest, options(store), readBytes, () => undefined);
    verified.clear(); // an entry written before hashes were recorded
    puts.length = 0;
    bytes.set(manifest.sha256, model.bytes);
    const read = await readModelBytes(manifest, options(store), readBytes, () => undefined);
    expect(read.timings).toMatchObject({ source: 'cache', hashMethod: 'webcrypto' });
    expect(puts).toEqual([manifest.sha256]);
    expect(verified.get(manifest.sha256)).toBe(manifest.sha256);
  });

  it('downloads again when cached bytes without a recorded hash are damaged', async () => {
    const { store, bytes } = memoryStore({ recordsHash: false });
    bytes.set(manifest.sha256, new Uint8Array([1, 2, 3]));
    const read = await readModelBytes(manifest, options(store), readBytes, () => undefined);
    expect(read.timings.source).toBe('download');
    expect(reads).toHaveLength(1);
    expect(bytes.get(manifest.sha256)?.length).toBe(read.bytes.length);
  });
});
