/**
 * Tokens at rest (AES-256-GCM, key ids, rotation, binding to account and field), the signed OAuth
 * state (forged, altered, expired), the platforms' length limits and the publisher's backoff.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyIdOf, open, parseKeyring, seal, sign, verify } from '../src/social/crypto.js';
import { postTooLong } from '../src/social/platforms/limits.js';
import { littleText } from '../src/social/platforms/linkedin.js';
import { comparable } from '../src/social/platforms/x.js';
import { backoffMs } from '../src/social/records.js';
import { SealedToken, tokenAad } from '../src/social/sealed.js';
import { makeState, readState } from '../src/social/state.js';

const key = (): string => randomBytes(32).toString('base64');

describe('token encryption', () => {
  const k1 = key();
  const k2 = key();
  const old = parseKeyring(`k1:${k1}`);
  const rotated = parseKeyring(`k2:${k2},k1:${k1}`);
  const aad = tokenAad('acct-1', 'access_token');

  it('round-trips, with a fresh IV each time, and the envelope names its key', () => {
    const a = seal(old, 'secret-token-α', aad);
    const b = seal(old, 'secret-token-α', aad);
    expect(a).not.toBe(b);
    expect(a).not.toContain('secret-token');
    expect(keyIdOf(a)).toBe('k1');
    expect(open(old, a, aad)).toBe('secret-token-α');
  });

  it('key rotation: tokens sealed with the old key still open, new ones use the new key', () => {
    const before = seal(old, 'old-token', aad);
    expect(open(rotated, before, aad)).toBe('old-token');
    const after = seal(rotated, 'new-token', aad);
    expect(keyIdOf(after)).toBe('k2');
    expect(open(rotated, after, aad)).toBe('new-token');
    // A keyring without the old key cannot open old envelopes, and says which key is missing.
    expect(() => open(parseKeyring(`k2:${k2}`), before, aad)).toThrow(/key k1/);
  });

  it('refuses a tampered envelope and an envelope moved to another account or field', () => {
    const env = seal(old, 'token', aad);
    const parts = env.split('.');
    const ct = Buffer.from(parts[3] ?? '', 'base64url');
    ct[0] = (ct[0] ?? 0) ^ 1;
    parts[3] = ct.toString('base64url');
    expect(() => open(old, parts.join('.'), aad)).toThrow();
    expect(() => open(old, env, tokenAad('acct-2', 'access_token'))).toThrow();
    expect(() => open(old, env, tokenAad('acct-1', 'refresh_token'))).toThrow();
  });

  it('a keyring must be well formed (32-byte keys, unique ids), and says so without the key material', () => {
    expect(() => parseKeyring('')).toThrow(/empty/);
    expect(() => parseKeyring(`k1:${randomBytes(16).toString('base64')}`)).toThrow(/not 32 bytes/);
    expect(() => parseKeyring(`k1:${k1},k1:${k2}`)).toThrow(/twice/);
    expect(() => parseKeyring(`bad id:${k1}`)).toThrow(/key id/);
    try {
      parseKeyring(`k1:${k1},k9:short`);
    } catch (err) {
      expect(String(err)).not.toContain(k1);
    }
  });

  it('a sealed token shows nothing when printed or serialised, and legacy plain-text tokens still reveal', () => {
    const t = new SealedToken(seal(old, 'plain-secret', aad), old, aad);
    expect(String(t)).toBe('[sealed token]');
    expect(JSON.stringify({ t })).toBe('{"t":"[sealed token]"}');
    expect(t.reveal()).toBe('plain-secret');
    expect(new SealedToken('migrated-plain-token', old, aad).reveal()).toBe('migrated-plain-token');
  });

  it('MACs: verified with any key of the ring, refused when altered or made with an unknown key', () => {
    const sig = sign(old, 'p', 'message');
    expect(verify(rotated, 'p', 'message', sig)).toBe(true);
    expect(verify(rotated, 'p', 'message2', sig)).toBe(false);
    expect(verify(rotated, 'other-purpose', 'message', sig)).toBe(false);
    expect(verify(parseKeyring(`k3:${key()}`), 'p', 'message', sig)).toBe(false);
  });
});

describe('the OAuth state', () => {
  const ring = parseKeyring(`s1:${key()}`);
  const now = new Date('2026-12-01T10:00:00Z');
  const payload = { nonce: 'n'.repeat(24), uid: 'user-1', platform: 'x' as const, expiresAt: new Date(now.getTime() + 600_000) };

  it('reads back what it signed', () => {
    expect(readState(ring, makeState(ring, payload), now)).toEqual(payload);
  });

  it('forged: another key, an altered payload, garbage', () => {
    expect(readState(ring, makeState(parseKeyring(`s1:${key()}`), payload), now)).toBe('forged');
    const [p, ...sig] = makeState(ring, payload).split('.');
    const other = Buffer.from(JSON.stringify({ n: 'n'.repeat(24), u: 'attacker', p: 'x', e: 9_999_999_999 })).toString('base64url');
    expect(readState(ring, [other, ...sig].join('.'), now)).toBe('forged');
    expect(p).toBeTruthy();
    expect(readState(ring, 'garbage', now)).toBe('forged');
    expect(readState(ring, '.', now)).toBe('forged');
  });

  it('expired', () => {
    expect(readState(ring, makeState(ring, payload), new Date(payload.expiresAt.getTime() + 1))).toBe('expired');
  });
});

describe('platform limits and text', () => {
  it('X counts Chinese characters double against 280; LinkedIn allows 3000 of anything', () => {
    expect(postTooLong('x', 'a'.repeat(280))).toBeNull();
    expect(postTooLong('x', 'a'.repeat(281))).toMatch(/too long for x/);
    expect(postTooLong('x', '成'.repeat(140))).toBeNull();
    expect(postTooLong('x', '成'.repeat(141))).toMatch(/282 of at most 280/);
    expect(postTooLong('linkedin', '成'.repeat(3000))).toBeNull();
    expect(postTooLong('linkedin', 'a'.repeat(3001))).not.toBeNull();
  });

  it("LinkedIn's little text escapes reserved characters; X's comparison ignores links", () => {
    expect(littleText('Hi (all) #growth @me [x]')).toBe('Hi \\(all\\) \\#growth \\@me \\[x\\]');
    expect(comparable('New post https://zhengrowth.com/blog/a  now')).toBe(comparable('New post https://t.co/abc now'));
  });

  it('backs off 1, 2, 4… minutes up to 30, or as long as the platform asks', () => {
    expect([1, 2, 3, 6, 10].map((a) => backoffMs(a, null) / 60_000)).toEqual([1, 2, 4, 30, 30]);
    expect(backoffMs(1, 900)).toBe(900_000);
  });
});
