import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { MIME, resolveUnder, send, sendFile } from '../../demo/staticFiles';

export interface StaticServer {
  origin: string;
  /** Paths of every request, to prove what the page fetched. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A loopback-only server for browser tests and benchmarks: URL prefix -> folder, plus inline pages,
 * with the demo server's file serving and cross-origin isolation headers (WASM threads).
 */
export async function startStaticServer(
  mounts: Record<string, string>,
  pages: Record<string, string> = {},
): Promise<StaticServer> {
  const requests: string[] = [];
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    requests.push(decodeURIComponent(path));
    if (pages[path] !== undefined) return send(res, 200, pages[path], MIME['.html'], { 'Cache-Control': 'no-cache' });
    const prefix = prefixes.find((p) => path.startsWith(p));
    const file = prefix ? resolveUnder(resolve(mounts[prefix]), path.slice(prefix.length)) : undefined;
    return file ? sendFile(req, res, file, 'no-cache') : send(res, 404, 'Not found');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
