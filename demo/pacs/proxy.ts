/**
 * The demo server's same-origin door to the PACS: `/dicom-web/**` → the DICOMweb root and
 * `/wado**` → its WADO-URI root, every method (STOW-RS is a POST), bodies streamed both ways, and
 * the cross-origin isolation headers added so the isolated page may read the answers.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { SECURITY_HEADERS, send } from '../staticFiles';

export interface PacsTarget {
  /** DICOMweb root (QIDO/WADO-RS/STOW-RS), e.g. http://127.0.0.1:8042/dicom-web */
  url: string;
  /** WADO-URI root; by default `/wado` on the DICOMweb root's host (Orthanc's default). */
  wadoUriUrl?: string;
}

export interface PacsProxy {
  /** Answers the request if it is for the PACS; false when it is not ours. */
  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean;
  /** Tests: while set, every STOW (POST) is answered with this status instead of forwarded. */
  setFault(status?: number): void;
}

/** Hop-by-hop headers (RFC 9110 7.6.1) are not forwarded; host is the target's. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

function forwardedHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!HOP_BY_HOP.has(name)) out[name] = value;
  return out;
}

/** The upstream URL for a request path, or undefined when the path is not the PACS's. */
export function upstreamUrl(target: PacsTarget, pathAndQuery: string): URL | undefined {
  const dicomWeb = new URL(target.url.replace(/\/+$/, ''));
  const wado = new URL((target.wadoUriUrl ?? new URL('/wado', dicomWeb).href).replace(/\/+$/, ''));
  const match = /^\/(dicom-web|wado)(?=[/?]|$)(.*)$/.exec(pathAndQuery);
  if (!match) return undefined;
  const base = match[1] === 'wado' ? wado : dicomWeb;
  const [rest, query] = match[2].split(/\?(.*)/s);
  const upstream = new URL(base.href);
  upstream.pathname = `${base.pathname}${rest}`.replace(/\/{2,}/g, '/');
  // OHIF sends `includefield=00081030%2C00080060`; Orthanc's DICOMweb plugin 1.7 does not decode
  // %2C and drops the list (the study list then shows "No Description"). A comma is a list
  // separator in every QIDO parameter (PS3.18 8.3.4), so a literal one means the same.
  upstream.search = query ? `?${query.replace(/%2C/gi, ',')}` : '';
  return upstream;
}

export function createPacsProxy(target: PacsTarget): PacsProxy {
  let fault: number | undefined;
  const handle = (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    const upstream = upstreamUrl(target, req.url ?? '/');
    if (!upstream) return false;
    if (fault !== undefined && req.method === 'POST') {
      req.resume();
      send(res, fault, `PACS fault injected by the test: HTTP ${fault}`);
      return true;
    }
    const client = upstream.protocol === 'https:' ? https : http;
    const headers = forwardedHeaders(req.headers);
    // The PACS builds its BulkDataURIs from these, so they point back at us. Orthanc's DICOMweb
    // plugin 1.7 reads `Forwarded` literally: a quoted host (RFC 7239) came back as `http://\"`.
    if (req.headers.host) {
      headers['x-forwarded-host'] = req.headers.host;
      headers.forwarded = `host=${req.headers.host};proto=http`;
    }
    const outgoing = client.request(upstream, { method: req.method, headers }, (answer) => {
      const back: http.OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (!HOP_BY_HOP.has(name) && value !== undefined) back[name] = value;
      }
      res.writeHead(answer.statusCode ?? 502, { ...back, ...SECURITY_HEADERS });
      answer.pipe(res);
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (res.headersSent) return void res.destroy(error);
      send(res, 502, `The PACS at ${upstream.origin} is not reachable (${error.code ?? error.message}).`);
    });
    // A client that goes away (a cancelled image load) cancels the upstream request too.
    res.on('close', () => {
      if (!res.writableFinished) outgoing.destroy();
    });
    req.pipe(outgoing);
    return true;
  };
  return { handle, setFault: (status) => void (fault = status) };
}
