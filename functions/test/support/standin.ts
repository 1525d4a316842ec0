/**
 * A local HTTP server standing in for an outside API: it records every request (headers, body as
 * sent) so tests can assert what was sent, and answers with whatever the test's handler says,
 * after a delay when asked (a slow answer past the caller's timeout).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  raw: string;
  /** The body parsed as JSON (null when it is not JSON). */
  json: unknown;
  /** The body's form fields (application/x-www-form-urlencoded). */
  form: Record<string, string>;
}

export interface Reply {
  status: number;
  /** An object is sent as JSON, a string as is. */
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}

export interface StandIn {
  origin: string;
  requests: Recorded[];
  close(): Promise<void>;
}

function parse(req: http.IncomingMessage, raw: string): Recorded {
  const url = new URL(req.url ?? '/', 'http://standin');
  let json: unknown = null;
  try {
    json = raw ? JSON.parse(raw) : null;
  } catch {
    json = null;
  }
  const form: Record<string, string> = {};
  if ((req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) for (const [k, v] of new URLSearchParams(raw)) form[k] = v;
  return { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, raw, json, form };
}

export async function standIn(handle: (req: Recorded) => Reply | Promise<Reply>): Promise<StandIn> {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec = parse(req, Buffer.concat(chunks).toString('utf8'));
      requests.push(rec);
      void Promise.resolve(handle(rec)).then((reply) => {
        const send = (): void => {
          if (res.destroyed) return;
          const body = typeof reply.body === 'string' ? reply.body : reply.body === undefined ? '' : JSON.stringify(reply.body);
          res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
          res.end(body);
        };
        if (reply.delayMs) setTimeout(send, reply.delayMs);
        else send();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
