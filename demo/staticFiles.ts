/**
 * Serving files with the headers our pages need: cross-origin isolation, so onnxruntime-web may
 * use WASM threads. Used by the demo server and by the browser tests' server.
 */
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as path from 'node:path';

export const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.dcm': 'application/dicom',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.jsonc': 'application/json; charset=utf-8',
  '.xml': 'application/xml',
  '.webapp': 'application/x-web-app-manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Headers on every response: cross-origin isolation (WASM threads) and no sniffing. */
export const SECURITY_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
};

export function send(
  res: http.ServerResponse,
  status: number,
  body: string | Buffer,
  type = 'text/plain; charset=utf-8',
  extra: Record<string, string> = {},
) {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    ...extra,
  });
  res.end(body);
}

/** A file under `base`, or undefined (no path escapes `base`). */
export function resolveUnder(base: string, urlPath: string): string | undefined {
  const decoded = decodeURIComponent(urlPath);
  const file = path.resolve(base, `.${path.posix.normalize(`/${decoded}`)}`);
  if (file !== base && !file.startsWith(base + path.sep)) return undefined;
  return fs.existsSync(file) && fs.statSync(file).isFile() ? file : undefined;
}

export function sendFile(req: http.IncomingMessage, res: http.ServerResponse, file: string, cache: string) {
  const stat = fs.statSync(file);
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    'Content-Type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(stat.size),
    'Cache-Control': cache,
    'Last-Modified': stat.mtime.toUTCString(),
  };
  if (
    req.headers['if-modified-since'] &&
    new Date(req.headers['if-modified-since']).getTime() >= Math.floor(stat.mtimeMs / 1000) * 1000
  ) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  fs.createReadStream(file).pipe(res);
}
