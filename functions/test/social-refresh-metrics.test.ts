/**
 * Keeping accounts connected and measuring: the token refresh (before expiry, resealed with the
 * current key after a rotation, X's rotating refresh tokens, needs_reconnect when refresh fails for
 * good, retries for temporary failures), disconnecting, the daily metrics job (idempotent per post
 * and day) and getSocialAnalytics for the owner.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  disconnectSocialAccount as disconnectContract,
  getSocialAnalytics as analyticsContract,
  inbox,
  socialAccounts,
  socialAnalytics,
  socialPosts,
  type SocialPlatform,
} from '@zhengrowth/model';
import { disconnectSocialAccount } from '../src/social/accounts.js';
import { getSocialAnalytics } from '../src/social/analytics.js';
import { keyIdOf, open, parseKeyring } from '../src/social/crypto.js';
import { fetchSocialMetrics } from '../src/social/metrics.js';
import { refreshSocialTokens } from '../src/social/refresh.js';
import { tokenAad } from '../src/social/sealed.js';
import { tokenRef } from '../src/social/tokens.js';
import { put } from '@zhengrowth/devstack/testing';
import { runCallable } from '../src/core/callable.js';
import { asAuthData, uniq, type Auth } from './support/env.js';
import { callSocial, connectedAccount, draftPost, newKey, readPost, socialEnv, user, type Connected, type SocialEnv } from './support/social-env.js';

let env: SocialEnv;
beforeAll(async () => {
  env = await socialEnv('social-keep');
});
afterAll(async () => {
  await env?.close();
});

const hours = (h: number) => () => new Date(Date.now() + h * 3_600_000);

async function account(uid: string, accountId: string) {
  return (await env.db.doc(socialAccounts.docPath({ uid, accountId })).withConverter(socialAccounts.converter).get()).data();
}

describe('refreshSocialTokens', () => {
  it('renews tokens due within the margin, reseals them with the current key after a rotation, and leaves others alone', async () => {
    const who = user();
    const old = env.keys;
    const x = await connectedAccount(env, who.uid, 'x', { expiresInSeconds: 20 * 60 }); // due: within 30 minutes
    const fresh = await connectedAccount(env, who.uid, 'x', { expiresInSeconds: 6 * 3600 });
    const rotated = `${newKey('k2')},${old}`;
    // The other tests run with k1 alone: this one's accounts are its own user's, removed at its end.

    const report = await refreshSocialTokens(env.deps({ keys: rotated }));
    expect(report.refreshed).toBeGreaterThanOrEqual(1);
    const refreshCall = env.x.calls('refresh').find((r) => r.form.refresh_token === x.refresh)!;
    expect(refreshCall.form).toMatchObject({ grant_type: 'refresh_token', client_id: 'x-client-id' });
    expect(refreshCall.headers.authorization).toMatch(/^Basic /);

    const tokens = (await tokenRef(env.db, x.accountId).get()).data()!;
    expect(tokens).toMatchObject({ key_id: 'k2', refresh_failures: 0, refresh_lease_until: null });
    expect(keyIdOf(tokens.access_token ?? '')).toBe('k2');
    const ring = parseKeyring(rotated);
    const newAccess = open(ring, tokens.access_token ?? '', tokenAad(x.accountId, 'access_token'));
    expect(newAccess).not.toBe(x.access);
    // X rotates refresh tokens: the new one is stored, the old one no longer works.
    expect(open(ring, tokens.refresh_token ?? '', tokenAad(x.accountId, 'refresh_token'))).not.toBe(x.refresh);
    expect((await account(who.uid, x.accountId))?.token_expires_at?.toMillis()).toBe(tokens.token_expires_at?.toMillis());
    // Not due yet: untouched, still under the old key (which still opens it).
    expect(env.x.calls('refresh').some((r) => r.form.refresh_token === fresh.refresh)).toBe(false);
    expect((await tokenRef(env.db, fresh.accountId).get()).data()?.key_id).toBe('k1');
    for (const a of [x, fresh]) await tokenRef(env.db, a.accountId).delete();
  });

  it('a refused refresh (invalid_grant) marks the account needs_reconnect, tells its owner once, and stops trying', async () => {
    const who = user();
    const li = await connectedAccount(env, who.uid, 'linkedin', { expiresInSeconds: 60 });
    env.linkedin.revoke(li.refresh ?? '');
    await refreshSocialTokens(env.deps());
    expect(await account(who.uid, li.accountId)).toMatchObject({ status: 'needs_reconnect', active: false });
    expect((await tokenRef(env.db, li.accountId).get()).data()).toMatchObject({ refresh_due_at: null });
    const calls = env.linkedin.calls('refresh').length;
    await refreshSocialTokens(env.deps({ now: hours(1) }));
    expect(env.linkedin.calls('refresh').length).toBe(calls);
    const notices = await env.db
      .collection(inbox.collectionPath({ uid: who.uid }))
      .withConverter(inbox.converter)
      .get();
    expect(notices.docs.map((d) => d.data())).toEqual([expect.objectContaining({ type: 'social_reconnect', action_url: '/settings/social' })]);
  });

  it('an expiring token without a refresh token needs reconnecting (LinkedIn without refresh tokens)', async () => {
    const who = user();
    const li = await connectedAccount(env, who.uid, 'linkedin', { expiresInSeconds: 3600, refresh: false });
    await refreshSocialTokens(env.deps());
    expect((await account(who.uid, li.accountId))?.status).toBe('connected'); // due at expiry, not before
    await refreshSocialTokens(env.deps({ now: hours(2) }));
    expect((await account(who.uid, li.accountId))?.status).toBe('needs_reconnect');
  });

  it('temporary failures are retried with backoff; after five in a row on an expired token, the account needs reconnecting', async () => {
    const who = user();
    const x = await connectedAccount(env, who.uid, 'x', { expiresInSeconds: 10 * 60 });
    env.x.failFor(x.refresh ?? '', { status: 503 });
    const t0 = Date.now();
    await refreshSocialTokens(env.deps({ now: () => new Date(t0) }));
    const after = (await tokenRef(env.db, x.accountId).get()).data()!;
    expect(after.refresh_failures).toBe(1);
    expect(after.refresh_due_at?.toMillis()).toBe(t0 + 5 * 60_000);
    expect((await account(who.uid, x.accountId))?.status).toBe('connected');
    env.x.failFor(x.refresh ?? '', { status: 500 });
    for (let i = 1; i <= 3; i++) await refreshSocialTokens(env.deps({ now: hours(i * 2) }));
    expect((await tokenRef(env.db, x.accountId).get()).data()?.refresh_failures).toBe(4);
    expect((await account(who.uid, x.accountId))?.status).toBe('connected');
    await refreshSocialTokens(env.deps({ now: hours(8) }));
    expect((await account(who.uid, x.accountId))?.status).toBe('needs_reconnect');
    env.x.failFor(x.refresh ?? '', null);
  });

  it('two overlapping runs refresh an account once (the refresh token is single-use on X)', async () => {
    const who = user();
    const x = await connectedAccount(env, who.uid, 'x', { expiresInSeconds: 60 });
    await Promise.all([refreshSocialTokens(env.deps()), refreshSocialTokens(env.deps())]);
    expect(env.x.calls('refresh').filter((r) => r.form.refresh_token === x.refresh)).toHaveLength(1);
    expect((await account(who.uid, x.accountId))?.status).toBe('connected');
  });
});

describe('disconnectSocialAccount', () => {
  it("removes the account and its tokens and cancels its scheduled posts; someone else's account is not found", async () => {
    const who = user();
    const x = await connectedAccount(env, who.uid, 'x');
    const postId = await draftPost(env, who.uid, x, 'x', 'scheduled then disconnected');
    await env.db.doc(socialPosts.docPath({ uid: who.uid, postId })).update({ status: 'scheduled' });
    const res = await callSocial(disconnectContract, disconnectSocialAccount, env.deps(), who, { account_id: x.accountId });
    expect(res).toEqual({ account_id: x.accountId, cancelled_posts: 1 });
    expect(await account(who.uid, x.accountId)).toBeUndefined();
    expect((await tokenRef(env.db, x.accountId).get()).exists).toBe(false);
    expect((await readPost(env, who.uid, postId))?.status).toBe('cancelled');
    const err = await callSocial(disconnectContract, disconnectSocialAccount, env.deps(), user(), { account_id: x.accountId }).catch((e: unknown) => e);
    expect((err as { code: string }).code).toBe('not-found');
  });
});

async function publishedPost(who: Auth, acct: Connected, platform: SocialPlatform, daysAgo: number): Promise<string> {
  const postId = uniq('pub-');
  const text = `measured ${postId}`;
  // The platform holds the post (so it has metrics): published through the stand-in's own API.
  const res = await fetch(`${env.standIn(platform).origin}${platform === 'x' ? '/2/tweets' : '/rest/posts'}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${acct.access}`, 'content-type': 'application/json', 'linkedin-version': '202505' },
    body: JSON.stringify(platform === 'x' ? { text } : { commentary: text }),
  });
  const id = platform === 'x' ? ((await res.json()) as { data: { id: string } }).data.id : (res.headers.get('x-restli-id') ?? '');
  await put(env.db.doc(socialPosts.docPath({ uid: who.uid, postId })).withConverter(socialPosts.converter), {
    user_id: who.uid,
    account_id: acct.accountId,
    platform,
    content: text,
    media_urls: [],
    status: 'published',
    scheduled_for: null,
    published_at: Timestamp.fromMillis(Date.now() - daysAgo * 86_400_000),
    platform_post_id: id,
    error: null,
    metadata: null,
    created_at: Timestamp.now(),
    updated_at: null,
  });
  return postId;
}

describe('metrics', () => {
  it('fetches the last 30 days once per post and day (a rerun rewrites, never adds), and the owner reads theirs', async () => {
    const who = user();
    const other = user();
    const x = await connectedAccount(env, who.uid, 'x');
    const li = await connectedAccount(env, who.uid, 'linkedin');
    const xPost = await publishedPost(who, x, 'x', 2);
    const liPost = await publishedPost(who, li, 'linkedin', 10);
    const old = await publishedPost(who, x, 'x', 45);
    const othersPost = await publishedPost(other, await connectedAccount(env, other.uid, 'x'), 'x', 1);

    await fetchSocialMetrics(env.deps());
    await fetchSocialMetrics(env.deps());
    const day = new Date().toISOString().slice(0, 10);
    const snaps = await env.db.collection(socialAnalytics.collectionPath({})).withConverter(socialAnalytics.converter).where('user_id', '==', who.uid).get();
    expect(snaps.docs.map((d) => d.id).sort()).toEqual([`${liPost}_${day}`, `${xPost}_${day}`].sort());
    const xSnap = snaps.docs.find((d) => d.id.startsWith(xPost))!.data();
    expect(xSnap).toMatchObject({ post_id: xPost, platform: 'x', account_id: x.accountId, day });
    expect(xSnap.impressions).toBeGreaterThan(0);
    const engaged = (xSnap.likes ?? 0) + (xSnap.comments ?? 0) + (xSnap.shares ?? 0);
    expect(xSnap.engagement_rate).toBe(((engaged * 100) / (xSnap.impressions ?? 1)).toFixed(4));
    const liSnap = snaps.docs.find((d) => d.id.startsWith(liPost))!.data();
    expect(liSnap).toMatchObject({ impressions: null, engagement_rate: null });
    expect(liSnap.likes).toBeGreaterThan(0);
    const xDoc = await readPost(env, who.uid, xPost);
    const metricsCall = env.x.calls('metrics').find((r) => r.path === `/2/tweets/${xDoc?.platform_post_id}`);
    expect(metricsCall?.headers.authorization).toBe(`Bearer ${x.access}`);
    expect(metricsCall?.query.get('tweet.fields')).toBe('public_metrics');
    expect(snaps.docs.some((d) => d.id.startsWith(old))).toBe(false);

    // The next day adds a snapshot per post.
    await fetchSocialMetrics(env.deps({ now: hours(24) }));
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const mine = await runCallable(analyticsContract, getSocialAnalytics, { data: { from, to }, auth: asAuthData(who) }, env.deps());
    expect(mine.posts.map((p) => p.post_id).sort()).toEqual([liPost, xPost].sort());
    const xView = mine.posts.find((p) => p.post_id === xPost)!;
    expect(xView.daily).toHaveLength(2);
    expect(xView.latest).toEqual(xView.daily[1]);
    expect(mine.totals.impressions).toBe(xView.latest.impressions);
    expect(mine.totals.likes).toBe((xView.latest.likes ?? 0) + (mine.posts.find((p) => p.post_id === liPost)!.latest.likes ?? 0));
    expect(JSON.stringify(mine)).not.toContain(othersPost);

    const bad = await runCallable(analyticsContract, getSocialAnalytics, { data: { from: to, to: from }, auth: asAuthData(who) }, env.deps()).catch(
      (e: unknown) => e,
    );
    expect((bad as { code: string }).code).toBe('invalid-argument');
  });
});
