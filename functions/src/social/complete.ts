/**
 * A connect finishes where it started. The callback does not attach the account: it seals what the
 * platform granted in the connect's oauth_states document and sends the browser back to the web app
 * with a one-time `connect` token. The web app, signed in, hands it to completeSocialConnect, and
 * the account is attached only if the caller is the user who started the connect. So an authorize
 * link an attacker started and sent to someone else attaches nothing: that person's app is refused
 * (and told why), the attacker never sees the token, and the pending grant is discarded.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { logger } from 'firebase-functions/logger';
import type { completeSocialConnect as contract, SocialPlatform } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { runTx, txMerge } from '../core/firestore.js';
import { storeConnectedAccount } from './accounts.js';
import { open, seal, type Keyring } from './crypto.js';
import type { SocialDeps } from './deps.js';
import type { PlatformProfile, TokenGrant } from './platforms/types.js';
import { tokenAad } from './sealed.js';
import { stateRef } from './state.js';

type Granted = { grant: TokenGrant; profile: PlatformProfile };

const hashOf = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** What the callback writes on the spent state: the sealed grant and the hash of the token; the token itself goes to the browser. */
export function pendingConnect(
  keyring: Keyring,
  nonce: string,
  granted: Granted,
): { token: string; fields: { pending_account: string; completion_hash: string } } {
  const secret = randomBytes(24).toString('base64url');
  const plain = JSON.stringify({ grant: { ...granted.grant, expiresAt: granted.grant.expiresAt?.toISOString() ?? null }, profile: granted.profile });
  return {
    token: `${nonce}.${secret}`,
    fields: { pending_account: seal(keyring, plain, tokenAad(nonce, 'pending_account')), completion_hash: hashOf(secret) },
  };
}

function openGranted(keyring: Keyring, nonce: string, sealed: string): Granted {
  const g = JSON.parse(open(keyring, sealed, tokenAad(nonce, 'pending_account'))) as {
    grant: Omit<TokenGrant, 'expiresAt'> & { expiresAt: string | null };
    profile: PlatformProfile;
  };
  return { grant: { ...g.grant, expiresAt: g.grant.expiresAt ? new Date(g.grant.expiresAt) : null }, profile: g.profile };
}

const NOT_WAITING = 'this connect is no longer waiting (done, refused or expired): connect the account again from the app';

/** The pending grant, taken once (cleared in the same transaction); a stranger's call discards it. */
async function takePending(deps: SocialDeps, nonce: string, secret: string, uid: string): Promise<{ platform: SocialPlatform; sealed: string }> {
  const ref = stateRef(deps.db, nonce);
  const out = await runTx(deps.db, async (tx) => {
    const doc = (await tx.get(ref)).data();
    const hash = doc?.completion_hash;
    if (!doc || !doc.pending_account || !hash || !timingSafeEqual(Buffer.from(hash), Buffer.from(hashOf(secret)))) return 'missing' as const;
    const cleared = { pending_account: null, completion_hash: null };
    if (doc.expires_at.toMillis() <= deps.now().getTime()) {
      txMerge(tx, ref, cleared);
      return 'missing' as const;
    }
    if (doc.user_id !== uid) {
      txMerge(tx, ref, cleared);
      return 'stranger' as const;
    }
    txMerge(tx, ref, { ...cleared, completed_at: Timestamp.fromDate(deps.now()) });
    return { platform: doc.platform as SocialPlatform, sealed: doc.pending_account };
  });
  if (out === 'missing') throw new HttpsError('not-found', NOT_WAITING);
  if (out === 'stranger') {
    logger.warn('social connect completed by another user: discarded', { nonce: nonce.slice(0, 6) });
    throw new HttpsError(
      'permission-denied',
      'this connect was started by another ZhenGrowth account, so nothing was connected; if you did not start it, you can ignore it',
    );
  }
  return out;
}

export const completeSocialConnect: CallableHandler<typeof contract, SocialDeps> = async (input, caller, deps) => {
  const dot = input.connect_token.indexOf('.');
  const nonce = input.connect_token.slice(0, dot);
  const secret = input.connect_token.slice(dot + 1);
  if (dot < 16 || !/^[A-Za-z0-9_-]+$/.test(nonce) || !secret) throw new HttpsError('invalid-argument', 'connect_token: not a connect token');
  const pending = await takePending(deps, nonce, secret, caller.uid);
  const account_id = await storeConnectedAccount(deps, caller.uid, pending.platform, openGranted(deps.keyring(), nonce, pending.sealed));
  logger.info('social account connected', { uid: caller.uid, platform: pending.platform, account_id });
  return { platform: pending.platform, account_id };
};
