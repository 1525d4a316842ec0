/**
 * Local stand-ins of the two HTTP APIs `zg-migrate files` talks to (the Firebase Storage emulator
 * cannot run offline here), each recording what it was asked:
 *
 * - Supabase Storage (what supabase-js storage sends): `GET /storage/v1/bucket/{id}`,
 *   `GET /storage/v1/object/info/{bucket}/{path}`, `GET /storage/v1/object/{bucket}/{path}` (the
 *   body, sent in chunks), with the service role key required; 404 `{statusCode, error, message}`
 *   for a missing object, as the real API answers.
 * - Cloud Storage's JSON API (what @google-cloud/storage sends): resumable uploads (`POST
 *   /upload/storage/v1/b/{bucket}/o?uploadType=resumable` → a session URI, `PUT` of the bytes with
 *   `Content-Range`), and `GET /storage/v1/b/{bucket}/o/{name}` for an object's metadata, with the
 *   size and MD5 of what it received.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredObject {
  body: Buffer;
  contentType?: string;
  cacheControl?: string;
  metadata?: Record<string, string>;
}

export interface Standin {
  origin: string;
  requests: Array<{ method: string; path: string; headers: http.IncomingHttpHeaders }>;
  close(): Promise<void>;
}

async function listen(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void | Promise<void>,
): Promise<{ origin: string; server: http.Server; requests: Standin['requests'] }> {
  const requests: Standin['requests'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
      Promise.resolve(handler(req, res, Buffer.concat(chunks))).catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: String(err) }));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, server, requests };
}

const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

/** Supabase Storage with these buckets (public or not) and objects (`{bucket}/{path}` → object). */
export async function startSupabaseStorage(key: string, buckets: Record<string, { public: boolean }>, objects: Map<string, StoredObject>): Promise<Standin> {
  const { origin, server, requests } = await listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const auth = req.headers.authorization === `Bearer ${key}` && req.headers.apikey === key;
    if (!auth) return json(res, 403, { statusCode: '403', error: 'Unauthorized', message: 'invalid key' });
    const p = decodeURIComponent(url.pathname);
    let m = /^\/storage\/v1\/bucket\/([^/]+)$/.exec(p);
    if (m && req.method === 'GET') {
      const b = buckets[m[1] ?? ''];
      return b
        ? json(res, 200, { id: m[1], name: m[1], public: b.public })
        : json(res, 404, { statusCode: '404', error: 'Bucket not found', message: 'Bucket not found' });
    }
    m = /^\/storage\/v1\/object\/info\/(.+)$/.exec(p);
    if (m && req.method === 'GET') {
      const o = objects.get(m[1] ?? '');
      if (!o) return json(res, 404, { statusCode: '404', error: 'not_found', message: 'Object not found' });
      const [bucket, ...rest] = (m[1] ?? '').split('/');
      return json(res, 200, {
        id: createHash('md5')
          .update(m[1] ?? '')
          .digest('hex'),
        name: rest.join('/'),
        bucket_id: bucket,
        version: 'v1',
        size: o.body.length,
        content_type: o.contentType,
        cache_control: o.cacheControl,
        etag: `"${createHash('md5').update(o.body).digest('hex')}"`,
        created_at: new Date(0).toISOString(),
        last_modified: new Date(0).toISOString(),
      });
    }
    m = /^\/storage\/v1\/object\/(?:authenticated\/)?(.+)$/.exec(p);
    if (m && req.method === 'GET') {
      const o = objects.get(m[1] ?? '');
      if (!o) return json(res, 404, { statusCode: '404', error: 'not_found', message: 'Object not found' });
      res.writeHead(200, { 'content-type': o.contentType ?? 'application/octet-stream', 'cache-control': o.cacheControl ?? 'no-cache' });
      // In pieces, as a stream arrives.
      for (let i = 0; i < o.body.length; i += 64 * 1024) res.write(o.body.subarray(i, i + 64 * 1024));
      res.end();
      return;
    }
    json(res, 400, { statusCode: '400', error: 'unsupported', message: `${req.method} ${p}` });
  });
  return { origin, requests, close: () => new Promise((r) => server.close(() => r())) };
}

export interface GcsStandin extends Standin {
  objects: Map<string, { body: Buffer; metadata: Record<string, unknown> }>;
}

/** Cloud Storage's JSON API, in memory: `{bucket}/{name}` → the bytes and metadata received. */
export async function startCloudStorage(): Promise<GcsStandin> {
  const objects = new Map<string, { body: Buffer; metadata: Record<string, unknown> }>();
  const sessions = new Map<string, { bucket: string; name: string; metadata: Record<string, unknown>; parts: Buffer[] }>();
  let next = 0;
  const resource = (bucket: string, name: string) => {
    const o = objects.get(`${bucket}/${name}`);
    if (!o) return null;
    return {
      kind: 'storage#object',
      bucket,
      name,
      size: String(o.body.length),
      md5Hash: createHash('md5').update(o.body).digest('base64'),
      contentType: o.metadata.contentType,
      cacheControl: o.metadata.cacheControl,
      metadata: o.metadata.metadata,
    };
  };
  const started = await listen((req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let m = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    if (m && req.method === 'POST' && url.searchParams.get('uploadType') === 'resumable') {
      const metadata = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
      // The content type comes in X-Upload-Content-Type when the metadata does not name it, as GCS takes it.
      metadata.contentType ??= req.headers['x-upload-content-type'];
      const name = url.searchParams.get('name') ?? (typeof metadata.name === 'string' ? metadata.name : '');
      const id = `u${++next}`;
      sessions.set(id, { bucket: m[1] ?? '', name, metadata, parts: [] });
      res.writeHead(200, { location: `${started.origin}/upload/storage/v1/b/${m[1] ?? ''}/o?uploadType=resumable&upload_id=${id}` });
      res.end();
      return;
    }
    if (m && req.method === 'PUT') {
      const s = sessions.get(url.searchParams.get('upload_id') ?? '');
      if (!s) return json(res, 404, { error: { code: 404, message: 'no such upload' } });
      s.parts.push(body);
      const range = /^bytes (\d+|\*)-(\d+|\*)\/(\d+|\*)$/.exec(String(req.headers['content-range'] ?? ''));
      const received = s.parts.reduce((n, p) => n + p.length, 0);
      const total = range?.[3];
      const last = range?.[2] === '*' || (total !== undefined && total !== '*' && Number(total) === received);
      if (!last) {
        res.writeHead(308, { range: `bytes=0-${received - 1}` });
        res.end();
        return;
      }
      objects.set(`${s.bucket}/${s.name}`, { body: Buffer.concat(s.parts), metadata: s.metadata });
      sessions.delete(url.searchParams.get('upload_id') ?? '');
      return json(res, 200, resource(s.bucket, s.name));
    }
    // With STORAGE_EMULATOR_HOST in its environment the client leaves out /storage/v1.
    m = /^(?:\/storage\/v1)?\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname);
    if (m && req.method === 'GET') {
      const r = resource(m[1] ?? '', decodeURIComponent(m[2] ?? ''));
      return r ? json(res, 200, r) : json(res, 404, { error: { code: 404, message: 'No such object' } });
    }
    json(res, 400, { error: { code: 400, message: `unsupported ${req.method} ${url.pathname}` } });
  });
  return { origin: started.origin, requests: started.requests, objects, close: () => new Promise((r) => started.server.close(() => r())) };
}
