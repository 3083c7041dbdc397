/**
 * The demo: serves the prebuilt OHIF viewer with our run-time extension and mode, the demo model
 * and the demo study, with the cross-origin isolation headers that let WASM use threads.
 * Builds whatever is missing first (viewer, plugin bundle, demo study, demo model).
 *
 *   npm start                      # port 3000, or PORT
 *   CXR_AI_BACKEND=wasm npm start  # force the CPU backend
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { buildDemoStudy, DEMO_STUDY_UID } from './build-demo-study';
import { MIME, resolveUnder, send, sendFile } from './staticFiles';

const ROOT = path.resolve(__dirname, '..');
export const PATHS = {
  viewer: path.join(ROOT, '.cache', 'ohif-viewer'),
  plugins: path.join(ROOT, 'dist', 'plugins'),
  model: path.join(ROOT, 'models', 'demo'),
  study: path.join(ROOT, '.cache', 'demo-study'),
  appConfig: path.join(__dirname, 'app-config.js'),
};

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds what the demo needs and is missing (or, for the plugins, older than their sources). */
export function prepareDemo({ log = console.log }: { log?: (line: string) => void } = {}): void {
  const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);
  if (!fs.existsSync(path.join(PATHS.viewer, 'index.html')))
    run(process.execPath, [path.join(__dirname, 'fetch-ohif-viewer.js')]);
  const bundle = path.join(PATHS.plugins, 'chest-xray-ai-extension.mjs');
  const sources = Math.max(
    newestMtime(path.join(ROOT, 'extension', 'src')),
    newestMtime(path.join(ROOT, 'modes', 'src')),
  );
  if (!fs.existsSync(bundle) || fs.statSync(bundle).mtimeMs < sources) {
    log('[demo] building the plugin bundle (webpack) …');
    execFileSync(bin('webpack'), ['--mode', 'production', '--stats', 'errors-warnings'], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, CXR_BUILD: 'runtime' },
    });
  }
  if (!fs.existsSync(path.join(PATHS.model, 'manifest.json'))) {
    log('[demo] building the demo model …');
    run(bin('tsx'), [path.join(ROOT, 'models', 'scripts', 'build-demo-model.ts')]);
  }
  buildDemoStudy(PATHS.study);
}

/** The viewer URL that opens the demo study in our mode. */
export function studyPath(): string {
  return `/chest-xray-ai/dicomjson?url=${encodeURIComponent('/demo-study/study.json')}&StudyInstanceUIDs=${DEMO_STUDY_UID}`;
}

export interface DemoServerOptions {
  port?: number;
  host?: string;
  /** 'webgpu-then-wasm' (default), 'wasm' or 'webgpu': written into the served app-config.js. */
  backend?: string;
}

export interface DemoServer {
  url: string;
  studyUrl: string;
  close(): Promise<void>;
}

export function createDemoServer(options: DemoServerOptions = {}): http.Server {
  const backend = options.backend ?? process.env.CXR_AI_BACKEND ?? 'webgpu-then-wasm';
  const appConfig = fs.readFileSync(PATHS.appConfig, 'utf8').replaceAll('__CXR_BACKEND__', JSON.stringify(backend));
  const mounts: [string, string, string][] = [
    ['/plugins/', PATHS.plugins, 'no-cache'],
    ['/models/demo/', PATHS.model, 'no-cache'],
    ['/demo-study/', PATHS.study, 'no-cache'],
  ];
  return http.createServer((req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed');
      if (url.pathname === '/') return send(res, 302, '', undefined, { Location: studyPath() });
      if (url.pathname === '/app-config.js')
        return send(res, 200, appConfig, MIME['.js'], { 'Cache-Control': 'no-cache' });
      for (const [prefix, base, cache] of mounts) {
        if (url.pathname.startsWith(prefix)) {
          const file = resolveUnder(base, url.pathname.slice(prefix.length));
          return file ? sendFile(req, res, file, cache) : send(res, 404, 'Not found');
        }
      }
      const file = resolveUnder(PATHS.viewer, url.pathname);
      if (file)
        return sendFile(
          req,
          res,
          file,
          /\.[0-9a-f]{16}\.|\.wasm$/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      // Asset-like paths that do not exist are real 404s; everything else is a viewer route.
      if (path.extname(url.pathname)) return send(res, 404, 'Not found');
      return sendFile(req, res, path.join(PATHS.viewer, 'index.html'), 'no-cache');
    } catch (error) {
      return send(res, 500, `Server error: ${String(error)}`);
    }
  });
}

export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const server = createDemoServer(options);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`;
  return {
    url,
    studyUrl: `${url}${studyPath()}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

if (require.main === module) {
  prepareDemo();
  const port = Number(process.env.PORT ?? 3000);
  startDemoServer({ port, host: process.env.HOST ?? 'localhost' })
    .then(({ url, studyUrl }) => {
      console.log(`\nChest X-ray AI demo: OHIF ${url}`);
      console.log(`Open the demo study in the Chest X-ray AI mode:\n\n  ${studyUrl}\n`);
    })
    .catch((error) => {
      console.error(`[demo] could not start the server: ${String(error)}`);
      process.exit(1);
    });
}
