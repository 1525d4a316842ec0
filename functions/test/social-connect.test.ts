/**
 * Connecting LinkedIn and X: startSocialConnect's authorize URL and single-use signed state, and
 * socialOAuthCallback against stand-ins of the platforms' OAuth endpoints: what is sent (client
 * credentials, PKCE verifier, bearer tokens), what is stored (the account; the tokens sealed), and
 * forged, altered, replayed and expired states refused with nothing written. The callback attaches
 * nothing by itself: completeSocialConnect does, for the user who started the connect only.
 */
import { createHash } from 'node:crypto';
import type { HttpsError } from 'firebase-functions/v2/https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeSocialConnect as completeContract, oauthStates, socialAccounts, startSocialConnect as contract, type SocialPlatform } from '@zhengrowth/model';
import { handleOAuthCallback, type CallbackResponse } from '../src/social/callback.js';
import { completeSocialConnect } from '../src/social/complete.js';
import { startSocialConnect } from '../src/social/connect.js';
import { keyIdOf, open, parseKeyring } from '../src/social/crypto.js';
import type { SocialDeps } from '../src/social/deps.js';
import { tokenAad } from '../src/social/sealed.js';
import { tokenRef } from '../src/social/tokens.js';
import type { Auth } from './support/env.js';
import { CLIENTS } from './support/social-standins.js';
import { callSocial, newKey, REDIRECT_URI, RETURN_URL, socialEnv, user, type SocialEnv } from './support/social-env.js';

let env: SocialEnv;
beforeAll(async () => {
  env = await socialEnv('social-conn');
});
afterAll(async () => {
  await env?.close();
});

async function start(who: Auth, platform: SocialPlatform, deps: SocialDeps = env.deps()) {
  const res = await callSocial(contract, startSocialConnect, deps, who, { platform });
  const url = new URL(res.authorize_url);
  return { res, url, state: url.searchParams.get('state') ?? '', challenge: url.searchParams.get('code_challenge') ?? undefined };
}

const back = (out: CallbackResponse): URL => {
  expect(out.status).toBe(302);
  return new URL((out as { location: string }).location);
};

/** What the web app does on its return page: completes the connect with the token in the URL, as the signed-in user. */
const complete = (who: Auth | null, to: URL, deps: SocialDeps = env.deps()) =>
  callSocial(completeContract, completeSocialConnect, deps, who, { connect_token: to.searchParams.get('connect') ?? '' });

const refused = async (p: Promise<unknown>): Promise<string> =>
  (
    (await p.then(
      () => null,
      (e: unknown) => e,
    )) as HttpsError | null
  )?.code ?? 'accepted';

async function accountsOf(uid: string) {
  return (await env.db.collection(socialAccounts.collectionPath({ uid })).withConverter(socialAccounts.converter).get()).docs;
}

describe('startSocialConnect', () => {
  it("returns X's authorize URL with PKCE (S256) and LinkedIn's without, each with a signed state that names a stored connect", async () => {
    const who = user();
    const x = await start(who, 'x');
    expect(x.url.origin + x.url.pathname).toBe(`${env.x.origin}/i/oauth2/authorize`);
    expect(Object.fromEntries(x.url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: CLIENTS.x.clientId,
      redirect_uri: REDIRECT_URI,
      scope: 'tweet.read tweet.write users.read offline.access',
      code_challenge_method: 'S256',
    });
    expect(x.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(x.res.expires_at) - Date.now()).toBeGreaterThan(9 * 60_000);

    const li = await start(who, 'linkedin');
    expect(li.url.origin + li.url.pathname).toBe(`${env.linkedin.origin}/oauth/v2/authorization`);
    expect(Object.fromEntries(li.url.searchParams)).toMatchObject({
      client_id: CLIENTS.linkedin.clientId,
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile w_member_social',
    });
    expect(li.url.searchParams.has('code_challenge')).toBe(false);

    const stored = await env.db.collection(oauthStates.collectionPath({})).withConverter(oauthStates.converter).where('user_id', '==', who.uid).get();
    expect(stored.size).toBe(2);
    for (const d of stored.docs) {
      expect(d.data()).toMatchObject({ used_at: null });
      expect(keyIdOf(d.data().code_verifier)).toBe('k1');
    }
  });

  it('refuses a signed-out caller and an unsupported platform', async () => {
    const err = await callSocial(contract, startSocialConnect, env.deps(), null, { platform: 'x' }).catch((e: unknown) => e);
    expect((err as HttpsError).code).toBe('unauthenticated');
    const bad = await callSocial(contract, startSocialConnect, env.deps(), user(), { platform: 'myspace' }).catch((e: unknown) => e);
    expect((bad as HttpsError).code).toBe('invalid-argument');
  });
});

