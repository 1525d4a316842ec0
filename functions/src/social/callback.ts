/**
 * socialOAuthCallback: where the platform sends the user back. The state is checked first (its
 * signature, then its expiry, then, once, its stored connect): a forged, expired or replayed state
 * is a 400 and nothing is written. Then the code is exchanged (with the PKCE verifier) and what
 * the platform granted is sealed on the spent state, waiting: the user goes back to the web app
 * with a one-time `connect` token, and the account is attached only when the user who started the
 * connect completes it (complete.ts).
 */
import { logger } from 'firebase-functions/logger';
import { z } from 'zod';
import type { SocialPlatform } from '@zhengrowth/model';
import { pendingConnect } from './complete.js';
import { open } from './crypto.js';
import type { SocialDeps } from './deps.js';
import { PlatformError } from './platforms/http.js';
import { tokenAad } from './sealed.js';
import { consumeState, readState, stateRef, type StateProblem } from './state.js';

export interface CallbackRequest {
  method: string;
  query: Record<string, unknown>;
}

export type CallbackResponse = { status: 302; location: string } | { status: 400 | 405; text: string };

/** Platforms add their own parameters (error_description, scope…): only these are read. */
const callbackQuery = z.object({
  state: z.string().min(1).max(2048),
  code: z.string().min(1).max(4096).optional(),
  error: z.string().max(200).optional(),
});

const PROBLEM_TEXT: Record<StateProblem, string> = {
  forged: 'This connect link is not valid. Start connecting the account again from the app.',
  expired: 'This connect link has expired. Start connecting the account again from the app.',
  replayed: 'This connect link was already used. Start connecting the account again from the app.',
};

function backToApp(deps: SocialDeps, platform: SocialPlatform, outcome: Record<string, string>): CallbackResponse {
  const url = new URL(deps.oauth.returnUrl);
  url.searchParams.set('platform', platform);
  for (const [k, v] of Object.entries(outcome)) url.searchParams.set(k, v);
  return { status: 302, location: url.toString() };
}

export async function handleOAuthCallback(req: CallbackRequest, deps: SocialDeps): Promise<CallbackResponse> {
  if (req.method !== 'GET') return { status: 405, text: 'GET only' };
  const q = callbackQuery.safeParse(req.query);
  if (!q.success) return { status: 400, text: PROBLEM_TEXT.forged };
  const keyring = deps.keyring();
  const now = deps.now();
  const payload = readState(keyring, q.data.state, now);
  if (typeof payload === 'string') return { status: 400, text: PROBLEM_TEXT[payload] };
  const stored = await consumeState(deps.db, payload, now);
  if (typeof stored === 'string') return { status: 400, text: PROBLEM_TEXT[stored] };
  if (q.data.error || !q.data.code) return backToApp(deps, payload.platform, { social: 'cancelled' });
  const codeVerifier = open(keyring, stored.code_verifier, tokenAad(payload.nonce, 'code_verifier'));
  try {
    const connected = await deps.platforms(payload.platform).exchangeCode({ code: q.data.code, redirectUri: deps.oauth.redirectUri, codeVerifier });
    const pending = pendingConnect(keyring, payload.nonce, connected);
    await stateRef(deps.db, payload.nonce).update(pending.fields);
    logger.info('social account granted: waiting for the app to complete the connect', { uid: payload.uid, platform: payload.platform });
    return backToApp(deps, payload.platform, { social: 'confirm', connect: pending.token });
  } catch (err) {
    if (!(err instanceof PlatformError)) throw err;
    logger.warn('social connect failed at the platform', { uid: payload.uid, platform: payload.platform, code: err.code });
    return backToApp(deps, payload.platform, { social: 'error', reason: err.code });
  }
}
