/**
 * The direct Firestore paths through the web SDK under the real rules: the helpers write exactly
 * the documents the rules accept and query with the filters they require; the same guess made
 * without them is refused. Lists survive a bad document.
 */
import { addDoc, collection, doc, getDocs, query, serverTimestamp, updateDoc } from 'firebase/firestore';
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityPosts, inbox, leads, users } from '@zhengrowth/model';
import {
  addGoal,
  getMyProfile,
  listFeed,
  updatePost,
  listGoals,
  listInbox,
  listMyPosts,
  markInboxItemRead,
  saveBlogPost,
  saveLessonPosition,
  getLessonProgress,
  updateGoal,
  updateMyProfile,
} from '@zhengrowth/client';
import { put, type TestFirebase } from '@zhengrowth/devstack/testing';
import { adminOfWebProject, refusal, signUp, uniqueEmail, webSessions } from './support/web.js';

let admin: TestFirebase;
const web = webSessions();
const session = web.open;
beforeAll(() => {
  admin = adminOfWebProject();
});
afterAll(async () => {
  await web.closeAll();
  await admin?.close();
});

async function seedProfile(uid: string, email: string): Promise<void> {
  await put(admin.db.doc(users.docPath({ uid })).withConverter(users.converter), {
    profile_id: null,
    email,
    name: null,
    avatar_url: null,
    lang: 'en',
    timezone: null,
    created_at: Timestamp.now(),
    updated_at: null,
    metadata: null,
    roles: ['client'],
    role_grants: {},
  });
}

const denied = async (p: Promise<unknown>): Promise<void> => {
  await expect(p).rejects.toMatchObject({ code: 'permission-denied' });
};

describe('profile and goals', () => {
  it('updates own profile fields (language and time zone checked) and keeps goals', async () => {
    const s = session();
    const user = await signUp(s, admin, { roles: ['client'] });
    await seedProfile(user.uid, user.email ?? '');
    await updateMyProfile(s.db, user.uid, { name: 'Lin', lang: 'zh-TW', timezone: 'Asia/Taipei' });
    expect(await getMyProfile(s.db, user.uid)).toMatchObject({ name: 'Lin', lang: 'zh-TW', timezone: 'Asia/Taipei', roles: ['client'] });
    await expect(updateMyProfile(s.db, user.uid, { timezone: 'Mars/Olympus' })).rejects.toThrow(/IANA time zone/);
    await expect(updateMyProfile(s.db, user.uid, { lang: 'fr' as never })).rejects.toThrow();

    const goalId = await addGoal(s.db, user.uid, { title: 'Run 10 km', target_date: '2027-06-01' });
    await updateGoal(s.db, user.uid, goalId, { progress_percent: 40 });
    const list = await listGoals(s.db, user.uid);
    expect(list.invalid).toEqual([]);
    expect(list.docs.map((d) => d.data)).toEqual([expect.objectContaining({ title: 'Run 10 km', progress_percent: 40, user_id: user.uid })]);
    // The raw guess: a goal for someone else is refused.
    const other = session();
    const stranger = await signUp(other, admin, { roles: ['client'] });
    await expect(addGoal(other.db, user.uid, { title: 'not mine' })).rejects.toMatchObject({ code: 'permission-denied' });
    expect(stranger.uid).not.toBe(user.uid);
  });
});

