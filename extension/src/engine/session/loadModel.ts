import type { InferenceSession } from 'onnxruntime-web';
import { checkModelAgainstManifest } from '../manifest/checkModelAgainstManifest';
import type { BackendName } from '../types/Analysis';
import type { ModelManifest } from '../types/ModelManifest';
import { EngineError } from '../utilities/EngineError';
import { createSession, displayedOutputs, selectBackend, type DisplayedOutputs } from './backendSelection';
import { proveWebgpu } from './proveWebgpu';
import { readManifest, readModelBytes } from './readModel';
import { readBytesWithFetch } from './readBytesWithFetch';
import { runAnalysis } from './runAnalysis';
import type { LoadedModel, LoadModelOptions, Ort, StartupTimings } from '../types/Session';

const now = () => globalThis.performance.now();

/** WASM threads: what the caller asks, else 1 in a page or worker without cross-origin isolation. */
function configureWasm(ort: Ort, threads: number | undefined): number {
  // `crossOriginIsolated` exists in pages and workers, not in Node.
  const browserLike = typeof crossOriginIsolated !== 'undefined';
  const isolated = browserLike && crossOriginIsolated;
  const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency ? navigator.hardwareConcurrency : 2;
  // Threads need SharedArrayBuffer, i.e. a cross-origin isolated page; without it ORT silently uses one.
  ort.env.wasm.numThreads = threads ?? (browserLike && !isolated ? 1 : Math.min(4, cores));
  return ort.env.wasm.numThreads;
}

/** A WASM session, checked against the manifest before anything runs on it. */
async function startOnWasm(ort: Ort, bytes: Uint8Array, manifest: ModelManifest): Promise<InferenceSession> {
  const wasm = await createSession(ort, bytes, 'wasm');
  try {
    checkModelAgainstManifest(wasm, manifest);
  } catch (error) {
    await wasm.release();
    throw error;
  }
  return wasm;
}

/**
 * Reads and checks a model (manifest schema, file hash, real inputs/outputs), starts it on the
 * best backend that proves trustworthy, and returns a runner whose every result names that backend.
 * With `loadWebgpuOrt` the model is ready on WASM first and WebGPU is proven later (`tryWebgpu`).
 */
export async function loadModel(options: LoadModelOptions): Promise<LoadedModel> {
  const report = options.onProgress ?? (() => undefined);
  const readBytes = options.readBytes ?? readBytesWithFetch;
  const { ort } = options;
  const preference = options.backend ?? 'webgpu-then-wasm';
  const background = preference === 'webgpu-then-wasm' && options.loadWebgpuOrt !== undefined;
  let mark = now();
  report({ stage: 'manifest', message: 'Reading the model manifest…' });
  const manifest = await readManifest(options, readBytes);
  const manifestMs = now() - mark;
  const { bytes, timings: byteTimings } = await readModelBytes(manifest, options, readBytes, report);
  const threads = configureWasm(ort, options.wasmThreads);

  mark = now();
  let selected;
  try {
    if (background) {
      report({ stage: 'session', message: 'Starting the model on the CPU (WASM)…' });
      selected = { session: await startOnWasm(ort, bytes, manifest), backend: 'wasm' as BackendName, note: undefined };
    } else {
      selected = await selectBackend(ort, bytes, manifest, preference, report, options.nativeThreads);
    }
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError('model-unreadable', `The model could not be started: ${String(error)}`);
  }
  const startup: StartupTimings = { manifestMs, ...byteTimings, sessionMs: now() - mark };
  let session: InferenceSession = selected.session;
  let sessionOrt: Ort = ort;
  let backend: BackendName = selected.backend;
  let backendNote = selected.note;
  let disposed = false;
  const changed = () => options.onBackendChange?.(backend, backendNote);

  // ORT sessions run one request at a time; chain them.
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(job: () => Promise<T>): Promise<T> => {
    const run = queue.then(job);
    queue = run.catch(() => undefined);
    return run;
  };
  let webgpuAttempt: Promise<BackendName> | undefined;

  // One run on the fixed input, on the WASM session: later image runs are warm, and it is WebGPU's
  // reference. Once only; in the queue, so an image asked for meanwhile waits at most for it.
  let warming: Promise<DisplayedOutputs> | undefined;
  const warmUp = () =>
    (warming ??= enqueue(async () => {
      const started = now();
      const outputs = await displayedOutputs(sessionOrt, session, manifest);
      startup.warmupMs = now() - started;
      return outputs;
    }));
  if (options.warmUp) {
    try {
      await warmUp();
    } catch (error) {
      await session.release().catch(() => undefined);
      throw new EngineError('model-unreadable', `The model could not be started: ${String(error)}`);
    }
  }

  const fallBackToCpu = async (error: unknown) => {
    // A lost or failing GPU device: continue on the CPU unless the site requires the GPU.
    if (preference === 'webgpu') {
      throw new EngineError(
        'backend-unavailable',
        `The GPU stopped working (${String(error)}); this site requires the GPU.`,
      );
    }
    await session.release().catch(() => undefined);
    backend = 'wasm';
    backendNote = `Running on the CPU (WASM): the GPU stopped working (${String(error)}).`;
    sessionOrt = ort;
    try {
      session = await createSession(ort, bytes, 'wasm');
    } catch (cpuError) {
      disposed = true; // nothing left to run on
      throw new EngineError(
        'backend-unavailable',
        `The GPU stopped working and the CPU could not take over (${String(cpuError)}).`,
      );
    } finally {
      changed();
    }
  };

  const model: LoadedModel = {
    manifest,
    startup,
    get backend() {
      return backend;
    },
    get backendNote() {
      return backendNote;
    },
    analyze(pixels, analyzeOptions) {
      return enqueue(async () => {
        if (disposed) throw new EngineError('inference-failed', 'The model was closed; load it again to analyse.');
        try {
          return await runAnalysis(sessionOrt, session, manifest, backend, pixels, analyzeOptions);
        } catch (error) {
          if (backend !== 'webgpu' || error instanceof EngineError) throw error;
          await fallBackToCpu(error);
          return runAnalysis(sessionOrt, session, manifest, backend, pixels, analyzeOptions);
        }
      });
    },
    async warmUp() {
      if (!disposed) await warmUp();
    },
    tryWebgpu() {
      const load = options.loadWebgpuOrt;
      if (!background || !load) return Promise.resolve(backend);
      webgpuAttempt ??= (async () => {
        const cpuReference = await warmUp();
        const started = now();
        const proof = await proveWebgpu(load, bytes, manifest, cpuReference, threads);
        startup.webgpuCheckMs = now() - started;
        startup.webgpuOutcome = proof.outcome;
        if (proof.outcome !== 'in-use') {
          backendNote = `Running on the CPU (WASM): ${proof.reason}`;
          changed();
          return backend;
        }
        // Switched between two runs, so no request sees half a change.
        await enqueue(async () => {
          if (disposed || backend !== 'wasm') return proof.session.release();
          const cpu = session;
          session = proof.session;
          sessionOrt = proof.ort;
          backend = 'webgpu';
          backendNote = undefined;
          changed();
          await cpu.release().catch(() => undefined);
        });
        return backend;
      })();
      return webgpuAttempt;
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
