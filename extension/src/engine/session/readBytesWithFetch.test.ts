import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { readBytesWithFetch } from './readBytesWithFetch';

describe('readBytesWithFetch', () => {
  const payload = Buffer.from(Uint8Array.from({ length: 300_000 }, (_, i) => (i % 7) * 13));
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/plain') {
        res.setHeader('Content-Length', payload.length);
        res.end(payload);
      } else if (req.url === '/gzip') {
        // As a web server that compresses .onnx files sends it: Content-Length is the compressed size.
        const body = gzipSync(payload);
        res.setHeader('Content-Encoding', 'gzip');
        res.setHeader('Content-Length', body.length);
        res.end(body);
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((done) => server.close(done)));

  it('reports progress on a plain download and returns every byte', async () => {
    const fractions: number[] = [];
    const bytes = await readBytesWithFetch(`${origin}/plain`, (f) => fractions.push(f));
    expect(Buffer.compare(Buffer.from(bytes), payload)).toBe(0);
    expect(fractions[fractions.length - 1]).toBe(1);
  });

  it('accepts a compressed download larger than its Content-Length', async () => {
    const bytes = await readBytesWithFetch(`${origin}/gzip`, () => undefined);
    expect(Buffer.compare(Buffer.from(bytes), payload)).toBe(0);
  });

  it('says which URL failed and how', async () => {
    await expect(readBytesWithFetch(`${origin}/missing.onnx`)).rejects.toThrow(
      /could not be downloaded from .*missing\.onnx \(HTTP 404\)/,
    );
  });
});
