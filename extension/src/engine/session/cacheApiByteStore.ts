import type { ModelByteStore } from '../types/Session';

/** Our own Cache API bucket; we never open or clear anyone else's storage. */
const CACHE_NAME = 'chest-xray-ai-models-v1';
const keyFor = (sha256: string) => `/chest-xray-ai/models/${sha256}.onnx`;

/**
 * Model bytes kept in the browser's Cache API, keyed by sha256 so a new model version never
 * reuses old bytes. Returns undefined when the Cache API is unavailable (e.g. insecure origin);
 * failures to store are ignored: the cache only saves a download.
 */
export function createCacheApiByteStore(): ModelByteStore | undefined {
  if (typeof caches === 'undefined') return undefined;
  return {
    async get(sha256) {
      try {
        const cache = await caches.open(CACHE_NAME);
        const response = await cache.match(keyFor(sha256));
        return response ? new Uint8Array(await response.arrayBuffer()) : undefined;
      } catch {
        return undefined;
      }
    },
    async put(sha256, bytes) {
      try {
        const cache = await caches.open(CACHE_NAME);
        await cache.put(
          keyFor(sha256),
          new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'Content-Type': 'application/octet-stream' } }),
        );
      } catch {
        // Quota or private mode: keep working without the cache.
      }
    },
  };
}
