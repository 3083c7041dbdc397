import type { Ort } from '../engine';

/** Where our own onnxruntime-web files are served: never the host viewer's /ort/ (another version). */
export function defaultOrtBaseUrl(): string {
  if (typeof __CXR_RUNTIME_BUNDLE__ !== 'undefined' && __CXR_RUNTIME_BUNDLE__) {
    return new URL('ort/', new URL(__webpack_public_path__, window.location.href)).href;
  }
  // A site build copies the package's dist/ort/ here (see extension/README.md).
  return new URL('/chest-xray-ai/ort/', window.location.href).href;
}

// A native import() of a URL, kept out of webpack's hands (webpackIgnore), so onnxruntime-web
// finds its .wasm and worker files beside itself, exactly as published.
function nativeImport(url: string): Promise<unknown> {
  return import(/* webpackIgnore: true */ url);
}

const loaded = new Map<string, Promise<Ort>>();

/**
 * Loads onnxruntime-web once per entry point: the plain WASM build (its non-asyncify .wasm: faster
 * session creation and first run), or the WebGPU one only where WebGPU is to be used. Works in the
 * page and in our worker (an absolute `baseUrl`).
 */
export function loadOrt(baseUrl: string, bundle: 'wasm' | 'webgpu'): Promise<Ort> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const file = bundle === 'wasm' ? 'ort.wasm.min.mjs' : 'ort.webgpu.min.mjs';
  const url = new URL(file, base).href;
  let promise = loaded.get(url);
  if (!promise) {
    promise = nativeImport(url).then(
      (module) => {
        const ort = ((module as { default?: Ort }).default ?? module) as Ort;
        ort.env.wasm.wasmPaths = base;
        return ort;
      },
      (error) => {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`the AI runtime (onnxruntime-web) could not be loaded from ${url} (${reason}).`);
      },
    );
    promise.catch(() => loaded.delete(url));
    loaded.set(url, promise);
  }
  return promise;
}