describe('community', () => {
  it('a post by its author (through createPost) lands in the feed; the feed without its filter is refused', async () => {
    const s = session();
    const user = await signUp(s, admin, { roles: ['client'] });
    const { post_id: postId } = await s.api.createPost({ title: 'Hello', content: 'First week went well', tags: ['intro'] });
    const feed = await listFeed(s.db, 50);
    expect(feed.docs.find((d) => d.id === postId)?.data).toMatchObject({ author_id: user.uid, likes_count: 0, pinned: false });
    expect((await listMyPosts(s.db, user.uid)).docs.map((d) => d.id)).toContain(postId);
    await denied(getDocs(query(collection(s.db, 'community_posts'))));
  });

  it('one bad document in the feed does not stop the others from being read', async () => {
    const s = session();
    const user = await signUp(s, admin, { roles: ['client'] });
    const { post_id: good } = await s.api.createPost({ title: 'Fine', content: 'ok' });
    // Placed with the Admin SDK (rules off): a post the model cannot read.
    const bad = admin.db.collection(communityPosts.collectionPath({})).doc();
    await bad.set({
      author_id: user.uid,
      title: 'Broken',
      content: 'x',
      tags: [42],
      likes_count: 0,
      comments_count: 0,
      published: true,
      pinned: false,
      metadata: null,
      created_at: Timestamp.now(),
      updated_at: null,
    });
    const feed = await listFeed(s.db, 50);
    expect(feed.docs.map((d) => d.id)).toContain(good);
    // The project is shared by the web tests (and kept by a reused stack): only this test's bad post is asserted.
    expect(feed.invalid.filter((d) => d.id === bad.id || d.id === good)).toEqual([
      expect.objectContaining({ id: bad.id, error: expect.stringMatching(/^tags\.0/) as unknown }),
    ]);
    await bad.delete();
  });
});

