import type { InferenceSession } from 'onnxruntime-web';
import { validateManifest } from '../manifest/validateManifest';
import type { BackendName } from '../types/Analysis';
import type { ModelManifest } from '../types/ModelManifest';
import { EngineError } from '../utilities/EngineError';
import { resolveBeside } from '../utilities/resolveBeside';
import { sha256Hex } from '../utilities/sha256Hex';
import { createSession, selectBackend } from './backendSelection';
import { readBytesWithFetch } from './readBytesWithFetch';
import { runAnalysis } from './runAnalysis';
import type { LoadedModel, LoadModelOptions, LoadProgress, Ort } from '../types/Session';

function configureWasm(ort: Ort, threads: number | undefined): void {
  const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
  const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency ? navigator.hardwareConcurrency : 2;
  // Threads need SharedArrayBuffer, i.e. a cross-origin isolated page; without it ORT silently uses one.
  const inBrowser = typeof window !== 'undefined';
  ort.env.wasm.numThreads = threads ?? (inBrowser && !isolated ? 1 : Math.min(4, cores));
}

async function readManifest(options: LoadModelOptions, readBytes: NonNullable<LoadModelOptions['readBytes']>) {
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

async function readModelBytes(
  manifest: ModelManifest,
  options: LoadModelOptions,
  readBytes: NonNullable<LoadModelOptions['readBytes']>,
  report: (progress: LoadProgress) => void,
): Promise<Uint8Array> {
  const cached = await options.byteStore?.get(manifest.sha256);
  if (cached && (await sha256Hex(cached)) === manifest.sha256) return cached;
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
  const actual = await sha256Hex(bytes);
  if (actual !== manifest.sha256) {
    throw new EngineError(
      'model-hash-mismatch',
      `The model file does not match its manifest (sha256 ${actual.slice(0, 12)}…, expected ${manifest.sha256.slice(0, 12)}…); it was refused.`,
    );
  }
  await options.byteStore?.put(manifest.sha256, bytes);
  return bytes;
}

/**
 * Reads and checks a model (manifest schema, file hash, real inputs/outputs), starts it on the
 * best backend that proves trustworthy, and returns a runner whose every result names that backend.
 */
export async function loadModel(options: LoadModelOptions): Promise<LoadedModel> {
  const report = options.onProgress ?? (() => undefined);
  const readBytes = options.readBytes ?? readBytesWithFetch;
  const { ort } = options;
  report({ stage: 'manifest', message: 'Reading the model manifest…' });
  const manifest = await readManifest(options, readBytes);
  const bytes = await readModelBytes(manifest, options, readBytes, report);
  configureWasm(ort, options.wasmThreads);

  let selected;
  try {
    selected = await selectBackend(
      ort,
      bytes,
      manifest,
      options.backend ?? 'webgpu-then-wasm',
      report,
      options.nativeThreads,
    );
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError('model-unreadable', `The model could not be started: ${String(error)}`);
  }
  let session: InferenceSession = selected.session;
  let backend: BackendName = selected.backend;
  let backendNote = selected.note;
  let disposed = false;

  // ORT sessions run one request at a time; chain them.
  let queue: Promise<unknown> = Promise.resolve();
  const model: LoadedModel = {
    manifest,
    get backend() {
      return backend;
    },
    get backendNote() {
      return backendNote;
    },
    analyze(pixels, analyzeOptions) {
      const run = queue.then(async () => {
        if (disposed) throw new EngineError('inference-failed', 'The model was closed; load it again to analyse.');
        try {
          return await runAnalysis(ort, session, manifest, backend, pixels, analyzeOptions);
        } catch (error) {
          if (backend !== 'webgpu' || error instanceof EngineError) throw error;
          // A lost or failing GPU device: continue on the CPU unless the site requires the GPU.
          if (options.backend === 'webgpu') {
            throw new EngineError(
              'backend-unavailable',
              `The GPU stopped working (${String(error)}); this site requires the GPU.`,
            );
          }
          await session.release().catch(() => undefined);
          backend = 'wasm';
          backendNote = `Running on the CPU (WASM): the GPU stopped working (${String(error)}).`;
          try {
            session = await createSession(ort, bytes, 'wasm');
          } catch (cpuError) {
            disposed = true; // nothing left to run on
            throw new EngineError(
              'backend-unavailable',
              `The GPU stopped working and the CPU could not take over (${String(cpuError)}).`,
            );
          }
          return runAnalysis(ort, session, manifest, backend, pixels, analyzeOptions);
        }
      });
      queue = run.catch(() => undefined);
      return run;
    },
    async dispose() {
      await queue;
      if (disposed) return;
      disposed = true;
      await session.release();
    },
  };
  report({ stage: 'ready', message: `${manifest.name} ${manifest.version} ready on ${backend.toUpperCase()}` });
  return model;
}
