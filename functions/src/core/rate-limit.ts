/**
 * Rate limits of the callables, kept in Firestore (rate_limits) so that every instance counts
 * together: a fixed window per scope and key (an IP, a uid), counted in a transaction. A call over
 * the limit is `resource-exhausted` with `retry_after_seconds` in its details, and counts nothing.
 */
import { createHash, randomInt } from 'node:crypto';
import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { rateLimits } from '@zhengrowth/model';
import { z } from 'zod';
import { isContention, runTx } from './firestore.js';

export const limitSchema = z.strictObject({
  max: z.int().min(1),
  per_seconds: z
    .int()
    .min(1)
    .max(86_400 * 7),
  /**
   * Split each key's window over this many documents, each allowing floor(max / shards) calls
   * (at least 1), one picked at random per call. A window is one document counted in a
   * transaction, so one busy key (an IP sending many calls at once) serializes on it; shards
   * spread that load. The total never exceeds max; a caller can be refused a little early when
   * the shard it drew is full while others are not.
   */
  shards: z.int().min(1).max(64).optional(),
});
export type Limit = z.infer<typeof limitSchema>;

/** What a window counts calls of: a caller's IP, a signed-in user, an e-mail address a public door was given. */
export type LimitKind = 'ip' | 'uid' | 'email';

/** What one callable (or endpoint) allows, per caller IP and per signed-in user. */
export const rateLimitPolicy = z.strictObject({ ip: limitSchema.optional(), uid: limitSchema.optional() });
export type RateLimitPolicy = z.infer<typeof rateLimitPolicy>;

/** Overrides by scope (the callable's name), e.g. `{"requestPasswordReset":{"ip":{"max":5,"per_seconds":3600}}}`. */
export const rateLimitOverrides = z.record(z.string(), rateLimitPolicy);

/** The policy of a scope: its default, with the deploy's override (the RATE_LIMITS parameter) on top. */
export function policyFor(scope: string, defaults: RateLimitPolicy, overridesJson: string): RateLimitPolicy {
  if (!overridesJson.trim()) return defaults;
  let parsed: unknown;
  try {
    parsed = JSON.parse(overridesJson);
  } catch {
    throw new Error('RATE_LIMITS is not JSON');
  }
  const overrides = rateLimitOverrides.safeParse(parsed);
  if (!overrides.success)
    throw new Error(`RATE_LIMITS: ${overrides.error.issues[0]?.path.join('.') ?? ''}: ${overrides.error.issues[0]?.message ?? 'invalid'}`);
  return { ...defaults, ...(overrides.data[scope] ?? {}) };
}

function limitRef(db: Firestore, scope: string, kind: LimitKind, key: string) {
  const limitId = createHash('sha256').update(`${scope}\u0000${kind}\u0000${key}`).digest('hex').slice(0, 40);
  return db.doc(rateLimits.docPath({ limitId })).withConverter(rateLimits.converter);
}

/**
 * Inside the caller's transaction: reads the window of `key` and returns a write that counts one
 * call, or the seconds until the window reopens when it is full (then nothing is to be written).
 * For limits that must hold together with other effects (a post and its author's posting window).
 * Reads first, writes later, as Firestore transactions require.
 */
export async function readWindow(
  tx: Transaction,
  db: Firestore,
  scope: string,
  kind: LimitKind,
  key: string,
  limit: Limit,
  now: Date,
): Promise<{ retryAfter: number; count: () => void }> {
  const shards = limit.shards ?? 1;
  const ref = limitRef(db, scope, kind, shards > 1 ? `${key}\u0000${randomInt(shards)}` : key);
  const max = Math.max(1, Math.floor(limit.max / shards));
  const cur = (await tx.get(ref)).data();
  const windowMs = limit.per_seconds * 1000;
  const open = cur && cur.window_start.toMillis() + windowMs > now.getTime();
  if (open && cur.count >= max) {
    return { retryAfter: Math.max(1, Math.ceil((cur.window_start.toMillis() + windowMs - now.getTime()) / 1000)), count: () => undefined };
  }
  const start = open ? cur.window_start : Timestamp.fromDate(now);
  const count = (open ? cur.count : 0) + 1;
  return {
    retryAfter: 0,
    count: () => tx.set(ref, { scope, kind, count, window_start: start, expires_at: Timestamp.fromMillis(start.toMillis() + windowMs) }),
  };
}

export function tooManyRequests(retryAfter: number): HttpsError {
  return new HttpsError('resource-exhausted', `too many requests; try again in ${retryAfter} s`, { retry_after_seconds: retryAfter });
}

/**
 * Counts one call of `key` in its window; throws resource-exhausted (counting nothing) when the
 * window is full — and when a burst of calls contends for the window's document past the
 * transaction's retries (the emulator's lock timeout, ~20 s, then ABORTED): such a burst is
 * refused, retry in 1 s, rather than failed as `internal`. (More retries made the answers exact
 * under 100 calls at once, but kept a call waiting over two minutes.)
 */
export async function consume(db: Firestore, scope: string, kind: LimitKind, key: string, limit: Limit, now: Date): Promise<void> {
  const retryAfter = await runTx(db, async (tx) => {
    const w = await readWindow(tx, db, scope, kind, key, limit, now);
    w.count();
    return w.retryAfter;
  }).catch((err: unknown) => {
    if (isContention(err)) return 1;
    throw err;
  });
  if (retryAfter > 0) throw tooManyRequests(retryAfter);
}

/**
 * Applies a policy to a caller: per IP (when the request has one) and per uid (when signed in).
 * Shared by every public callable and endpoint; a limit not in the policy is not checked.
 */
export async function enforceRateLimit(
  db: Firestore,
  now: Date,
  scope: string,
  who: { ip?: string | undefined; uid?: string | undefined },
  policy: RateLimitPolicy,
): Promise<void> {
  if (policy.ip && who.ip) await consume(db, scope, 'ip', who.ip, policy.ip, now);
  if (policy.uid && who.uid) await consume(db, scope, 'uid', who.uid, policy.uid, now);
}
