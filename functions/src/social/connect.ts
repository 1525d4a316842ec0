import { createHash, randomBytes } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import type { startSocialConnect as contract } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { seal } from './crypto.js';
import type { SocialDeps } from './deps.js';
import { tokenAad } from './sealed.js';
import { makeState, stateRef } from './state.js';

/** How long a connect may take between startSocialConnect and the platform sending the user back. */
export const STATE_TTL_MS = 10 * 60_000;

/**
 * startSocialConnect: records the connect in flight (who, which platform, the PKCE verifier) and
 * returns the platform's authorize URL with a signed state naming it. Nothing else changes until
 * the platform sends the user back to socialOAuthCallback.
 */
export const startSocialConnect: CallableHandler<typeof contract, SocialDeps> = async (input, caller, deps) => {
  if (!deps.oauth.redirectUri) throw new HttpsError('failed-precondition', 'social connect is not configured (SOCIAL_OAUTH_REDIRECT_URL)');
  const adapter = deps.platforms(input.platform);
  const keyring = deps.keyring();
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + STATE_TTL_MS);
  const nonce = randomBytes(18).toString('base64url');
  const verifier = randomBytes(32).toString('base64url');
  await stateRef(deps.db, nonce).create({
    user_id: caller.uid,
    platform: input.platform,
    code_verifier: seal(keyring, verifier, tokenAad(nonce, 'code_verifier')),
    created_at: Timestamp.fromDate(now),
    expires_at: Timestamp.fromDate(expiresAt),
    used_at: null,
  });
  const state = makeState(keyring, { nonce, uid: caller.uid, platform: input.platform, expiresAt });
  const codeChallenge = createHash('sha256').update(verifier).digest('base64url');
  return {
    platform: input.platform,
    authorize_url: adapter.authorizeUrl({ state, redirectUri: deps.oauth.redirectUri, codeChallenge }),
    expires_at: expiresAt.toISOString(),
  };
};
