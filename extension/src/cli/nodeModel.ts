import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ortNative from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { loadModel, type BackendName, type LoadedModel } from '../engine';

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

/**
 * The CLI's backends: `cpu-native` (onnxruntime-node's CPU execution provider, the default: about
 * 6x faster here) or `wasm` (onnxruntime-web's WASM backend in Node: bit for bit what the viewer's
 * CPU path computes).
 */
export type CliBackend = Extract<BackendName, 'cpu-native' | 'wasm'>;
export const CLI_BACKENDS: readonly CliBackend[] = ['cpu-native', 'wasm'];
export const DEFAULT_CLI_BACKEND: CliBackend = 'cpu-native';

export function isCliBackend(value: unknown): value is CliBackend {
  return typeof value === 'string' && (CLI_BACKENDS as readonly string[]).includes(value);
}

/**
 * The engine's loadModel in Node, one code path for both backends (onnxruntime-node's API is
 * onnxruntime-common's, as onnxruntime-web's is). `threads`: intra-op threads on `cpu-native`,
 * WASM threads on `wasm`.
 */
export function loadModelFromDisk(
  manifestPath: string = DEFAULT_MANIFEST,
  threads?: number,
  backend: CliBackend = DEFAULT_CLI_BACKEND,
): Promise<LoadedModel> {
  const common = { manifestUrl: resolve(manifestPath), readBytes: readLocalBytes };
  return backend === 'cpu-native'
    ? loadModel({ ...common, ort: ortNative, backend: 'cpu-native', nativeThreads: threads })
    : loadModel({ ...common, ort: ortWeb, backend: 'wasm', wasmThreads: threads });
}
