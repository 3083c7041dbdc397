import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { loadModel, type LoadedModel } from '../engine';

/** The demo model that `npm install` builds. */
export const DEFAULT_MANIFEST = resolve(__dirname, '../../../models/demo/manifest.json');

async function readLocalBytes(location: string): Promise<Uint8Array> {
  const path = location.startsWith('file:') ? fileURLToPath(location) : location;
  return new Uint8Array(await readFile(path));
}

/** The engine's loadModel on onnxruntime-web's WASM backend in Node: the same code the viewer runs. */
export function loadModelFromDisk(manifestPath: string = DEFAULT_MANIFEST, wasmThreads?: number): Promise<LoadedModel> {
  return loadModel({
    manifestUrl: resolve(manifestPath),
    ort,
    backend: 'wasm',
    readBytes: readLocalBytes,
    wasmThreads,
  });
}
