/**
 * The demo: serves the prebuilt OHIF viewer with our run-time extension and mode, the demo model
 * and the demo study, with the cross-origin isolation headers that let WASM use threads.
 * Builds whatever is missing first (viewer, plugin bundle, demo study, demo model).
 *
 *   npm start                                  # OHIF 3.13.2, port 3000, or PORT
 *   CXR_AI_BACKEND=wasm npm start              # force the CPU backend
 *   OHIF_VERSION=3.14.0-beta.6 npm start       # the OHIF 3.14 beta instead (fetched on first use)
 *   OHIF_VERSION=3.14 OHIF_RUNTIME_DESCRIPTORS=1 npm start
 *                                              # 3.14's run-time descriptors in app-config.js
 *   PACS_URL=http://host/dicom-web npm start   # read from (and store to) that DICOMweb server
 *   PACS=off npm start                         # the embedded demo study even with Orthanc installed
 *
 * With Orthanc installed (apt-get install orthanc orthanc-dicomweb) npm start runs a private one
 * (demo/pacs/), stores the demo study in it over STOW-RS and serves OHIF's DICOMweb data source
 * through a same-origin proxy; without it, the embedded dicomjson study and no storing of results.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { buildDemoStudy, DEMO_STUDY_UID } from './build-demo-study';
import { pacsAppConfig, resolveDemoPacs, STORE_RESULTS_OFF_HINT, type PacsOption } from './pacs/demoPacs';
import { createPacsProxy, type PacsProxy, type PacsTarget } from './pacs/proxy';
import { MIME, resolveUnder, send, sendFile } from './staticFiles';

const ROOT = path.resolve(__dirname, '..');

/** The prebuilt OHIF viewers the demo can serve: 3.13 (the default) and the 3.14 beta. */
export type ViewerLine = '3.13' | '3.14';
export const VIEWERS: Record<ViewerLine, { version: string; dir: string }> = {
  '3.13': { version: '3.13.2', dir: path.join(ROOT, '.cache', 'ohif-viewer') },
  '3.14': { version: '3.14.0-beta.6', dir: path.join(ROOT, '.cache', 'ohif-viewer-3.14.0-beta.6') },
};

export const PATHS = {
  /** The default (3.13) viewer; VIEWERS['3.14'].dir holds the other one. */
  viewer: VIEWERS['3.13'].dir,
  plugins: path.join(ROOT, 'dist', 'plugins'),
  model: path.join(ROOT, 'models', 'demo'),
  study: path.join(ROOT, '.cache', 'demo-study'),
  /** The demo's app-config.js, one for both viewer lines. */
  appConfig: path.join(__dirname, 'app-config.js'),
};

/** '3.13', '3.14' or a full version ('3.14.0-beta.6'); anything else is refused. */
export function viewerLine(value: string | undefined): ViewerLine {
  if (!value) return '3.13';
  for (const line of Object.keys(VIEWERS) as ViewerLine[]) {
    if (value === line || value === VIEWERS[line].version) return line;
  }
  throw new Error(
    `Unknown OHIF viewer "${value}" (use ${Object.values(VIEWERS)
      .map((v) => v.version)
      .join(' or ')})`,
  );
}

/** The run-time bundles, as 3.14's descriptors name them (packageName is the module's id). */
const PLUGINS = [
  { kind: 'extensions', file: 'chest-xray-ai-extension.mjs', packageJson: 'extension/package.json' },
  { kind: 'modes', file: 'chest-xray-ai-mode.mjs', packageJson: 'modes/package.json' },
] as const;

/**
 * The semver range our bundles declare for OHIF 3.14's `coreVersionRange` (checked, pre-releases
 * included, against the host build's VERSION_NUMBER). They are built against Cornerstone 5.6.8 and
 * React 18, which the 3.14 betas still ship.
 */
export const CORE_VERSION_RANGE = '>=3.13.0 <4.0.0-0';

/** One OHIF 3.14 run-time descriptor (`RuntimeExtensionDescriptor` in OHIF's runtimeExtensionLoader.ts). */
export interface RuntimeDescriptor {
  packageName: string;
  importPath: string;
  integrity: string;
  coreVersionRange: string;
}

/** The sha384 SRI hashes webpack wrote beside the bundles (webpack.config.js, SriManifestPlugin). */
export function pluginIntegrity(): Record<string, string> {
  const file = path.join(PATHS.plugins, 'integrity.json');
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!parsed || typeof parsed !== 'object') throw new Error(`${file} is not an object`);
  return parsed as Record<string, string>;
}

