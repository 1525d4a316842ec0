/**
 * A local push service: what a browser's push service does with our requests, checked the hard
 * way. Each test subscription has a real P-256 key pair and auth secret (as a browser makes them);
 * the stand-in verifies the VAPID JWT (ES256 over the key in `k=`, audience = its origin, expiry
 * within 24 h) and decrypts the aes128gcm body (RFC 8291) with the subscription's private key, so a
 * test sees exactly what a browser would show. It answers 201, or what the test scripts (404, 410,
 * 500…) per subscription.
 */
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify, type ECDH } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestSubscription {
  id: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface ReceivedPush {
  subscriptionId: string;
  /** The decrypted payload, parsed (null if it did not decrypt or verify: see `problem`). */
  payload: Record<string, unknown> | null;
  claims: { aud?: string; exp?: number; sub?: string } | null;
  vapidKey: string | null;
  topic: string | null;
  ttl: string | null;
  status: number;
  problem: string | null;
}

export interface PushStandIn {
  origin: string;
  received: ReceivedPush[];
  /** A new subscription, as PushSubscription.toJSON() would give it. */
  subscription(): TestSubscription;
  /** Answers for the next pushes to this subscription (then 201). */
  script(subscriptionId: string, ...statuses: number[]): void;
  receivedBy(subscriptionId: string): ReceivedPush[];
  close(): Promise<void>;
}

const b64u = (b: Buffer): string => b.toString('base64url');
const hkdf = (ikm: Buffer, salt: Buffer, info: Buffer, len: number): Buffer => Buffer.from(hkdfSync('sha256', ikm, salt, info, len));

/** RFC 8188/8291 aes128gcm: one or more records; padding ends with 0x02 in the last record. */
export function decryptAes128gcm(body: Buffer, ua: ECDH, authSecret: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20] ?? 0;
  const asPublic = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  const shared = ua.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), ua.getPublicKey(), asPublic]);
  const ikm = hkdf(shared, authSecret, keyInfo, 32);
  const cek = hkdf(ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16);
  const nonce = hkdf(ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12);
  const out: Buffer[] = [];
  for (let seq = 0, off = 0; off < ciphertext.length; seq += 1, off += rs) {
    const record = ciphertext.subarray(off, Math.min(off + rs, ciphertext.length));
    const iv = Buffer.from(nonce);
    // The record's sequence number XORed into the nonce's low bytes (records here are few: 32 bits).
    iv.writeUInt32BE((iv.readUInt32BE(8) ^ seq) >>> 0, 8);
    const d = createDecipheriv('aes-128-gcm', cek, iv);
    d.setAuthTag(record.subarray(record.length - 16));
    const plain = Buffer.concat([d.update(record.subarray(0, record.length - 16)), d.final()]);
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end -= 1;
    if (plain[end] !== 0x02 && plain[end] !== 0x01) throw new Error('bad record padding');
    out.push(plain.subarray(0, end));
  }
  return Buffer.concat(out);
}

/** `vapid t=<jwt>, k=<key>`: the JWT's claims if its ES256 signature verifies under k. */
export function verifyVapid(authorization: string | undefined): { claims: ReceivedPush['claims']; key: string } {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  if (!m) throw new Error(`not a VAPID authorization: ${authorization ?? '(none)'}`);
  const [, jwt, k] = m as unknown as [string, string, string];
  const [h, p, s] = jwt.split('.') as [string, string, string];
  const pub = Buffer.from(k, 'base64url');
  if (pub.length !== 65 || pub[0] !== 4) throw new Error('k is not an uncompressed P-256 key');
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64u(pub.subarray(1, 33)), y: b64u(pub.subarray(33)) }, format: 'jwk' });
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string };
  if (header.alg !== 'ES256') throw new Error(`JWT alg ${String(header.alg)}`);
  if (!verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')))
    throw new Error('VAPID signature does not verify');
  return { claims: JSON.parse(Buffer.from(p, 'base64url').toString()) as ReceivedPush['claims'], key: k };
}

export async function startPushStandIn(): Promise<PushStandIn> {
  const subs = new Map<string, { ecdh: ECDH; auth: Buffer }>();
  const scripts = new Map<string, number[]>();
  const standIn: PushStandIn = {
    origin: '',
    received: [],
    subscription() {
      const id = randomBytes(8).toString('hex');
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      subs.set(id, { ecdh, auth });
      return { id, endpoint: `${standIn.origin}/push/${id}`, keys: { p256dh: b64u(ecdh.getPublicKey()), auth: b64u(auth) } };
    },
    script: (id, ...statuses) => scripts.set(id, [...(scripts.get(id) ?? []), ...statuses]),
    receivedBy: (id) => standIn.received.filter((r) => r.subscriptionId === id),
    close: () => Promise.resolve(),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = /^\/push\/([0-9a-f]+)$/.exec(req.url ?? '')?.[1] ?? '';
      const sub = subs.get(id);
      const rec: ReceivedPush = {
        subscriptionId: id,
        payload: null,
        claims: null,
        vapidKey: null,
        topic: typeof req.headers.topic === 'string' ? req.headers.topic : null,
        ttl: typeof req.headers.ttl === 'string' ? req.headers.ttl : null,
        status: 201,
        problem: null,
      };
      try {
        if (!sub) throw new Error('unknown subscription');
        if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error(`content-encoding ${String(req.headers['content-encoding'])}`);
        const v = verifyVapid(req.headers.authorization);
        rec.claims = v.claims;
        rec.vapidKey = v.key;
        if (rec.claims?.aud !== standIn.origin) throw new Error(`VAPID aud ${String(rec.claims?.aud)}, expected ${standIn.origin}`);
        const now = Date.now() / 1000;
        if (!rec.claims.exp || rec.claims.exp < now || rec.claims.exp > now + 24 * 3600) throw new Error(`VAPID exp ${String(rec.claims.exp)} not within 24 h`);
        rec.payload = JSON.parse(decryptAes128gcm(Buffer.concat(chunks), sub.ecdh, sub.auth).toString('utf8')) as Record<string, unknown>;
      } catch (err) {
        rec.problem = err instanceof Error ? err.message : String(err);
        rec.status = 400;
      }
      const scripted = scripts.get(id)?.shift();
      if (scripted !== undefined && rec.status === 201) rec.status = scripted;
      standIn.received.push(rec);
      res.writeHead(rec.status, { 'content-type': 'text/plain' });
      res.end(rec.problem ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  standIn.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return standIn;
}
