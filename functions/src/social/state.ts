/**
 * The OAuth `state`: `<payload>.<key id>.<mac>`, the payload naming the nonce (the oauth_states
 * document), the user, the platform and the expiry, signed with a key derived from the token
 * keyring. A forged or altered state fails the MAC before anything is read; an expired one is
 * refused; the document makes it single-use (its `used_at` is set in a transaction).
 */
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import { z } from 'zod';
import { oauthStates, socialPlatform, type OAuthStateDoc, type SocialPlatform } from '@zhengrowth/model';
import { sign, verify, type Keyring } from './crypto.js';
import { runTx } from '../core/firestore.js';

const PURPOSE = 'oauth-state';

const payloadSchema = z.strictObject({ n: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/), u: z.string().min(1).max(128), p: socialPlatform, e: z.int() });

export interface StatePayload {
  nonce: string;
  uid: string;
  platform: SocialPlatform;
  expiresAt: Date;
}

export function makeState(keyring: Keyring, p: StatePayload): string {
  const payload = Buffer.from(JSON.stringify({ n: p.nonce, u: p.uid, p: p.platform, e: Math.floor(p.expiresAt.getTime() / 1000) })).toString('base64url');
  return `${payload}.${sign(keyring, PURPOSE, payload)}`;
}

export type StateProblem = 'forged' | 'expired' | 'replayed';

/** The state's payload if its signature holds and it has not expired. */
export function readState(keyring: Keyring, state: string, now: Date): StatePayload | StateProblem {
  const dot = state.indexOf('.');
  if (dot < 1) return 'forged';
  const payload = state.slice(0, dot);
  if (!verify(keyring, PURPOSE, payload, state.slice(dot + 1))) return 'forged';
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return 'forged';
  }
  const p = payloadSchema.safeParse(json);
  if (!p.success) return 'forged';
  if (p.data.e * 1000 <= now.getTime()) return 'expired';
  return { nonce: p.data.n, uid: p.data.u, platform: p.data.p, expiresAt: new Date(p.data.e * 1000) };
}

export function stateRef(db: Firestore, nonce: string) {
  return db.doc(oauthStates.docPath({ stateId: nonce })).withConverter(oauthStates.converter);
}

/** Marks the state used, once: the stored connect if it matches the signed payload and is unused and unexpired. */
export async function consumeState(db: Firestore, p: StatePayload, now: Date): Promise<OAuthStateDoc | StateProblem> {
  const ref = stateRef(db, p.nonce);
  return runTx(db, async (tx) => {
    const doc = (await tx.get(ref)).data();
    if (!doc || doc.user_id !== p.uid || doc.platform !== p.platform) return 'forged';
    if (doc.used_at) return 'replayed';
    if (doc.expires_at.toMillis() <= now.getTime()) return 'expired';
    tx.update(ref, { used_at: Timestamp.fromDate(now) });
    return doc;
  });
}
