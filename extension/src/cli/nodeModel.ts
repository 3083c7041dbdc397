import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { loadModel, type LoadedModel } from '../engine';

/**
 * The project root: the nearest folder above this file holding the demo model's build script.
 * Found rather than fixed, as this file runs from extension/src/cli (tsx, jest) and from build/cli.
 */
function projectRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'models', 'scripts', 'build-demo-model.ts'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no project root above ${__dirname}`);
  }
}

/** The demo model that `npm install` builds. */
export const DEFAULT_MANIFEST = join(projectRoot(), 'models', 'demo', 'manifest.json');

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
