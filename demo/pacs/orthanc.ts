/**
 * A private Orthanc (Debian's `orthanc` + `orthanc-dicomweb`) for the demo and the tests: our own
 * JSON config (storage under .cache/, loopback only, no DIMSE listener), started as a child
 * process and stopped with it. The Debian service is never used.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export const ORTHANC_BIN = '/usr/sbin/Orthanc';
export const DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';
/** util-linux's setpriv: gives Orthanc a parent-death signal, so it dies even if we are killed. */
const SETPRIV = '/usr/bin/setpriv';

/** Whether Orthanc and its DICOMweb plugin are installed (`apt-get install orthanc orthanc-dicomweb`). */
export function orthancAvailable(): boolean {
  return fs.existsSync(ORTHANC_BIN) && fs.existsSync(DICOMWEB_PLUGIN);
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface OrthancOptions {
  /** Storage and index live here (created if missing); keep it under .cache/. */
  storageDir: string;
  /** Fixed ports (a restart keeps its URL); free ones by default. */
  httpPort?: number;
  dicomPort?: number;
  /** Orthanc settings over ours (experiments, tests of other settings). */
  extraConfig?: Record<string, unknown>;
  /** How long to wait for `/system` (ms). */
  startTimeoutMs?: number;
}

export interface OrthancProcess {
  /** REST root, e.g. http://127.0.0.1:8042 */
  url: string;
  /** DICOMweb root, e.g. http://127.0.0.1:8042/dicom-web */
  dicomWebUrl: string;
  httpPort: number;
  dicomPort: number;
  storageDir: string;
  /** Orthanc's own output, for error messages. */
  logFile: string;
  stop(): Promise<void>;
}

/** The JSON config we start Orthanc with. */
export function orthancConfig(storageDir: string, httpPort: number, dicomPort: number): Record<string, unknown> {
  return {
    Name: 'chest-xray-ai-demo',
    StorageDirectory: path.join(storageDir, 'storage'),
    IndexDirectory: path.join(storageDir, 'index'),
    HttpPort: httpPort,
    DicomPort: dicomPort,
    // Nothing listens beyond loopback HTTP: no DIMSE server, no remote HTTP, no login (local demo).
    DicomServerEnabled: false,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    HttpDescribeErrors: true,
    SaveJobs: false,
    // With keep-alive, Orthanc 1.10's CivetWeb closed connections under a burst of parallel reads
    // (8 of 24 whole-file reads at once: "other side closed" in Node, every try); off, none failed.
    KeepAlive: false,
    Plugins: [DICOMWEB_PLUGIN],
    // No "Host": the plugin then builds its URLs from the request, i.e. from the demo's proxy.
    DicomWeb: { Enable: true, Root: '/dicom-web/' },
  };
}

async function answersSystem(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/system`, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * The REST root of an Orthanc of ours already serving this storage (say, a second npm start), or
 * undefined: two must not share one index.
 */
export async function orthancServing(storageDir: string): Promise<string | undefined> {
  try {
    const config = JSON.parse(fs.readFileSync(path.join(storageDir, 'orthanc.json'), 'utf8')) as {
      HttpPort?: number;
      Name?: string;
    };
    const url = `http://127.0.0.1:${config.HttpPort}`;
    const response = await fetch(`${url}/system`, { signal: AbortSignal.timeout(1000) });
    const system = (await response.json()) as { Name?: string };
    return response.ok && system.Name === config.Name ? url : undefined;
  } catch {
    return undefined;
  }
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts Orthanc and resolves once it answers `/system`. */
export async function startOrthanc(options: OrthancOptions): Promise<OrthancProcess> {
  if (!orthancAvailable()) throw new Error(`Orthanc is not installed (${ORTHANC_BIN}, ${DICOMWEB_PLUGIN})`);
  const storageDir = path.resolve(options.storageDir);
  fs.mkdirSync(storageDir, { recursive: true });
  const httpPort = options.httpPort ?? (await freePort());
  const dicomPort = options.dicomPort ?? (await freePort());
  const configFile = path.join(storageDir, 'orthanc.json');
  fs.writeFileSync(
    configFile,
    JSON.stringify({ ...orthancConfig(storageDir, httpPort, dicomPort), ...options.extraConfig }, null, 1),
  );
  const logFile = path.join(storageDir, 'orthanc.log');
  const log = fs.openSync(logFile, 'a');
  const [cmd, args] = fs.existsSync(SETPRIV)
    ? [SETPRIV, ['--pdeathsig', 'KILL', ORTHANC_BIN, configFile]]
    : [ORTHANC_BIN, [configFile]];
  const child = spawn(cmd, args, { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  running.add(child);
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = `exited with ${signal ?? code}`;
      running.delete(child);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${httpPort}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (!(await answersSystem(url))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Orthanc did not start (${exited ?? 'no answer on /system'}):\n${tail(logFile)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    dicomWebUrl: `${url}/dicom-web`,
    httpPort,
    dicomPort,
    storageDir,
    logFile,
    stop: async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const killLater = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(killLater);
    },
  };
}
