/**
 * The shared rate limiter and App Check guard of the callables, against the Firestore emulator:
 * windows per IP and per uid, a refusal that counts nothing and says when to come back, windows
 * that reopen, concurrent calls that never overshoot, and the RATE_LIMITS override.
 */
import { HttpsError } from 'firebase-functions/v2/https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { health, rateLimits } from '@zhengrowth/model';
import { runCallable, type CallableRequestLike } from '../src/core/callable.js';
import { clientIp } from '../src/core/client-ip.js';
import { enforceRateLimit, policyFor } from '../src/core/rate-limit.js';
import { checkHealth } from '../src/health/check.js';
import { asAuthData, buyer, testEnv, type TestEnv } from './support/env.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv('ratelimit');
});
afterAll(async () => {
  await env?.close();
});

const fromIp = (ip: string, auth = buyer()): CallableRequestLike => ({
  data: {},
  auth: asAuthData(auth),
  rawRequest: { ip } as CallableRequestLike['rawRequest'],
});

async function codeOf(p: Promise<unknown>): Promise<string | null> {
  return p.then(
    () => null,
    (e: unknown) => (e instanceof HttpsError ? e.code : String(e)),
  );
}

describe('rate limits', () => {
  it('allows max calls per IP in a window, then refuses with retry_after_seconds and counts nothing more', async () => {
    const policy = { ip: { max: 3, per_seconds: 60 } };
    const ip = `10.0.0.${Math.floor(Math.random() * 200)}`;
    const t0 = new Date('2026-12-01T10:00:00Z');
    for (let i = 0; i < 3; i++) await enforceRateLimit(env.db, t0, 'scopeA', { ip }, policy);
    const err = await enforceRateLimit(env.db, new Date(t0.getTime() + 20_000), 'scopeA', { ip }, policy).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpsError);
    expect((err as HttpsError).code).toBe('resource-exhausted');
    expect((err as HttpsError).details).toEqual({ retry_after_seconds: 40 });
    // Another scope and another IP have windows of their own.
    await enforceRateLimit(env.db, t0, 'scopeB', { ip }, policy);
    await enforceRateLimit(env.db, t0, 'scopeA', { ip: `${ip}9` }, policy);
    // The window reopens after per_seconds.
    await enforceRateLimit(env.db, new Date(t0.getTime() + 61_000), 'scopeA', { ip }, policy);
    const stored = (await env.db.collection(rateLimits.collectionPath({})).withConverter(rateLimits.converter).get()).docs.map((d) => d.data());
    expect(stored.every((d) => !JSON.stringify(d).includes(ip))).toBe(true);
  });

  it('20 concurrent calls against a limit of 5: exactly 5 pass', async () => {
    const uid = `u-${Date.now()}`;
    const now = new Date();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => codeOf(enforceRateLimit(env.db, now, 'burst', { uid }, { uid: { max: 5, per_seconds: 60 } }))),
    );
    // Every answer named: a burst that contends for the window is refused, never failed.
    const tally: Record<string, number> = {};
    for (const r of results) tally[r ?? 'passed'] = (tally[r ?? 'passed'] ?? 0) + 1;
    expect(tally).toEqual({ passed: 5, 'resource-exhausted': 15 });
  });

  it('runCallable applies the guard before the handler: per uid, and App Check for public callables', async () => {
    const who = buyer();
    const g = { rateLimit: { uid: { max: 1, per_seconds: 3600 } } };
    await runCallable(health, checkHealth, fromIp('10.1.1.1', who), env.deps(), g);
    expect(await codeOf(runCallable(health, checkHealth, fromIp('10.1.1.2', who), env.deps(), g))).toBe('resource-exhausted');
    expect(await codeOf(runCallable(health, checkHealth, { data: {}, auth: undefined }, env.deps(), { appCheck: true }))).toBe('unauthenticated');
    const verified: CallableRequestLike = { data: {}, auth: undefined, app: { appId: 'web', token: {} as never, alreadyConsumed: false } };
    expect(await codeOf(runCallable(health, checkHealth, verified, env.deps(), { appCheck: true }))).toBeNull();
  });

  it('the per-IP limit holds against forged X-Forwarded-For prefixes: the address is the one our front end appended', async () => {
    const real = `203.0.113.${Math.floor(Math.random() * 200)}`;
    // Express's req.ip under trust proxy is the leftmost entry: what the caller wrote. Each call forges another.
    const forged = (i: number): CallableRequestLike => ({
      data: {},
      auth: undefined,
      rawRequest: { ip: `198.18.${i}.1`, headers: { 'x-forwarded-for': `198.18.${i}.1, ${real}` } } as unknown as CallableRequestLike['rawRequest'],
    });
    const g = { rateLimit: { ip: { max: 2, per_seconds: 3600 } }, trustedHops: 1 };
    expect(await codeOf(runCallable(health, checkHealth, forged(1), env.deps(), g))).toBeNull();
    expect(await codeOf(runCallable(health, checkHealth, forged(2), env.deps(), g))).toBeNull();
    expect(await codeOf(runCallable(health, checkHealth, forged(3), env.deps(), g))).toBe('resource-exhausted');
    // Two proxies of ours: the second entry from the end. Without a front end (the emulator): the connection's peer.
    expect(clientIp({ headers: { 'x-forwarded-for': 'evil, 203.0.113.9, 10.0.0.1' } }, 2)).toBe('203.0.113.9');
    expect(clientIp({ ip: 'evil', headers: { 'x-forwarded-for': 'evil' }, socket: { remoteAddress: '127.0.0.1' } }, 0)).toBe('127.0.0.1');
    expect(clientIp({ ip: '127.0.0.1', headers: {} }, 1)).toBe('127.0.0.1');
  });

  it('RATE_LIMITS overrides a default by callable name, and refuses a malformed value', () => {
    const defaults = { ip: { max: 5, per_seconds: 3600 } };
    expect(policyFor('requestPasswordReset', defaults, '')).toEqual(defaults);
    expect(policyFor('requestPasswordReset', defaults, '{"requestPasswordReset":{"ip":{"max":50,"per_seconds":60}}}')).toEqual({
      ip: { max: 50, per_seconds: 60 },
    });
    expect(policyFor('other', defaults, '{"requestPasswordReset":{"ip":{"max":50,"per_seconds":60}}}')).toEqual(defaults);
    expect(() => policyFor('x', defaults, '{nope')).toThrow(/not JSON/);
    expect(() => policyFor('x', defaults, '{"x":{"ip":{"max":0,"per_seconds":60}}}')).toThrow(/RATE_LIMITS: x.ip.max/);
  });
});
