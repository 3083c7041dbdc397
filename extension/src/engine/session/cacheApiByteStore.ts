import type { ModelByteStore } from '../types/Session';

/** Our own Cache API bucket; we never open or clear anyone else's storage. */
const CACHE_NAME = 'chest-xray-ai-models-v1';
const keyFor = (sha256: string) => `/chest-xray-ai/models/${sha256}.onnx`;
/** The hash the bytes passed before they were stored, kept with them. */
const VERIFIED_HEADER = 'X-Chest-Xray-Ai-Verified-Sha256';

/**
 * Model bytes kept in the browser's Cache API (pages and workers), keyed by sha256 so a new model
 * version never reuses old bytes, each entry recording the hash it was verified against. Returns
 * undefined when the Cache API is unavailable (e.g. insecure origin); failures to store are
 * ignored: the cache only saves a download.
 */
export function createCacheApiByteStore(): ModelByteStore | undefined {
  if (typeof caches === 'undefined') return undefined;
  const entry = async (sha256: string) => {
    try {
      return await (await caches.open(CACHE_NAME)).match(keyFor(sha256));
    } catch {
      return undefined;
    }
  };
  return {
    async get(sha256) {
      try {
        const response = await entry(sha256);
        return response ? new Uint8Array(await response.arrayBuffer()) : undefined;
      } catch {
        return undefined;
      }
    },
    async verifiedHash(sha256) {
      return (await entry(sha256))?.headers.get(VERIFIED_HEADER) ?? undefined;
    },
    async put(sha256, bytes) {
      try {
        const cache = await caches.open(CACHE_NAME);
        await cache.put(
          keyFor(sha256),
          new Response(bytes as Uint8Array<ArrayBuffer>, {
            headers: { 'Content-Type': 'application/octet-stream', [VERIFIED_HEADER]: sha256 },
          }),
        );
      } catch {
        // Quota or private mode: keep working without the cache.
      }
    },
  };
}
