/**
 * Scheduling and publishing against the emulator and stand-ins of LinkedIn and X: the owner's
 * schedule and cancel, the publisher's requests (bearer token decrypted only in the adapter, the
 * platforms' headers and bodies), exactly one publication under overlapping runs, reconciliation
 * after a crash once the platform accepted, a cancel racing the publisher, retries with backoff and
 * a dead token.
 */
import type { HttpsError } from 'firebase-functions/v2/https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelSocialPost as cancelContract, inbox, scheduleSocialPost as scheduleContract, socialAccounts, type SocialPlatform } from '@zhengrowth/model';
import { claimJob } from '../src/social/claim.js';
import { parseKeyring, type Keyring } from '../src/social/crypto.js';
import type { SocialDeps } from '../src/social/deps.js';
import { jobIdOf, jobRef } from '../src/social/jobs.js';
import { cancelSocialPost, scheduleSocialPost } from '../src/social/posts.js';
import { publishDueSocialPosts, publishJob } from '../src/social/publisher.js';
import { readTokens } from '../src/social/tokens.js';
import type { Auth } from './support/env.js';
import { refusalCode } from './support/matchers.js';
import { callSocial, connectedAccount, draftPost, readPost, socialEnv, user, type Connected, type SocialEnv } from './support/social-env.js';

let env: SocialEnv;
beforeAll(async () => {
  env = await socialEnv('social-pub');
});
afterAll(async () => {
  await env?.close();
});

const schedule = (who: Auth, postId: string, at = new Date(), deps: SocialDeps = env.deps()) =>
  callSocial(scheduleContract, scheduleSocialPost, deps, who, { post_id: postId, scheduled_for: at.toISOString() });
const cancel = (who: Auth, postId: string, deps: SocialDeps = env.deps()) => callSocial(cancelContract, cancelSocialPost, deps, who, { post_id: postId });
const minutes = (m: number) => () => new Date(Date.now() + m * 60_000);

async function scheduledPost(who: Auth, account: Connected, platform: SocialPlatform, content: string, at = new Date()): Promise<string> {
  const postId = await draftPost(env, who.uid, account, platform, content);
  await schedule(who, postId, at);
  return postId;
}

const publishedTexts = (platform: SocialPlatform, text: string) => env.standIn(platform).posts.filter((p) => p.text === text).length;

describe('scheduleSocialPost and cancelSocialPost', () => {
  it('schedules a draft, reschedules it, cancels it, and schedules it again', async () => {
    const who = user();
    const account = await connectedAccount(env, who.uid, 'x');
    const postId = await draftPost(env, who.uid, account, 'x', 'Hello from ZhenGrowth');
    const at = new Date(Date.now() + 3_600_000);
    const view = await schedule(who, postId, at);
    expect(view).toMatchObject({ id: postId, status: 'scheduled', scheduled_for: at.toISOString(), attempts: 0, published_at: null });
    expect((await jobRef(env.db, who.uid, postId).get()).data()).toMatchObject({ state: 'scheduled', account_id: account.accountId, platform: 'x' });
    expect((await jobRef(env.db, who.uid, postId).get()).data()?.due_at?.toMillis()).toBe(at.getTime());

    const later = new Date(Date.now() + 7_200_000);
    expect((await schedule(who, postId, later)).scheduled_for).toBe(later.toISOString());
    expect(await cancel(who, postId)).toMatchObject({ status: 'cancelled' });
    expect((await jobRef(env.db, who.uid, postId).get()).data()).toMatchObject({ state: 'done', due_at: null });
    expect(await schedule(who, postId, later)).toMatchObject({ status: 'scheduled' });
  });

  it("refuses a post too long for its platform, an account that needs reconnecting, a past time, and someone else's post", async () => {
    const who = user();
    const x = await connectedAccount(env, who.uid, 'x');
    const long = await draftPost(env, who.uid, x, 'x', '成'.repeat(141));
    expect(await refusalCode(schedule(who, long))).toBe('failed-precondition');
    const ok = await draftPost(env, who.uid, x, 'x', 'fine');
    expect(await refusalCode(schedule(who, ok, new Date(Date.now() - 3_600_000)))).toBe('invalid-argument');
    expect(await refusalCode(schedule(user(), ok))).toBe('not-found');
    await env.db.doc(socialAccounts.docPath({ uid: who.uid, accountId: x.accountId })).update({ status: 'needs_reconnect', active: false });
    expect(await refusalCode(schedule(who, ok))).toBe('failed-precondition');
    expect((await readPost(env, who.uid, ok))?.status).toBe('draft');
  });
});

