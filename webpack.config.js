// Two builds of the OHIF extension and mode (see extension/README.md):
//  1. "package": ES modules that a site's own OHIF build consumes (extension/dist, modes/dist).
//     OHIF, React, Cornerstone and vtk.js stay external: the host provides them (peer deps).
//  2. "runtime": self-contained ES modules a prebuilt OHIF 3.13 viewer imports at run time from
//     window.config.extensions / modes (dist/plugins). React is bundled (the host does not share
//     it); Cornerstone is taken from the host at run time; onnxruntime-web is copied beside the
//     bundle (dist/plugins/ort) and imported from there, never from the host's /ort/.
//     Inference runs in a module worker, its own entry (chest-xray-ai-inference-worker.mjs) beside
//     the extension's: the worker imports onnxruntime-web from ort/; the page's thread never does.
//     Beside the bundles it writes dist/plugins/integrity.json: each .mjs file's SRI hash
//     (sha384, what browsers and OHIF 3.14's run-time descriptors check), for app-config.js.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const webpack = require('webpack');

const root = __dirname;

/** The onnxruntime-web files the browser loads: the WebGPU and WASM-only entry points and their runtimes. */
const ORT_FILES = [
  'ort.webgpu.min.mjs',
  'ort.wasm.min.mjs',
  'ort-wasm-simd-threaded.asyncify.mjs',
  'ort-wasm-simd-threaded.asyncify.wasm',
  'ort-wasm-simd-threaded.mjs',
  'ort-wasm-simd-threaded.wasm',
];

/** onnxruntime-web's package folder (its exports map hides package.json from require.resolve). */
function ortRoot() {
  let dir = path.dirname(require.resolve('onnxruntime-web'));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

/** Copies onnxruntime-web's browser files into `<output>/ort/` (no copy plugin needed). */
class CopyOrtPlugin {
  apply(compiler) {
    compiler.hooks.afterEmit.tap('CopyOrtPlugin', (compilation) => {
      const src = ortRoot();
      const out = path.join(compilation.outputOptions.path, 'ort');
      fs.mkdirSync(out, { recursive: true });
      const version = JSON.parse(fs.readFileSync(path.join(src, 'package.json'), 'utf8')).version;
      for (const file of ORT_FILES) {
        const from = path.join(src, 'dist', file);
        const to = path.join(out, file);
        const a = fs.statSync(from);
        const b = fs.existsSync(to) ? fs.statSync(to) : undefined;
        if (!b || b.size !== a.size || b.mtimeMs < a.mtimeMs) fs.copyFileSync(from, to);
      }
      fs.writeFileSync(path.join(out, 'VERSION'), `onnxruntime-web ${version}\n`);
    });
  }
}

/**
 * Writes `<output>/integrity.json` ({ "<file>.mjs": "sha384-…" }) once the bundles are on disk, so the
 * hash is that of the bytes a browser will fetch. Any other .mjs already there is kept, so a build of
 * one entry does not drop the other's hash; a missing file drops out.
 */
class SriManifestPlugin {
  apply(compiler) {
    compiler.hooks.afterEmit.tap('SriManifestPlugin', (compilation) => {
      const out = compilation.outputOptions.path;
      const manifest = {};
      for (const file of fs.readdirSync(out).sort()) {
        if (!file.endsWith('.mjs')) continue;
        const digest = crypto
          .createHash('sha384')
          .update(fs.readFileSync(path.join(out, file)))
          .digest('base64');
        manifest[file] = `sha384-${digest}`;
      }
      fs.writeFileSync(path.join(out, 'integrity.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    });
  }
}

function tsRule() {
  return {
    test: /\.tsx?$/,
    exclude: /node_modules/,
    use: {
      loader: 'ts-loader',
      options: {
        transpileOnly: true,
        compilerOptions: { module: 'esnext', noEmit: false, sourceMap: true },
      },
    },
  };
}

function common(mode) {
  return {
    mode,
    devtool: 'source-map',
    resolve: { extensions: ['.tsx', '.ts', '.mjs', '.js', '.json'] },
    module: {
      rules: [tsRule()],
      parser: { javascript: { importMeta: false } },
    },
    experiments: { outputModule: true },
    performance: { hints: false },
    optimization: { splitChunks: false, runtimeChunk: false },
  };
}

// Host-provided modules in a site build (peer dependencies of the packages).
const HOST_EXTERNALS = [
  /^@ohif\//,
  /^@cornerstonejs\//,
  /^@kitware\/vtk\.js(\/.*)?$/,
  'react',
  'react-dom',
  'react-dom/client',
  'react/jsx-runtime',
  'onnxruntime-web',
];

/** The inference worker's entry: its file name is the one extension/src/worker/startModelWorker.ts asks for. */
const WORKER_ENTRY = { 'chest-xray-ai-inference-worker': path.join(root, 'extension/src/worker/inferenceWorker.ts') };

function packageBuild(mode, name, entry, outDir) {
  return {
    ...common(mode),
    name,
    // The extension's package carries the worker too: a site serves it beside the copied ort/ folder.
    entry: { index: entry, ...(name === 'extension-package' ? WORKER_ENTRY : {}) },
    output: {
      path: outDir,
      filename: '[name].mjs',
      library: { type: 'module' },
      module: true,
      clean: true,
    },
    externalsType: 'module',
    externals: HOST_EXTERNALS,
    plugins: [
      new webpack.DefinePlugin({ __CXR_RUNTIME_BUNDLE__: 'false' }),
      ...(name === 'extension-package' ? [new CopyOrtPlugin()] : []),
    ],
  };
}

function runtimeBuild(mode) {
  return {
    ...common(mode),
    name: 'runtime',
    entry: {
      'chest-xray-ai-extension': path.join(root, 'extension/src/index.ts'),
      'chest-xray-ai-mode': path.join(root, 'modes/src/index.ts'),
      ...WORKER_ENTRY,
    },
    output: {
      path: path.join(root, 'dist/plugins'),
      filename: '[name].mjs',
      library: { type: 'module' },
      module: true,
      // 'auto' resolves from import.meta.url at run time: the bundles find their own folder.
      publicPath: 'auto',
      chunkFormat: 'module',
    },
    plugins: [
      new webpack.DefinePlugin({
        __CXR_RUNTIME_BUNDLE__: 'true',
        'process.env.NODE_ENV': JSON.stringify(mode),
      }),
      new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 }),
      new CopyOrtPlugin(),
      new SriManifestPlugin(),
    ],
  };
}

module.exports = (_env, argv) => {
  const mode = argv.mode || 'production';
  const target = process.env.CXR_BUILD; // 'runtime' | 'package' | undefined (both)
  const builds = [];
  if (!target || target === 'runtime') builds.push(runtimeBuild(mode));
  if (!target || target === 'package') {
    builds.push(
      packageBuild(
        mode,
        'extension-package',
        path.join(root, 'extension/src/index.ts'),
        path.join(root, 'extension/dist'),
      ),
      packageBuild(mode, 'mode-package', path.join(root, 'modes/src/index.ts'), path.join(root, 'modes/dist')),
    );
  }
  return builds;
};
