import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.png': 'image/png',
  '.dcm': 'application/dicom',
};

export interface StaticServer {
  origin: string;
  /** Paths of every request, to prove what the page fetched. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A loopback-only file server for browser tests and benchmarks: URL prefix -> folder, with the
 * cross-origin isolation headers that let onnxruntime-web use WASM threads.
 */
export async function startStaticServer(mounts: Record<string, string>, pages: Record<string, string> = {}): Promise<StaticServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    requests.push(path);
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (pages[path] !== undefined) {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(pages[path]);
      return;
    }
    const mount = Object.keys(mounts)
      .sort((a, b) => b.length - a.length)
      .find((prefix) => path.startsWith(prefix));
    if (!mount) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const root = resolve(mounts[mount]);
    const file = normalize(join(root, path.slice(mount.length)));
    if (!file.startsWith(root + sep) && file !== root) {
      res.statusCode = 403;
      res.end();
      return;
    }
    try {
      const stats = statSync(file);
      if (!stats.isFile()) throw new Error('not a file');
      res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
      res.setHeader('Content-Length', stats.size);
      createReadStream(file).pipe(res);
    } catch {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
