/**
 * Unsubscribe links: a token that names the address (and the e-mail that carried it), signed with
 * HMAC-SHA256 under UNSUBSCRIBE_SECRET, so that nobody can unsubscribe someone else by guessing.
 * The token is a pure function of the address and the queue item: a retried send renders the same
 * e-mail (Resend's idempotency key requires the same request).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const payload = z.strictObject({ e: z.string().min(3).max(320), q: z.string().min(1).max(1500) });
export type UnsubscribeClaims = { email: string; queueId: string };

const mac = (secret: string, body: string): Buffer => createHmac('sha256', secret).update(`unsubscribe.v1.${body}`).digest();

export function signUnsubscribeToken(secret: string, claims: UnsubscribeClaims): string {
  if (!secret) throw new Error('UNSUBSCRIBE_SECRET is not configured');
  const body = Buffer.from(JSON.stringify({ e: claims.email, q: claims.queueId })).toString('base64url');
  return `v1.${body}.${mac(secret, body).toString('base64url')}`;
}

/** The claims of a genuine token; null for anything forged, altered or malformed. */
export function verifyUnsubscribeToken(secret: string, token: string): UnsubscribeClaims | null {
  const m = /^v1\.([A-Za-z0-9_-]{1,2000})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m || !secret) return null;
  const [, body, sig] = m as unknown as [string, string, string];
  const given = Buffer.from(sig, 'base64url');
  const expected = mac(secret, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const p = payload.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    return p.success ? { email: p.data.e, queueId: p.data.q } : null;
  } catch {
    return null;
  }
}
