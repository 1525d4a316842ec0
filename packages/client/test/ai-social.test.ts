/**
 * The AI and social callables through the typed client and the real web SDK, against the functions
 * emulator. The test setup points the emulated functions' GEMINI_API_BASE at the run's stand-in
 * proxy, which this file routes to its Gemini stand-in, so the model's answers are the stand-in's;
 * LinkedIn and X are not called from here (their flows are tested against stand-ins at handler level).
 */
import { Timestamp } from 'firebase-admin/firestore';
import { doc, setDoc, Timestamp as WebTimestamp, updateDoc } from 'firebase/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blogPosts, blogTemplates, sessions, socialAccounts, socialAnalytics, users, type AppRole } from '@zhengrowth/model';
import { deleteSocialPost, listMySocialAccounts, listMySocialPosts, saveSocialDraft, updateSocialDraft } from '@zhengrowth/client';
import { emulatorHosts, put, routeStandIn, unrouteStandIn, type TestFirebase } from '@zhengrowth/devstack/testing';
import { geminiStandIn, type GeminiStandIn } from '../../../functions/test/support/gemini-standin.js';
import { adminOfWebProject, refusal, signUp, webSessions } from './support/web.js';

let admin: TestFirebase;
let gemini: GeminiStandIn;
const web = webSessions();
const session = web.open;

beforeAll(async () => {
  admin = adminOfWebProject();
  gemini = await geminiStandIn();
  await routeStandIn('gemini', gemini.origin);
  // The first request starts a worker; on a loaded machine that can outlast the function's timeout: warm once more then.
  await session()
    .api.health({})
    .catch(() => session().api.health({}));
}, 180_000);
afterAll(async () => {
  await unrouteStandIn('gemini').catch(() => undefined);
  await web.closeAll();
  await gemini?.close();
  await admin?.close();
});

async function member(roles: AppRole[], lang = 'en') {
  const s = session();
  const user = await signUp(s, admin, { roles });
  // signUp made the profile (ensureProfile); the language is the one the AI answers in.
  await admin.db.doc(users.docPath({ uid: user.uid })).update({ lang });
  return { s, uid: user.uid };
}

const stamp = () => Date.now().toString(36);

/** Each callable's first call starts a worker in the functions emulator: tests that use several need room for those. */
const SEVERAL_CALLABLES = { timeout: 240_000 };

