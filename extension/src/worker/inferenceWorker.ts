/**
 * The inference worker's entry (its own webpack entry: dist/plugins/chest-xray-ai-inference-worker.mjs,
 * a module worker). onnxruntime-web is imported here by native import from our own ort/ folder, so
 * the page's thread never loads it.
 */
import { createCacheApiByteStore } from '../engine';
import { loadOrt } from '../services/loadOrt';
import type { MessageEndpoint } from './protocol';
import { serveInferenceWorker } from './serveInferenceWorker';

serveInferenceWorker(globalThis as unknown as MessageEndpoint, { loadOrt, byteStore: createCacheApiByteStore() });
