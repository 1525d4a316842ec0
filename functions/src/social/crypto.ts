/**
 * OAuth tokens at rest: AES-256-GCM under a keyring from the SOCIAL_TOKEN_KEYS secret
 * ("k2:<base64 32 bytes>,k1:<base64 32 bytes>": the first key seals, every key opens). An envelope
 * names its key (`zgt1.<key id>.<iv>.<ciphertext>.<tag>`, base64url), so a new key can be put first
 * while tokens sealed with an older one still open; the refresh job reseals them with the new key.
 * The associated data binds an envelope to its account and field: a ciphertext copied into another
 * account's document does not open.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'zgt1';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export interface Keyring {
  /** The key new envelopes are sealed with. */
  readonly currentId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** Parses the SOCIAL_TOKEN_KEYS secret; a malformed keyring is a deploy error, said without the key material. */
export function parseKeyring(secret: string): Keyring {
  const keys = new Map<string, Buffer>();
  let currentId: string | undefined;
  for (const entry of secret
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = entry.indexOf(':');
    const id = entry.slice(0, at);
    const key = Buffer.from(entry.slice(at + 1), 'base64');
    if (at < 1 || !KEY_ID.test(id)) throw new Error('SOCIAL_TOKEN_KEYS: each entry is <key id>:<base64 key>, the id of letters, digits, - or _');
    if (key.length !== 32) throw new Error(`SOCIAL_TOKEN_KEYS: key ${id} is not 32 bytes (base64 of 32 random bytes: openssl rand -base64 32)`);
    if (keys.has(id)) throw new Error(`SOCIAL_TOKEN_KEYS: key id ${id} appears twice`);
    keys.set(id, key);
    currentId ??= id;
  }
  if (!currentId) throw new Error('SOCIAL_TOKEN_KEYS is empty');
  return { currentId, keys };
}

const b64 = (b: Buffer): string => b.toString('base64url');

export function isSealed(value: string): boolean {
  return value.startsWith(`${PREFIX}.`);
}

/** The key id an envelope was sealed with (null: not an envelope). */
export function keyIdOf(value: string): string | null {
  return isSealed(value) ? (value.split('.')[1] ?? null) : null;
}

export function seal(keyring: Keyring, plaintext: string, aad: string): string {
  const key = keyring.keys.get(keyring.currentId);
  if (!key) throw new Error('internal: the current key is not in the keyring');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [PREFIX, keyring.currentId, b64(iv), b64(ct), b64(cipher.getAuthTag())].join('.');
}

export function open(keyring: Keyring, envelope: string, aad: string): string {
  const [prefix, keyId, iv, ct, tag, ...rest] = envelope.split('.');
  if (prefix !== PREFIX || !keyId || !iv || ct === undefined || !tag || rest.length) throw new Error('not a sealed token');
  const key = keyring.keys.get(keyId);
  if (!key) throw new Error(`token sealed with key ${keyId}, which SOCIAL_TOKEN_KEYS no longer holds`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}

/** A MAC key for one purpose (the OAuth state), derived from a keyring key so that no second secret is needed. */
function derivedKey(key: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `zhengrowth ${purpose} v1`, 32));
}

/** `<key id>.<hmac>` over `message` with the current key's derived MAC key. */
export function sign(keyring: Keyring, purpose: string, message: string): string {
  const key = keyring.keys.get(keyring.currentId) as Buffer;
  return `${keyring.currentId}.${b64(createHmac('sha256', derivedKey(key, purpose)).update(message).digest())}`;
}

export function verify(keyring: Keyring, purpose: string, message: string, signature: string): boolean {
  const [keyId, mac, ...rest] = signature.split('.');
  const key = keyId ? keyring.keys.get(keyId) : undefined;
  if (!key || !mac || rest.length) return false;
  const expected = createHmac('sha256', derivedKey(key, purpose)).update(message).digest();
  const given = Buffer.from(mac, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