/** Descriptors for our extension and mode, with the integrity of the bundles on disk now. */
export function runtimeDescriptors(): { extensions: RuntimeDescriptor[]; modes: RuntimeDescriptor[] } {
  const integrity = pluginIntegrity();
  const out: { extensions: RuntimeDescriptor[]; modes: RuntimeDescriptor[] } = { extensions: [], modes: [] };
  for (const plugin of PLUGINS) {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, plugin.packageJson), 'utf8')) as { name: string };
    const hash = integrity[plugin.file];
    if (!hash) throw new Error(`dist/plugins/integrity.json has no hash for ${plugin.file}; rebuild the plugins`);
    out[plugin.kind].push({
      packageName: pkg.name,
      importPath: `/plugins/${plugin.file}`,
      integrity: hash,
      coreVersionRange: CORE_VERSION_RANGE,
    });
  }
  return out;
}

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
export function prepareDemo({
  log = console.log,
  viewer = viewerLine(process.env.OHIF_VERSION),
}: { log?: (line: string) => void; viewer?: ViewerLine } = {}): void {
  const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);
  if (!fs.existsSync(path.join(VIEWERS[viewer].dir, 'index.html')))
    run(process.execPath, [path.join(__dirname, 'fetch-ohif-viewer.js'), VIEWERS[viewer].version]);
  const bundle = path.join(PATHS.plugins, 'chest-xray-ai-extension.mjs');
  const sources = Math.max(
    newestMtime(path.join(ROOT, 'extension', 'src')),
    newestMtime(path.join(ROOT, 'modes', 'src')),
  );
  const hashes = path.join(PATHS.plugins, 'integrity.json');
  if (
    !fs.existsSync(bundle) ||
    fs.statSync(bundle).mtimeMs < sources ||
    !fs.existsSync(hashes) ||
    fs.statSync(hashes).mtimeMs < fs.statSync(bundle).mtimeMs
  ) {
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

/** The viewer URL that opens the demo study in our mode (from the PACS when there is one). */
export function studyPath(pacs = false): string {
  if (pacs) return `/chest-xray-ai?StudyInstanceUIDs=${DEMO_STUDY_UID}`;
  return `/chest-xray-ai/dicomjson?url=${encodeURIComponent('/demo-study/study.json')}&StudyInstanceUIDs=${DEMO_STUDY_UID}`;
}

export interface DemoServerOptions {
  port?: number;
  host?: string;
  /** 'webgpu-then-wasm' (default), 'wasm' or 'webgpu': written into the served app-config.js. */
  backend?: string;
  /** Which prebuilt OHIF to serve: '3.13' (default, or env OHIF_VERSION) or '3.14'. */
  viewer?: ViewerLine;
  /**
   * 3.14 only: list our extension and mode in app-config.js as 3.14's run-time descriptors (with
   * integrity and coreVersionRange) instead of URLs (env OHIF_RUNTIME_DESCRIPTORS=1). Off by
   * default: the published 3.14.0-beta.6 has no descriptor loader yet (extension/README.md).
   */
  runtimeDescriptors?: boolean;
  /**
   * Extra app-config keys, as JavaScript source of an object literal (so it may hold functions, e.g.
   * a customization's `$apply`), assigned over `window.config` after the demo's own keys. For tests
   * of site configuration (test/e2e/hotkeys.test.ts rebinds a hotkey with it).
   */
  extraAppConfig?: string;
  /**
   * Where studies come from: 'off' (default: the embedded dicomjson study), 'auto' (npm start:
   * PACS_URL, else a private Orthanc when installed, else off; startDemoServer only) or a
   * DICOMweb root `{ url }`, proxied same-origin at /dicom-web and /wado.
   */
  pacs?: PacsOption;
}

export interface DemoServer {
  url: string;
  studyUrl: string;
  /** The DICOMweb root the proxy forwards to; undefined when there is no PACS. */
  pacsUrl?: string;
  /** Tests: while set, the proxy answers every STOW (POST) with this status; undefined forwards again. */
  setPacsFault(status?: number): void;
  close(): Promise<void>;
}

function pacsTarget(pacs: PacsOption | undefined): PacsTarget | undefined {
  if (pacs === 'auto') throw new Error("pacs: 'auto' is resolved by startDemoServer");
  return pacs && pacs !== 'off' ? pacs : undefined;
}

const proxyFor = (target: PacsTarget | undefined) => (target ? createPacsProxy(target) : undefined);

/**
 * Puts a JSON value where app-config.js has `key: __NAME__` (only in value position, so the
 * placeholder's name in a comment stays as it is).
 */
function fillPlaceholder(config: string, name: string, value: unknown): string {
  return config.replace(
    new RegExp(`(:\\s*|\\.\\.\\.)__${name}__\\b`, 'g'),
    (_match, before: string) => before + (value === undefined ? 'undefined' : JSON.stringify(value)),
  );
}

/** The app-config.js the demo serves for a viewer line, placeholders filled in. */
export function demoAppConfig(options: DemoServerOptions = {}): string {
  const viewer = options.viewer ?? viewerLine(process.env.OHIF_VERSION);
  const backend = options.backend ?? process.env.CXR_AI_BACKEND ?? 'webgpu-then-wasm';
  let config = fillPlaceholder(fs.readFileSync(PATHS.appConfig, 'utf8'), 'CXR_BACKEND', backend);
  // Descriptors only where a host may read them (3.14); URLs everywhere else.
  const descriptors = viewer === '3.14' && (options.runtimeDescriptors ?? process.env.OHIF_RUNTIME_DESCRIPTORS === '1');
  const lists = descriptors
    ? runtimeDescriptors()
    : {
        extensions: PLUGINS.filter((p) => p.kind === 'extensions').map((p) => `/plugins/${p.file}`),
        modes: PLUGINS.filter((p) => p.kind === 'modes').map((p) => `/plugins/${p.file}`),
      };
  config = fillPlaceholder(config, 'CXR_EXTENSIONS', lists.extensions);
  config = fillPlaceholder(config, 'CXR_MODES', lists.modes);
  const pacs = pacsAppConfig(pacsTarget(options.pacs) !== undefined);
  config = fillPlaceholder(config, 'CXR_PACS_DATA_SOURCES', pacs.dataSources);
  config = fillPlaceholder(config, 'CXR_DEFAULT_DATA_SOURCE', pacs.defaultDataSource);
  config = fillPlaceholder(config, 'CXR_SHOW_STUDY_LIST', pacs.showStudyList);
  config = fillPlaceholder(config, 'CXR_STORE_OFF_HINT', pacs.storeResultsOffHint);
  if (options.extraAppConfig) config += `\nObject.assign(window.config, (${options.extraAppConfig}));\n`;
  return config;
}

export function createDemoServer(
  options: DemoServerOptions = {},
  proxy: PacsProxy | undefined = proxyFor(pacsTarget(options.pacs)),
): http.Server {
  const viewerDir = VIEWERS[options.viewer ?? viewerLine(process.env.OHIF_VERSION)].dir;
  const appConfig = demoAppConfig(options);
  const mounts: [string, string, string][] = [
    ['/plugins/', PATHS.plugins, 'no-cache'],
    ['/models/demo/', PATHS.model, 'no-cache'],
    ['/demo-study/', PATHS.study, 'no-cache'],
  ];
  return http.createServer((req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      // The PACS proxy takes every method (STOW-RS is a POST); nothing else does.
      if (proxy?.handle(req, res)) return;
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed');
      // With a PACS, / is OHIF's study list; without one, the demo study.
      if (url.pathname === '/' && !proxy) return send(res, 302, '', undefined, { Location: studyPath() });
      if (url.pathname === '/app-config.js')
        return send(res, 200, appConfig, MIME['.js'], { 'Cache-Control': 'no-cache' });
      for (const [prefix, base, cache] of mounts) {
        if (url.pathname.startsWith(prefix)) {
          const file = resolveUnder(base, url.pathname.slice(prefix.length));
          return file ? sendFile(req, res, file, cache) : send(res, 404, 'Not found');
        }
      }
      const file = resolveUnder(viewerDir, url.pathname);
      if (file)
        return sendFile(
          req,
          res,
          file,
          /\.[0-9a-f]{16}\.|\.wasm$/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      // Asset-like paths that do not exist are real 404s; everything else is a viewer route.
      if (path.extname(url.pathname)) return send(res, 404, 'Not found');
      return sendFile(req, res, path.join(viewerDir, 'index.html'), 'no-cache');
    } catch (error) {
      return send(res, 500, `Server error: ${String(error)}`);
    }
  });
}

export async function startDemoServer(
  options: DemoServerOptions = {},
  log: (line: string) => void = () => undefined,
): Promise<DemoServer> {
  const pacs = await resolveDemoPacs(options.pacs, log);
  const proxy = proxyFor(pacs.target);
  const server = createDemoServer({ ...options, pacs: pacs.target ?? 'off' }, proxy);
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 3000, host, resolve);
    });
  } catch (error) {
    await pacs.stop();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`;
  return {
    url,
    studyUrl: `${url}${studyPath(!!proxy)}`,
    pacsUrl: pacs.target?.url,
    setPacsFault: (status) => {
      if (!proxy) throw new Error('setPacsFault: this demo server has no PACS');
      proxy.setFault(status);
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      });
      await pacs.stop();
    },
  };
}

if (require.main === module) {
  const viewer = viewerLine(process.env.OHIF_VERSION);
  prepareDemo({ viewer });
  const port = Number(process.env.PORT ?? 3000);
  const pacs = process.env.PACS === 'off' ? 'off' : 'auto';
  startDemoServer({ port, host: process.env.HOST ?? 'localhost', viewer, pacs }, console.log)
    .then((demo) => {
      console.log(`\nChest X-ray AI demo: OHIF ${VIEWERS[viewer].version} at ${demo.url}`);
      if (demo.pacsUrl) {
        console.log(
          `Studies from the PACS (${demo.pacsUrl}); study list at ${demo.url}/ , results can be stored back.`,
        );
      } else {
        console.log(
          pacs === 'off' ? 'Embedded demo study (PACS=off): storing results is off.' : STORE_RESULTS_OFF_HINT,
        );
      }
      console.log(`Open the demo study in the Chest X-ray AI mode:\n\n  ${demo.studyUrl}\n`);
      const quit = () => void demo.close().finally(() => process.exit(0));
      process.once('SIGINT', quit);
      process.once('SIGTERM', quit);
    })
    .catch((error) => {
      console.error(`[demo] could not start the server: ${String(error)}`);
      process.exit(1);
    });
}