describe('the publisher', () => {
  it('publishes due posts with the platform’s headers and body, and records the result; later posts wait', async () => {
    const who = user();
    const x = await connectedAccount(env, who.uid, 'x');
    const li = await connectedAccount(env, who.uid, 'linkedin');
    const xPost = await scheduledPost(who, x, 'x', 'Three steps to better habits https://zhengrowth.com/blog/habits');
    const liPost = await scheduledPost(who, li, 'linkedin', 'Habits (part 1): start small #growth');
    const future = await scheduledPost(who, x, 'x', 'Not yet', new Date(Date.now() + 3_600_000));

    await publishDueSocialPosts(env.deps());

    const xReq = env.x.calls('publish').find((r) => (r.json as { text: string }).text.startsWith('Three steps'))!;
    expect(xReq.headers.authorization).toBe(`Bearer ${x.access}`);
    expect(xReq.json).toEqual({ text: 'Three steps to better habits https://zhengrowth.com/blog/habits' });
    const liReq = env.linkedin.calls('publish').find((r) => (r.json as { commentary: string }).commentary.startsWith('Habits'))!;
    expect(liReq.headers).toMatchObject({ authorization: `Bearer ${li.access}`, 'linkedin-version': '202505', 'x-restli-protocol-version': '2.0.0' });
    expect(liReq.json).toEqual({
      author: `urn:li:person:${li.profileId}`,
      commentary: 'Habits \\(part 1\\): start small \\#growth',
      visibility: 'PUBLIC',
      distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
      lifecycleState: 'PUBLISHED',
      isReshareDisabledByAuthor: false,
    });

    const xDoc = await readPost(env, who.uid, xPost);
    expect(xDoc).toMatchObject({ status: 'published', error: null, platform_post_id: env.x.posts.find((p) => p.text.startsWith('Three steps'))?.id });
    expect(xDoc?.published_at).not.toBeNull();
    expect(xDoc?.metadata).toMatchObject({ url: `https://x.com/i/web/status/${xDoc?.platform_post_id}`, platform_response: { id: xDoc?.platform_post_id } });
    expect((await readPost(env, who.uid, liPost))?.platform_post_id).toMatch(/^urn:li:share:\d+$/);
    expect((await jobRef(env.db, who.uid, xPost).get()).data()).toMatchObject({ state: 'done', attempts: 1, due_at: null });
    expect((await readPost(env, who.uid, future))?.status).toBe('scheduled');
  });

  it('decrypts tokens only inside the platform adapters', async () => {
    const who = user();
    const x = await connectedAccount(env, who.uid, 'x');
    const postId = await scheduledPost(who, x, 'x', `adapter-only ${Date.now()}`);
    const ring = parseKeyring(env.keys);
    const stacks: string[] = [];
    const keys = new Proxy(ring.keys, {
      get(target, prop) {
        if (prop === 'get') {
          return (id: string) => {
            stacks.push(new Error('decrypt').stack ?? '');
            return target.get(id);
          };
        }
        const v: unknown = Reflect.get(target, prop, target);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const spied: Keyring = { currentId: ring.currentId, keys };
    await publishJob({ ...env.deps(), keyring: () => spied }, jobIdOf(who.uid, postId));
    expect((await readPost(env, who.uid, postId))?.status).toBe('published');
    expect(stacks.length).toBeGreaterThan(0);
    for (const s of stacks) expect(s).toMatch(/social[/\\]platforms[/\\]x\.ts/);
    // The stored tokens are still sealed, and a held token prints as nothing.
    const held = await readTokens(env.db, ring, x.accountId);
    expect(String(held?.access)).toBe('[sealed token]');
  });

  it('two overlapping runs publish each due post exactly once', async () => {
    const who = user();
    const x = await connectedAccount(env, who.uid, 'x');
    const li = await connectedAccount(env, who.uid, 'linkedin');
    const texts = [0, 1, 2].map((i) => `overlap ${i} ${Date.now()}`);
    const ids = [];
    for (const t of texts) ids.push(await scheduledPost(who, x, 'x', t), await scheduledPost(who, li, 'linkedin', `${t} (li)`));
    await Promise.all([publishDueSocialPosts(env.deps()), publishDueSocialPosts(env.deps()), publishDueSocialPosts(env.deps())]);
    for (const t of texts) {
      expect(publishedTexts('x', t)).toBe(1);
      expect(env.linkedin.posts.filter((p) => p.text === `${t} \\(li\\)`)).toHaveLength(1);
    }
    for (const id of ids) {
      expect((await readPost(env, who.uid, id))?.status).toBe('published');
      expect((await jobRef(env.db, who.uid, id).get()).data()?.attempts).toBe(1);
    }
  });

  it('a crash after X accepted: the next run finds the post in the timeline and records it, without posting again', async () => {
    const who = user();
    const x = await connectedAccount(env, who.uid, 'x');
    const text = `crash after accept ${Date.now()} https://zhengrowth.com/blog/a`;
    const postId = await scheduledPost(who, x, 'x', text);
    const deps = env.deps();
    const claim = await claimJob(deps, jobIdOf(who.uid, postId));
    expect(claim?.mode).toBe('publish');
    const tokens = await readTokens(env.db, deps.keyring(), x.accountId);
    const accepted = await deps.platforms('x').publish({ accessToken: tokens!.access!, author: x.profileId, content: text });
    // …and the run dies here: nothing recorded. Within the lease nobody touches it.
    expect(await publishJob(env.deps(), jobIdOf(who.uid, postId))).toBe('skipped');
    expect((await readPost(env, who.uid, postId))?.status).toBe('publishing');

    await publishDueSocialPosts(env.deps({ now: minutes(6) }));
    expect(await readPost(env, who.uid, postId)).toMatchObject({ status: 'published', platform_post_id: accepted.platformPostId });
    expect(publishedTexts('x', text)).toBe(1);
    expect(env.x.calls('lookup').at(-1)?.headers.authorization).toBe(`Bearer ${x.access}`);
  });

  it('a crash before X was called: the lookup finds nothing and the post is published once', async () => {
    const who = user();
    const x = await connectedAccount(env, who.uid, 'x');
    const text = `crash before the call ${Date.now()}`;
    const postId = await scheduledPost(who, x, 'x', text);
    await claimJob(env.deps(), jobIdOf(who.uid, postId));
    await publishDueSocialPosts(env.deps({ now: minutes(6) }));
    expect((await readPost(env, who.uid, postId))?.status).toBe('published');
    expect(publishedTexts('x', text)).toBe(1);
    expect((await jobRef(env.db, who.uid, postId).get()).data()?.attempts).toBe(2);
  });

  it('a crash after LinkedIn accepted: LinkedIn cannot be asked, so the post fails "outcome unknown" and is never sent twice', async () => {
    const who = user();
    const li = await connectedAccount(env, who.uid, 'linkedin');
    const text = `li crash ${Date.now()}`;
    const postId = await scheduledPost(who, li, 'linkedin', text);
    const deps = env.deps();
    await claimJob(deps, jobIdOf(who.uid, postId));
    const tokens = await readTokens(env.db, deps.keyring(), li.accountId);
    await deps.platforms('linkedin').publish({ accessToken: tokens!.access!, author: li.profileId, content: text });
    const sent = env.linkedin.calls('publish').length;
    await publishDueSocialPosts(env.deps({ now: minutes(6) }));
    expect(await readPost(env, who.uid, postId)).toMatchObject({ status: 'failed', error: expect.stringMatching(/^outcome unknown: LinkedIn/) as unknown });
    expect(env.linkedin.calls('publish').length).toBe(sent);
  });

  it('a cancel racing the publisher: either cancelled and never sent, or published and the cancel refused', async () => {
    const who = user();
    const x = await connectedAccount(env, who.uid, 'x');
    const outcomes = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const text = `race ${i} ${Date.now()}`;
      const postId = await scheduledPost(who, x, 'x', text);
      const [c] = await Promise.allSettled([cancel(who, postId), publishJob(env.deps(), jobIdOf(who.uid, postId))]);
      const post = await readPost(env, who.uid, postId);
      if (c.status === 'fulfilled') {
        expect(post?.status).toBe('cancelled');
        expect(publishedTexts('x', text)).toBe(0);
      } else if ((c.reason as HttpsError).code === 'aborted') {
        // The cancel lost its transaction to the publisher's (try again): it changed nothing.
        expect(post?.status).not.toBe('cancelled');
        expect(publishedTexts('x', text)).toBe(post?.status === 'published' ? 1 : 0);
      } else {
        expect((c.reason as HttpsError).code).toBe('failed-precondition');
        expect(post?.status).toBe('published');
        expect(publishedTexts('x', text)).toBe(1);
      }
      outcomes.add(post?.status ?? 'missing');
      // Whatever happened, a later run changes nothing (but publish a post both left scheduled).
      await publishDueSocialPosts(env.deps({ now: minutes(10) }));
      const after = (await readPost(env, who.uid, postId))?.status;
      expect(after).toBe(post?.status === 'scheduled' ? 'published' : post?.status);
      expect(publishedTexts('x', text)).toBe(after === 'published' ? 1 : 0);
    }
    expect([...outcomes].every((s) => s === 'cancelled' || s === 'published' || s === 'scheduled')).toBe(true);
  });

  it('429 and 503 are retried with backoff (or Retry-After), then the post fails; a 500 is reconciled before any retry', async () => {
    const who = user();
    const x = await connectedAccount(env, who.uid, 'x');
    const text = `retry ${Date.now()}`;
    const postId = await scheduledPost(who, x, 'x', text);
    env.x.failNext('publish', { status: 429, body: { title: 'Too Many Requests' }, headers: { 'retry-after': '120' } });
    const t0 = Date.now();
    await publishJob(env.deps({ now: () => new Date(t0) }), jobIdOf(who.uid, postId));
    const job = (await jobRef(env.db, who.uid, postId).get()).data();
    expect(job).toMatchObject({ state: 'scheduled', attempts: 1, last_error: 'http_429' });
    expect(job?.due_at?.toMillis()).toBe(t0 + 120_000);
    expect(await readPost(env, who.uid, postId)).toMatchObject({ status: 'scheduled', error: 'attempt 1 failed (http_429); retrying' });

    env.x.failNext('publish', { status: 503 }, { status: 503 });
    await publishJob(env.deps({ now: minutes(3) }), jobIdOf(who.uid, postId));
    expect((await jobRef(env.db, who.uid, postId).get()).data()).toMatchObject({ state: 'scheduled', attempts: 2 });
    await publishJob(env.deps({ now: minutes(10) }), jobIdOf(who.uid, postId));
    expect(await readPost(env, who.uid, postId)).toMatchObject({ status: 'failed', error: 'gave up after 3 attempts (http_503)' });
    expect(publishedTexts('x', text)).toBe(0);

    const doubtful = await scheduledPost(who, x, 'x', `doubt ${Date.now()}`);
    env.x.failNext('publish', { status: 500 });
    await publishJob(env.deps(), jobIdOf(who.uid, doubtful));
    expect(await readPost(env, who.uid, doubtful)).toMatchObject({
      status: 'publishing',
      error: expect.stringContaining('outcome unknown (http_500)') as unknown,
    });
    const lookups = env.x.calls('lookup').length;
    await publishDueSocialPosts(env.deps({ now: minutes(2) }));
    expect(env.x.calls('lookup').length).toBe(lookups + 1);
    expect((await readPost(env, who.uid, doubtful))?.status).toBe('published');
  });

  it('a token the platform rejects (401): the account needs reconnecting, its owner is told, the post fails', async () => {
    const who = user();
    const x = await connectedAccount(env, who.uid, 'x');
    const postId = await scheduledPost(who, x, 'x', `revoked ${Date.now()}`);
    env.x.revoke(x.access);
    await publishDueSocialPosts(env.deps());
    expect(await readPost(env, who.uid, postId)).toMatchObject({ status: 'failed', error: 'the account needs reconnecting' });
    const account = (
      await env.db
        .doc(socialAccounts.docPath({ uid: who.uid, accountId: x.accountId }))
        .withConverter(socialAccounts.converter)
        .get()
    ).data();
    expect(account).toMatchObject({ status: 'needs_reconnect', active: false });
    const notices = await env.db
      .collection(inbox.collectionPath({ uid: who.uid }))
      .withConverter(inbox.converter)
      .get();
    expect(notices.docs.map((d) => d.data())).toEqual([expect.objectContaining({ type: 'social_reconnect', read: false })]);
    // Another post on the dead account fails at once, without a request.
    const next = await draftPost(env, who.uid, x, 'x', 'after revoke');
    expect(await refusalCode(schedule(who, next))).toBe('failed-precondition');
  });
});