describe('socialOAuthCallback', () => {
  it('X: exchanges the code with the PKCE verifier and client credentials, stores the account and its sealed tokens', async () => {
    const who = user();
    const { state, challenge } = await start(who, 'x');
    const code = env.x.authorize({ id: 'x-4242', username: 'zhengrowth', name: 'ZhenGrowth' }, challenge);
    const out = await handleOAuthCallback({ method: 'GET', query: { state, code } }, env.deps());
    const to = back(out);
    expect(to.origin + to.pathname).toBe(RETURN_URL);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({ platform: 'x', social: 'confirm' });
    // Granted, not attached: nothing is stored until the user who started the connect completes it.
    expect(await accountsOf(who.uid)).toHaveLength(0);
    const done = await complete(who, to);
    expect(done.platform).toBe('x');

    const tokenCall = env.x.calls('token').at(-1)!;
    expect(tokenCall.headers.authorization).toBe(`Basic ${Buffer.from(`${CLIENTS.x.clientId}:${CLIENTS.x.clientSecret}`).toString('base64')}`);
    expect(tokenCall.form).toMatchObject({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI });
    expect(
      createHash('sha256')
        .update(tokenCall.form.code_verifier ?? '')
        .digest('base64url'),
    ).toBe(challenge);

    const [account] = await accountsOf(who.uid);
    expect(account?.id).toBe(done.account_id);
    expect(account?.data()).toMatchObject({
      user_id: who.uid,
      platform: 'x',
      platform_user_id: 'x-4242',
      username: 'zhengrowth',
      status: 'connected',
      active: true,
    });
    const tokens = (await tokenRef(env.db, account!.id).get()).data()!;
    expect(tokens).toMatchObject({ user_id: who.uid, account_id: account!.id, key_id: 'k1', platform: 'x', refresh_failures: 0 });
    // Stored sealed: the plaintext is what the profile call carried as its bearer token.
    const plain = open(parseKeyring(env.keys), tokens.access_token ?? '', tokenAad(account!.id, 'access_token'));
    expect(env.x.calls('me').at(-1)?.headers.authorization).toBe(`Bearer ${plain}`);
    expect(JSON.stringify(tokens)).not.toContain(plain);
    expect(keyIdOf(tokens.refresh_token ?? '')).toBe('k1');
    // Refreshed half an hour before the 2-hour token expires.
    expect(tokens.token_expires_at!.toMillis() - tokens.refresh_due_at!.toMillis()).toBe(30 * 60_000);
  });

  it('LinkedIn: client id and secret in the form, the OpenID userinfo for the member id', async () => {
    const who = user();
    const { state } = await start(who, 'linkedin');
    const code = env.linkedin.authorize({ id: 'li-abc', name: 'Zhen' });
    await complete(who, back(await handleOAuthCallback({ method: 'GET', query: { state, code } }, env.deps())));
    expect(env.linkedin.calls('token').at(-1)?.form).toMatchObject({
      grant_type: 'authorization_code',
      code,
      ...{ client_id: CLIENTS.linkedin.clientId, client_secret: CLIENTS.linkedin.clientSecret },
    });
    const [account] = await accountsOf(who.uid);
    expect(account?.data()).toMatchObject({ platform: 'linkedin', platform_user_id: 'li-abc', status: 'connected' });
  });

  it('a forged or altered state is refused before anything is read or exchanged', async () => {
    const who = user();
    const { state, challenge } = await start(who, 'x');
    const code = env.x.authorize({ id: 'x-forged' }, challenge);
    const tokenCalls = env.x.calls('token').length;
    const other = env.deps({ keys: newKey('k1') });
    const forged = (await callSocial(contract, startSocialConnect, other, who, { platform: 'x' })).authorize_url;
    const forgedState = new URL(forged).searchParams.get('state') ?? '';
    const [payload, ...sig] = state.split('.');
    const decoded = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
    const altered = [Buffer.from(JSON.stringify({ ...decoded, u: 'attacker-uid' })).toString('base64url'), ...sig].join('.');
    for (const s of [forgedState, altered, 'not-a-state', '']) {
      const out = await handleOAuthCallback({ method: 'GET', query: { state: s, code } }, env.deps());
      expect(out).toMatchObject({ status: 400 });
    }
    expect(env.x.calls('token').length).toBe(tokenCalls);
    expect(await accountsOf(who.uid)).toHaveLength(0);
    expect(await accountsOf('attacker-uid')).toHaveLength(0);
    // The genuine state still works once.
    back(await handleOAuthCallback({ method: 'GET', query: { state, code } }, env.deps()));
  });

  it('a state is single-use: replayed, it is refused and nothing more is written', async () => {
    const who = user();
    const { state, challenge } = await start(who, 'x');
    await complete(who, back(await handleOAuthCallback({ method: 'GET', query: { state, code: env.x.authorize({ id: 'x-once' }, challenge) } }, env.deps())));
    const tokenCalls = env.x.calls('token').length;
    const replay = await handleOAuthCallback({ method: 'GET', query: { state, code: env.x.authorize({ id: 'x-twice' }, challenge) } }, env.deps());
    expect(replay).toEqual({ status: 400, text: expect.stringContaining('already used') as unknown });
    expect(env.x.calls('token').length).toBe(tokenCalls);
    expect((await accountsOf(who.uid)).map((d) => d.data().platform_user_id)).toEqual(['x-once']);
  });

  it('an expired state is refused; a user who declines goes back to the app and the state is spent', async () => {
    const who = user();
    const { state, challenge } = await start(who, 'x');
    const late = env.deps({ now: () => new Date(Date.now() + 11 * 60_000) });
    expect(await handleOAuthCallback({ method: 'GET', query: { state, code: env.x.authorize({ id: 'x-late' }, challenge) } }, late)).toMatchObject({
      status: 400,
      text: expect.stringContaining('expired') as unknown,
    });
    expect(await accountsOf(who.uid)).toHaveLength(0);

    const declined = await start(who, 'linkedin');
    const to = back(
      await handleOAuthCallback(
        { method: 'GET', query: { state: declined.state, error: 'user_cancelled_authorize', error_description: 'The user cancelled' } },
        env.deps(),
      ),
    );
    expect(Object.fromEntries(to.searchParams)).toMatchObject({ platform: 'linkedin', social: 'cancelled' });
    expect(await handleOAuthCallback({ method: 'GET', query: { state: declined.state, code: 'x' } }, env.deps())).toMatchObject({ status: 400 });
  });

  it('a refusal at the token endpoint sends the user back with its code and stores nothing', async () => {
    const who = user();
    const { state, challenge } = await start(who, 'x');
    env.x.failNext('token', { status: 400, body: { error: 'invalid_grant', error_description: 'code expired' } });
    const to = back(await handleOAuthCallback({ method: 'GET', query: { state, code: env.x.authorize({ id: 'x-fail' }, challenge) } }, env.deps()));
    expect(Object.fromEntries(to.searchParams)).toMatchObject({ social: 'error', reason: 'http_400_invalid_grant' });
    expect(await accountsOf(who.uid)).toHaveLength(0);
  });

  it('a connect finishes where it started: an authorize link started by one user and approved in another’s browser attaches nothing, and that user is told', async () => {
    const attacker = user();
    const victim = user();
    const { state, challenge } = await start(attacker, 'x');
    // The victim approves the attacker's link; the platform sends the victim's browser back.
    const to = back(await handleOAuthCallback({ method: 'GET', query: { state, code: env.x.authorize({ id: 'x-victim' }, challenge) } }, env.deps()));
    expect(await refused(complete(victim, to))).toBe('permission-denied');
    expect(await accountsOf(victim.uid)).toHaveLength(0);
    expect(await accountsOf(attacker.uid)).toHaveLength(0);
    // The grant was discarded: not even the token's rightful starter can complete it now.
    expect(await refused(complete(attacker, to))).toBe('not-found');
    const nonce = (to.searchParams.get('connect') ?? '').split('.')[0] ?? '';
    expect((await env.db.doc(oauthStates.docPath({ stateId: nonce })).get()).data()).toMatchObject({ pending_account: null, completion_hash: null });
  });

  it('a connect token works once, only whole, only before the state expires, and only for a signed-in caller', async () => {
    const who = user();
    const first = await start(who, 'x');
    const to = back(
      await handleOAuthCallback({ method: 'GET', query: { state: first.state, code: env.x.authorize({ id: 'x-tok' }, first.challenge) } }, env.deps()),
    );
    const token = to.searchParams.get('connect') ?? '';
    const forged = new URL(to);
    forged.searchParams.set('connect', `${token.split('.')[0] ?? ''}.${'A'.repeat(32)}`);
    expect(await refused(complete(who, forged))).toBe('not-found');
    expect(await refused(complete(null, to))).toBe('unauthenticated');
    const malformed = new URL(to);
    malformed.searchParams.set('connect', 'not-a-connect-token-at-all');
    expect(await refused(complete(who, malformed))).toBe('invalid-argument');
    await complete(who, to);
    expect(await refused(complete(who, to))).toBe('not-found');
    expect((await accountsOf(who.uid)).map((d) => d.data().platform_user_id)).toEqual(['x-tok']);

    const second = await start(who, 'linkedin');
    const late = back(
      await handleOAuthCallback({ method: 'GET', query: { state: second.state, code: env.linkedin.authorize({ id: 'li-late' }) } }, env.deps()),
    );
    expect(await refused(complete(who, late, env.deps({ now: () => new Date(Date.now() + 11 * 60_000) })))).toBe('not-found');
    expect(await accountsOf(who.uid)).toHaveLength(1);
  });
});
