import { loadModel, type LoadedModel, type LoadProgress, type ModelByteStore, type Ort } from '../engine';
import type { FromWorker, LoadRequest, MessageEndpoint, ToWorker } from './protocol';
import { resultTransferList, serializeError } from './transfer';

export interface WorkerDeps {
  /** The onnxruntime bundle: the plain WASM build, or the WebGPU one (its asyncify runtime). */
  loadOrt(baseUrl: string, bundle: 'wasm' | 'webgpu'): Promise<Ort>;
  byteStore?: ModelByteStore;
  /** How long after the model is ready, with no analysis asked for, the WebGPU check starts anyway. */
  webgpuCheckDelayMs?: number;
}

/**
 * How long after ready the warm-up run waits for an image. It costs a whole run and saves only the
 * first run's extra (small on the plain WASM build): measured here, an image that arrived during it
 * waited 2.7-3.3 s more (load 10-14 on 2 cores), so it runs only when the reader is plainly elsewhere.
 */
const WARM_UP_WHEN_IDLE_MS = 2000;

const now = () => globalThis.performance.now();

/**
 * The inference worker's side: loads the model (session creation here, off the page's thread, and
 * a warm-up run when no image is waiting), runs each analysis it is sent, and checks WebGPU after
 * the first result (or when idle) so the check never delays it.
 */
export function serveInferenceWorker(endpoint: MessageEndpoint, deps: WorkerDeps): void {
  let model: Promise<LoadedModel> | undefined;
  let webgpuTimer: ReturnType<typeof setTimeout> | undefined;
  let webgpuStarted = false;
  let warmUpTimer: ReturnType<typeof setTimeout> | undefined;
  let analysed = false;
  const post = (message: FromWorker, transfer: ArrayBuffer[] = []) => endpoint.postMessage(message, transfer);

  const startWebgpuCheck = (loaded: LoadedModel) => {
    if (webgpuStarted) return;
    webgpuStarted = true;
    clearTimeout(webgpuTimer);
    void loaded.tryWebgpu?.().catch(() => undefined);
  };

  // Each report re-renders the panel on the page's thread: download fractions at most every 250 ms.
  let lastReport = { stage: '', at: -Infinity };
  const reportProgress = (progress: LoadProgress) => {
    const at = now();
    if (progress.stage === lastReport.stage && progress.stage === 'download' && at - lastReport.at < 250) return;
    lastReport = { stage: progress.stage, at };
    post({ type: 'progress', progress });
  };

  async function load(request: LoadRequest): Promise<LoadedModel> {
    const started = now();
    const ort = await deps.loadOrt(request.ortBaseUrl, request.backend === 'webgpu' ? 'webgpu' : 'wasm');
    const ortLoadMs = now() - started;
    const loaded: LoadedModel = await loadModel({
      manifestUrl: request.manifestUrl,
      ort,
      backend: request.backend,
      byteStore: deps.byteStore,
      wasmThreads: request.wasmThreads,
      ...(request.backend === 'webgpu-then-wasm'
        ? { loadWebgpuOrt: () => deps.loadOrt(request.ortBaseUrl, 'webgpu') }
        : {}),
      onProgress: (progress) => reportProgress(progress),
      onBackendChange: (backend, backendNote) =>
        post({ type: 'changed', backend, backendNote, startup: loaded.startup }),
    });
    if (loaded.startup) Object.assign(loaded.startup, { ortLoadMs, thread: 'worker' });
    post({
      type: 'ready',
      manifest: loaded.manifest,
      backend: loaded.backend,
      backendNote: loaded.backendNote,
      startup: loaded.startup,
    });
    warmUpTimer = setTimeout(() => {
      if (analysed) return;
      loaded
        .warmUp?.()
        .then(() =>
          post({ type: 'changed', backend: loaded.backend, backendNote: loaded.backendNote, startup: loaded.startup }),
        )
        .catch(() => undefined); // the first image's own run will say what is wrong
    }, WARM_UP_WHEN_IDLE_MS);
    if (request.backend === 'webgpu-then-wasm')
      webgpuTimer = setTimeout(() => startWebgpuCheck(loaded), deps.webgpuCheckDelayMs ?? 10_000);
    return loaded;
  }

  endpoint.addEventListener('message', (event) => {
    const message = event.data as ToWorker;
    if (message.type === 'load') {
      model ??= load(message);
      model.catch((error: unknown) => post({ type: 'load-failed', error: serializeError(error) }));
      return;
    }
    const { id } = message;
    if (!model) {
      post({ type: 'failed', id, error: serializeError(new Error('The model was not loaded.')) });
      return;
    }
    if (message.type === 'analyze') {
      analysed = true;
      clearTimeout(warmUpTimer);
      model
        .then(async (loaded) => {
          const result = await loaded.analyze(message.pixels, message.options);
          post({ type: 'result', id, result }, resultTransferList(result));
          startWebgpuCheck(loaded); // the first result is out: now the GPU may be checked
        })
        .catch((error: unknown) => post({ type: 'failed', id, error: serializeError(error) }));
    } else if (message.type === 'dispose') {
      clearTimeout(webgpuTimer);
      clearTimeout(warmUpTimer);
      webgpuStarted = true;
      model
        .then((loaded) => loaded.dispose())
        .catch(() => undefined)
        .then(() => post({ type: 'disposed', id }));
    }
  });
  endpoint.start?.();
}
