/** The social functions' world in tests: a Firestore project of its own, LinkedIn and X stand-ins, and seeders. */
import { randomBytes } from 'node:crypto';
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import { socialAccounts, socialPosts, type CallableContract, type SocialPlatform } from '@zhengrowth/model';
import { put, testFirebase, testProjectId, type TestFirebase } from '@zhengrowth/devstack/testing';
import { runCallable, type CallableHandler } from '../../src/core/callable.js';
import { accountIdOf } from '../../src/social/accounts.js';
import { parseKeyring } from '../../src/social/crypto.js';
import type { SocialDeps } from '../../src/social/deps.js';
import { platforms } from '../../src/social/platforms/index.js';
import { sealedGrant, tokenRef } from '../../src/social/tokens.js';
import { asAuthData, uniq, type Auth } from './env.js';
import { CLIENTS, platformStandIn, type PlatformStandIn } from './social-standins.js';

export const REDIRECT_URI = 'https://functions.zhengrowth.test/socialOAuthCallback';
export const RETURN_URL = 'https://app.zhengrowth.test/settings/social';

export const newKey = (id: string): string => `${id}:${randomBytes(32).toString('base64')}`;

export interface SocialEnv {
  fb: TestFirebase;
  db: Firestore;
  linkedin: PlatformStandIn;
  x: PlatformStandIn;
  /** The SOCIAL_TOKEN_KEYS the deps use unless told otherwise. */
  keys: string;
  standIn(p: SocialPlatform): PlatformStandIn;
  deps(o?: { now?: () => Date; keys?: string; leaseSeconds?: number; maxAttempts?: number }): SocialDeps;
  close(): Promise<void>;
}

export async function socialEnv(label: string): Promise<SocialEnv> {
  const fb = testFirebase(testProjectId(label));
  const [linkedin, x] = await Promise.all([platformStandIn('linkedin'), platformStandIn('x')]);
  const keys = newKey('k1');
  await fb.db.doc(socialAccounts.docPath({ uid: 'warm-up', accountId: 'warm-up' })).get(); // Firestore's channel, before the first test's clock
  const standIn = (p: SocialPlatform) => (p === 'x' ? x : linkedin);
  return {
    fb,
    db: fb.db,
    linkedin,
    x,
    keys,
    standIn,
    deps: (o = {}) => ({
      db: fb.db,
      now: o.now ?? (() => new Date()),
      platforms: platforms((p) => ({ ...CLIENTS[p], authOrigin: standIn(p).origin, apiOrigin: standIn(p).origin, timeoutMs: 2_000 })),
      keyring: () => parseKeyring(o.keys ?? keys),
      oauth: { redirectUri: REDIRECT_URI, returnUrl: RETURN_URL },
      publisher: { leaseSeconds: o.leaseSeconds ?? 300, maxAttempts: o.maxAttempts ?? 3 },
    }),
    close: async () => {
      await Promise.all([linkedin.close(), x.close()]);
      await fb.close();
    },
  };
}

export function callSocial<C extends CallableContract>(
  contract: C,
  handler: CallableHandler<C, SocialDeps>,
  deps: SocialDeps,
  who: Auth | null,
  data: unknown,
) {
  return runCallable(contract, handler, { data, auth: asAuthData(who) }, deps);
}

export function user(): Auth {
  return { uid: uniq('u'), token: { email: `${uniq('s')}@example.com`, email_verified: true, roles: ['client'] } };
}

export interface Connected {
  accountId: string;
  profileId: string;
  access: string;
  refresh: string | null;
}

/** An account as the OAuth callback leaves it, with tokens the stand-in honours, sealed with `keys`. */
export async function connectedAccount(
  env: SocialEnv,
  uid: string,
  platform: SocialPlatform,
  o: { expiresInSeconds?: number; refresh?: boolean; keys?: string; now?: Date } = {},
): Promise<Connected> {
  const profileId = uniq(`${platform}-member-`);
  const accountId = accountIdOf(uid, platform, profileId);
  const tokens = env.standIn(platform).issue(profileId, { refresh: o.refresh ?? true });
  const now = o.now ?? new Date();
  const grant = {
    accessToken: tokens.access,
    refreshToken: tokens.refresh,
    expiresAt: new Date(now.getTime() + (o.expiresInSeconds ?? 7200) * 1000),
    scopes: [],
  };
  const sealed = sealedGrant(parseKeyring(o.keys ?? env.keys), { uid, accountId, platform }, grant, null, now);
  await put(env.db.doc(socialAccounts.docPath({ uid, accountId })).withConverter(socialAccounts.converter), {
    user_id: uid,
    platform,
    platform_user_id: profileId,
    username: 'someone',
    token_expires_at: sealed.token_expires_at ?? null,
    active: true,
    metadata: null,
    created_at: Timestamp.fromDate(now),
    updated_at: Timestamp.fromDate(now),
    status: 'connected',
  });
  await put(tokenRef(env.db, accountId), sealed);
  return { accountId, profileId, access: tokens.access, refresh: tokens.refresh };
}

export async function draftPost(env: SocialEnv, uid: string, account: { accountId: string }, platform: SocialPlatform, content: string): Promise<string> {
  const postId = uniq('post-');
  await put(env.db.doc(socialPosts.docPath({ uid, postId })).withConverter(socialPosts.converter), {
    user_id: uid,
    account_id: account.accountId,
    platform,
    content,
    media_urls: [],
    status: 'draft',
    scheduled_for: null,
    published_at: null,
    platform_post_id: null,
    error: null,
    metadata: null,
    created_at: Timestamp.now(),
    updated_at: Timestamp.now(),
  });
  return postId;
}

export async function readPost(env: SocialEnv, uid: string, postId: string) {
  return (await env.db.doc(socialPosts.docPath({ uid, postId })).withConverter(socialPosts.converter).get()).data();
}