describe('inbox, lessons, leads, admin content', () => {
  it('marks an inbox item read, and nothing else of it can change', async () => {
    const s = session();
    const user = await signUp(s, admin, { roles: ['client'] });
    const ref = admin.db.collection(inbox.collectionPath({ uid: user.uid })).doc();
    await put(ref.withConverter(inbox.converter), {
      user_id: user.uid,
      type: 'notice',
      title: 'Welcome',
      message: 'Hi',
      action_url: null,
      read: false,
      read_at: null,
      metadata: null,
      created_at: Timestamp.now(),
      expires_at: null,
    });
    expect((await listInbox(s.db, user.uid, { unreadOnly: true })).docs.map((d) => d.id)).toEqual([ref.id]);
    await markInboxItemRead(s.db, user.uid, ref.id);
    expect((await ref.get()).data()).toMatchObject({ read: true });
    expect((await listInbox(s.db, user.uid, { unreadOnly: true })).docs).toEqual([]);
  });

  it('one bad notice in an inbox does not stop the others from being read', async () => {
    const s = session();
    const user = await signUp(s, admin, { roles: ['client'] });
    const good = admin.db.collection(inbox.collectionPath({ uid: user.uid })).doc();
    const notice = {
      user_id: user.uid,
      type: 'notice',
      title: 'Welcome',
      message: 'Hi',
      action_url: null,
      read: false,
      read_at: null,
      metadata: null,
      created_at: Timestamp.now(),
      expires_at: null,
    };
    await put(good.withConverter(inbox.converter), notice);
    // Placed with the Admin SDK (rules off), newest: metadata holding a Timestamp is no JSON the model reads.
    const bad = admin.db.collection(inbox.collectionPath({ uid: user.uid })).doc();
    await bad.set({ ...notice, metadata: { at: Timestamp.now() }, created_at: Timestamp.fromMillis(Date.now() + 60_000) });
    const list = await listInbox(s.db, user.uid);
    expect(list.docs.map((d) => d.id)).toEqual([good.id]);
    expect(list.invalid).toEqual([expect.objectContaining({ id: bad.id, error: expect.stringMatching(/^metadata/) as unknown })]);
  });

  it('refuses, before it leaves the browser, a write the rules would refuse (the client-write standard)', async () => {
    const s = session();
    const user = await signUp(s, admin, { roles: ['client'] });
    const { post_id: postId } = await s.api.createPost({ title: 'Tagged', content: 'x' });
    await expect(updatePost(s.db, postId, { tags: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] })).rejects.toThrow(/tags/);
    await expect(updateMyProfile(s.db, user.uid, { metadata: { anything: 'goes' } as never })).rejects.toThrow();
    await seedProfile(user.uid, user.email ?? '');
    await updateMyProfile(s.db, user.uid, { metadata: { preferences: { theme: 'dark' } } });
    expect((await getMyProfile(s.db, user.uid))?.metadata).toEqual({ preferences: { theme: 'dark' } });
  });

  it('saves lesson positions: the first save creates the document the rules expect, later ones move the position', async () => {
    const s = session();
    const user = await signUp(s, admin, { roles: ['client'] });
    await saveLessonPosition(s.db, user.uid, 'lesson-1', 12.7);
    await saveLessonPosition(s.db, user.uid, 'lesson-1', 95);
    expect(await getLessonProgress(s.db, user.uid, 'lesson-1')).toMatchObject({
      id: 'lesson-1',
      lesson_id: 'lesson-1',
      user_id: user.uid,
      last_position_sec: 95,
    });
    // Completion is the server's (recordLessonProgress emits lesson_completed once): a direct write is refused.
    const progress = doc(s.db, `users/${user.uid}/lesson_progress/lesson-1`);
    await denied(updateDoc(progress, { completed: true, completion_date: serverTimestamp() }));
    await denied(updateDoc(progress, { progress_percent: 100 }));
  });

  it('a visitor who is not signed in submits a lead form through submitLead, folded into one lead; the direct door is closed', async () => {
    const s = session();
    const email = uniqueEmail('lead');
    expect(await s.api.submitLead({ email, name: 'Visitor', source: 'landing' })).toEqual({ received: true });
    expect(await s.api.submitLead({ email: email.toUpperCase(), phone: '+886 912 345 678' })).toEqual({ received: true });
    const found = await admin.db.collection(leads.collectionPath({})).where('email', '==', email).get();
    expect(found.docs.map((d) => d.data())).toEqual([expect.objectContaining({ email, name: 'Visitor', source: 'landing', phone: '+886 912 345 678' })]);
    // A lead_forms document written past the callable (no limits) is refused.
    const direct = { email: uniqueEmail('relay'), name: null, phone: null, source: null, user_id: null, created_at: serverTimestamp() };
    await denied(addDoc(collection(s.db, 'lead_forms'), direct));
    // Double opt-in: the two forms asked the address once; its link confirms it, a forged one does not.
    const asked = (await admin.db.collection('email_queue').where('to_email', '==', email).get()).docs.map((d) => d.data());
    expect(asked.filter((m) => m.template_slug === 'lead_confirmation')).toHaveLength(1);
    const link = String((asked.find((m) => m.template_slug === 'lead_confirmation')?.variables as { link?: string } | undefined)?.link);
    const token = decodeURIComponent(link.split('token=')[1] ?? '');
    expect((await refusal(s.api.confirmLeadEmail({ token: `${token.slice(0, -2)}AA` }))).code).toBe('permission-denied');
    expect(await s.api.confirmLeadEmail({ token })).toEqual({ confirmed: true });
    const consents = (await admin.db.collection('email_consents').where('email', '==', email).get()).docs.map((d) => d.data());
    expect(consents).toEqual([expect.objectContaining({ confirmed_via: 'link' })]);
    await denied(getDocs(collection(s.db, 'email_consents')));
  });

  it('an admin creates and then edits a blog post; counters and created_at stay the server’s', async () => {
    const s = session();
    await signUp(s, admin, { roles: ['admin'] });
    const slug = `post-${Date.now()}`;
    const post = {
      id: slug,
      title: 'Growth habits',
      excerpt: null,
      body_md: '# Habits',
      cover_image: null,
      author_id: null,
      published: true,
      published_at: null,
      lang: 'en',
      tags: ['habits'],
      meta_title: null,
      meta_description: null,
    };
    expect(await saveBlogPost(s.db, slug, post)).toBe('created');
    expect(await saveBlogPost(s.db, slug, { ...post, title: 'Growth habits, revised' })).toBe('updated');
    const stored = (await admin.db.doc(`blog_posts/${slug}`).get()).data();
    expect(stored).toMatchObject({ title: 'Growth habits, revised', view_count: 0 });
    const client = session();
    await signUp(client, admin, { roles: ['client'] });
    await expect(saveBlogPost(client.db, slug, post)).rejects.toMatchObject({ code: 'permission-denied' });
  });
});
