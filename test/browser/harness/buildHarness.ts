import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import webpack from 'webpack';

const root = resolve(__dirname, '../../..');
export const HARNESS_DIR = join(root, '.cache/browser-harness');
export const ORT_DIST = join(root, 'node_modules/onnxruntime-web/dist');

/** Bundles the engine for the browser (once per test run; webpack, like the extension). */
export async function buildHarness(): Promise<string> {
  mkdirSync(HARNESS_DIR, { recursive: true });
  const compiler = webpack({
    mode: 'production',
    target: 'web',
    entry: join(__dirname, 'entry.ts'),
    output: { path: HARNESS_DIR, filename: 'engine.js' },
    resolve: { extensions: ['.ts', '.js'] },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          use: {
            loader: 'ts-loader',
            options: { transpileOnly: true, compilerOptions: { module: 'esnext', noEmit: false } },
          },
        },
      ],
    },
    devtool: false,
    performance: { hints: false },
  });
  await new Promise<void>((done, fail) =>
    compiler.run((error, stats) => {
      compiler.close(() => undefined);
      if (error) return fail(error);
      if (stats?.hasErrors()) return fail(new Error(stats.toString('errors-only')));
      done();
    }),
  );
  const bundle = join(HARNESS_DIR, 'engine.js');
  if (!existsSync(bundle) || statSync(bundle).size === 0) throw new Error('harness bundle missing');
  return bundle;
}

/** The page: imports onnxruntime-web's WebGPU build from our own copy and hands it to the engine. */
export const HARNESS_PAGE = `<!doctype html><html><body>
<script src="/harness/engine.js"></script>
<script type="module">
  import * as ort from '/ort/ort.webgpu.min.mjs';
  ort.env.wasm.wasmPaths = '/ort/';
  window.ort = ort;
  window.harnessReady = true;
</script></body></html>`;