describe('AI through the typed client', SEVERAL_CALLABLES, () => {
  it('getSuggestions: an answer from the model in the profile language, then the same from the cache; bad input refused', async () => {
    const { s } = await member(['client'], 'zh-CN');
    const items = [{ title: '每天散步', detail: '晚饭后散步二十分钟。' }];
    gemini.queue.push({ answer: { items } });
    const first = await s.api.getSuggestions({ kind: 'goals' });
    expect(first).toMatchObject({ kind: 'goals', lang: 'zh-CN', items, source: 'model', stale: false });
    const sent = gemini.calls().at(-1)!;
    expect(sent.model).toBe('gemini-2.5-flash');
    expect(sent.apiKey).toBeTruthy();
    expect(sent.instructions).toContain('Simplified Chinese');
    expect(await s.api.getSuggestions({ kind: 'goals' })).toMatchObject({ source: 'cache', items });
    expect((await refusal(s.api.getSuggestions({ kind: 'horoscope' } as never))).code).toBe('invalid-argument');
  });

  it("getSuggestions: the model failing with nothing cached is 'unavailable'", async () => {
    const { s } = await member(['client']);
    gemini.queue.push({ status: 500 });
    const err = await refusal(s.api.getSuggestions({ kind: 'reflection' }));
    expect(err.code).toBe('unavailable');
  });

  it('getClientBrief: a session the coach opened for a member makes no client; once an admin assigns the client, the coach is briefed', async () => {
    const coach = await member(['coach']);
    const other = await member(['coach']);
    const client = await member(['client']);
    const boss = await member(['admin']);
    // The rules let a coach open a session for anyone (coach_id = self), through the web SDK as the web app would.
    await setDoc(doc(coach.s.db, sessions.docPath({ uid: client.uid, sessionId: `opened-${stamp()}` })), {
      user_id: client.uid,
      coach_id: coach.uid,
      booking_id: null,
      session_date: WebTimestamp.now(),
      notes: 'first session',
      action_items: [{ task: 'journal', done: false, due: null }],
      status: 'completed',
      created_at: WebTimestamp.now(),
      updated_at: null,
    });
    const calls = gemini.calls().length;
    expect((await refusal(coach.s.api.getClientBrief({ client_uid: client.uid }))).code).toBe('permission-denied');
    expect(gemini.calls().length).toBe(calls);

    await boss.s.api.assignCoach({ client_uid: client.uid, coach_uid: coach.uid });
    const brief = { summary: 'Journaling started.', focus: ['Consistency'], questions: ['How often did you journal?'] };
    gemini.queue.push({ answer: brief });
    expect(await coach.s.api.getClientBrief({ client_uid: client.uid })).toMatchObject({ client_uid: client.uid, brief, source: 'model' });
    expect((await refusal(other.s.api.getClientBrief({ client_uid: client.uid }))).code).toBe('permission-denied');
    expect((await refusal(client.s.api.getClientBrief({ client_uid: client.uid }))).code).toBe('permission-denied');
  });

  it('generateSocialDrafts: drafts the owner edits through the rules, schedules and cancels through the callables; never published here', async () => {
    const { s, uid } = await member(['admin']);
    const accountId = `x-${stamp()}`;
    await put(admin.db.doc(socialAccounts.docPath({ uid, accountId })).withConverter(socialAccounts.converter), {
      user_id: uid,
      platform: 'x',
      platform_user_id: '42',
      username: 'zhengrowth',
      token_expires_at: null,
      active: true,
      metadata: null,
      created_at: Timestamp.now(),
      updated_at: null,
      status: 'connected',
    });
    const slug = `habits-${stamp()}`;
    await put(admin.db.doc(blogPosts.docPath({ slug })).withConverter(blogPosts.converter), {
      id: slug,
      title: 'Three steps to better habits',
      excerpt: null,
      body_md: 'Start small.',
      cover_image: null,
      author_id: null,
      published: true,
      published_at: Timestamp.now(),
      lang: 'en',
      tags: null,
      meta_title: null,
      meta_description: null,
      view_count: 0,
      created_at: Timestamp.now(),
      updated_at: null,
    });
    await put(admin.db.collection(blogTemplates.collectionPath({})).withConverter(blogTemplates.converter).doc(), {
      platform: 'x',
      locale: 'en',
      name: 'x-en',
      template: '{{title}} {{url}}',
      variables: null,
      active: true,
      created_at: Timestamp.now(),
    });
    gemini.queue.push({ answer: { content: 'Three steps to better habits: start small. https://zhengrowth.com/blog/habits' } });
    const res = await s.api.generateSocialDrafts({ slug, platforms: ['x'] });
    const postId = res.drafts[0]?.post_id ?? '';
    expect(res.drafts).toEqual([expect.objectContaining({ platform: 'x', account_id: accountId, locale: 'en' })]);

    const mine = await listMySocialPosts(s.db, uid);
    expect(mine.docs.find((d) => d.id === postId)?.data).toMatchObject({ status: 'draft', published_at: null });
    expect((await listMySocialAccounts(s.db, uid)).docs.map((d) => d.id)).toEqual([accountId]);
    await updateSocialDraft(s.db, uid, postId, { content: 'Edited: three steps to better habits.' });
    // The rules refuse what only the publisher records.
    await expect(updateDoc(doc(s.db, `users/${uid}/social_posts/${postId}`), { status: 'published', platform_post_id: '1' })).rejects.toMatchObject({
      code: 'permission-denied',
    });

    const at = new Date(Date.now() + 3_600_000).toISOString();
    expect(await s.api.scheduleSocialPost({ post_id: postId, scheduled_for: at })).toMatchObject({
      status: 'scheduled',
      scheduled_for: at,
      content: 'Edited: three steps to better habits.',
    });
    await expect(updateSocialDraft(s.db, uid, postId, { content: 'sneaky edit' })).rejects.toMatchObject({ code: 'permission-denied' });
    await expect(deleteSocialPost(s.db, uid, postId)).rejects.toMatchObject({ code: 'permission-denied' });
    expect(await s.api.cancelSocialPost({ post_id: postId })).toMatchObject({ status: 'cancelled' });
    await deleteSocialPost(s.db, uid, postId);
    // The owner's own drafts go through the same rules.
    const own = await saveSocialDraft(s.db, uid, { account_id: accountId, platform: 'x', content: 'My own idea' });
    expect((await listMySocialPosts(s.db, uid)).docs.map((d) => [d.id, d.data.status])).toEqual([[own, 'draft']]);
    await deleteSocialPost(s.db, uid, own);

    const coach = await member(['coach']);
    expect((await refusal(coach.s.api.generateSocialDrafts({ slug, platforms: ['x'] }))).code).toBe('permission-denied');
  });
});

describe('social through the typed client', SEVERAL_CALLABLES, () => {
  it("startSocialConnect gives the platform's page with a state; socialOAuthCallback refuses a forged state over HTTPS", async () => {
    const { s } = await member(['client']);
    const { authorize_url } = await s.api.startSocialConnect({ platform: 'linkedin' });
    const url = new URL(authorize_url);
    expect(url.origin + url.pathname).toBe('https://www.linkedin.com/oauth/v2/authorization');
    expect(url.searchParams.get('redirect_uri')).toMatch(/\/socialOAuthCallback$/);
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);

    const hosts = emulatorHosts();
    const callback = `${hosts.functions ?? ''}/${hosts.projectId}/us-central1/socialOAuthCallback`;
    const forged = await fetch(`${callback}?state=${encodeURIComponent('eyJmb3JnZWQiOnRydWV9.k1.c2lnbmF0dXJl')}&code=abc`, { redirect: 'manual' });
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('not valid');
  });

  it("getSocialAnalytics gives the owner their snapshots only; disconnecting someone else's account is not found", async () => {
    const owner = await member(['client']);
    const other = await member(['client']);
    const day = new Date().toISOString().slice(0, 10);
    for (const [who, postId, likes] of [
      [owner.uid, `p-${stamp()}`, 5],
      [other.uid, `q-${stamp()}`, 9],
    ] as const) {
      await put(admin.db.doc(socialAnalytics.docPath({ analyticsId: `${postId}_${day}` })).withConverter(socialAnalytics.converter), {
        post_id: postId,
        impressions: 100,
        likes,
        comments: 1,
        shares: 0,
        clicks: null,
        engagement_rate: '6.0000',
        fetched_at: Timestamp.now(),
        user_id: who,
        account_id: 'a',
        platform: 'x',
        day,
      });
    }
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const mine = await owner.s.api.getSocialAnalytics({ from, to });
    expect(mine.posts).toHaveLength(1);
    expect(mine.totals).toMatchObject({ impressions: 100, likes: 5, clicks: null });
    expect((await refusal(owner.s.api.disconnectSocialAccount({ account_id: 'not-mine' }))).code).toBe('not-found');
    expect((await refusal(owner.s.api.getSocialAnalytics({ from: to, to: from }))).code).toBe('invalid-argument');
  });
});
