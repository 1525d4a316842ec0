/**
 * Leaving and taking your data, through the real web SDK: exportMyData (a goal, a session, an order
 * and a post of the user, nothing of another user, once an hour), deleteMyAccount and deleteUser
 * (their refusals, a stale sign-in among them, made with the Auth emulator's own clock: the
 * account's last sign-in moved back), and the Auth onDelete trigger in the functions emulator
 * cleaning up after an account deleted from the Admin SDK, as the console does.
 */
import { signInWithEmailAndPassword } from 'firebase/auth';
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { accountDeletions, communityPosts, orders, sessions, users, type AppRole } from '@zhengrowth/model';
import { addGoal } from '@zhengrowth/client';
import { emulatorHosts, put, type TestFirebase } from '@zhengrowth/devstack/testing';
import { orderDoc } from '../../../functions/test/support/accounts.js';
import { adminOfWebProject, eventually, PASSWORD, signUp, uniqueEmail, type WebSession, refusal, webSessions } from './support/web.js';

// Each test makes several accounts and calls, and the functions emulator starts a worker process
// for each concurrent request (and runs the Auth triggers): on two loaded cores that takes minutes.
vi.setConfig({ testTimeout: 300_000 });

let admin: TestFirebase;
const web = webSessions({ timeoutMs: 280_000 });
const session = web.open;

beforeAll(async () => {
  admin = adminOfWebProject();
  await session().api.health({});
}, 180_000);
afterAll(async () => {
  await web.closeAll();
  await admin?.close();
});

async function member(roles: AppRole[], label: string): Promise<{ s: WebSession; uid: string; email: string }> {
  const s = session();
  const user = await signUp(s, admin, { roles, email: uniqueEmail(label) });
  return { s, uid: user.uid, email: user.email ?? '' };
}

/** What a user leaves behind: a goal written through the client, a post through createPost, a session and an order the server wrote. */
async function footprint(m: { s: WebSession; uid: string; email: string }, tag: string) {
  const goalId = await addGoal(m.s.db, m.uid, { title: `Goal of ${tag}` });
  const { post_id: postId } = await m.s.api.createPost({ title: `Post of ${tag}`, content: 'Week one', published: true });
  await put(admin.db.doc(sessions.docPath({ uid: m.uid, sessionId: `${tag}-s` })).withConverter(sessions.converter), {
    user_id: m.uid,
    coach_id: null,
    booking_id: null,
    session_date: Timestamp.fromDate(new Date('2026-04-02T08:00:00Z')),
    notes: null,
    action_items: [{ '~array': ['stretch'] }],
    status: 'scheduled',
    created_at: Timestamp.now(),
    updated_at: null,
  });
  const orderId = `${tag}-order`;
  await put(admin.db.doc(orders.docPath({ orderId })).withConverter(orders.converter), orderDoc(m.uid, m.email, `ZG-${tag}`));
  return { goalId, postId, sessionId: `${tag}-s`, orderId };
}

/** Moves the account's last sign-in back (the Auth emulator's privileged accounts:update), then refreshes the token. */
async function signedInMinutesAgo(m: { s: WebSession; uid: string }, minutes: number): Promise<void> {
  const hosts = emulatorHosts();
  const res = await fetch(`http://${hosts.auth}/identitytoolkit.googleapis.com/v1/projects/${hosts.projectId}/accounts:update`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer owner' },
    body: JSON.stringify({ localId: m.uid, lastLoginAt: String(Date.now() - minutes * 60_000) }),
  });
  expect(res.status).toBe(200);
  await m.s.auth.currentUser?.getIdToken(true);
}

describe('exportMyData', () => {
  it('has the user’s goal, session, order and post, decoded, and nothing of another user; then waits an hour', async () => {
    const me = await member(['client'], 'exporter');
    const other = await member(['client'], 'neighbour');
    const mine = await footprint(me, `m${me.uid.slice(0, 6)}`);
    const theirs = await footprint(other, `t${other.uid.slice(0, 6)}`);
    const out = await me.s.api.exportMyData({});
    expect(out).toMatchObject({ format: 'zhengrowth-export/1', uid: me.uid, user: { email: me.email, roles: ['client'] } });
    const c = out.collections;
    expect(c['users/{uid}/goals']?.map((d) => [d.id, d.data.title])).toEqual([[mine.goalId, expect.stringMatching(/^Goal of /)]]);
    expect(c['users/{uid}/goals']?.[0]?.data.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(c['users/{uid}/sessions']?.map((d) => [d.id, d.data.action_items, d.data.session_date])).toEqual([
      [mine.sessionId, [['stretch']], '2026-04-02T08:00:00.000Z'],
    ]);
    expect(c.orders?.map((d) => [d.id, d.data.items])).toEqual([[mine.orderId, [{ __id__: 'line-1', sizes: [[1, 2]] }]]]);
    expect(c.community_posts?.map((d) => d.id)).toEqual([mine.postId]);
    const text = JSON.stringify(out);
    for (const id of [other.uid, theirs.goalId, theirs.postId, theirs.orderId, other.email]) expect(text).not.toContain(id);

    const again = await refusal(me.s.api.exportMyData({}));
    expect(again.code).toBe('resource-exhausted');
    expect((again.details as { retry_after_seconds: number }).retry_after_seconds).toBeGreaterThan(3000);
  });
});

describe('deleteMyAccount', () => {
  it('asks for the word, then a recent sign-in; deletes the account and keeps the order and post under a tombstone', async () => {
    const me = await member(['client'], 'leaver');
    const mine = await footprint(me, `d${me.uid.slice(0, 6)}`);
    const word = await refusal(me.s.api.deleteMyAccount({ confirm: 'delete' as never }));
    expect([word.code, word.message]).toEqual(['invalid-argument', expect.stringMatching(/^confirm: must be "DELETE"/)]);
    await signedInMinutesAgo(me, 10);
    const stale = await refusal(me.s.api.deleteMyAccount({ confirm: 'DELETE' }));
    expect([stale.code, stale.details]).toEqual(['failed-precondition', { reason: 'requires-recent-login' }]);
    expect((await admin.db.doc(users.docPath({ uid: me.uid })).get()).exists).toBe(true);
    expect((await admin.db.doc(accountDeletions.docPath({ uid: me.uid })).get()).exists).toBe(false);

    await signInWithEmailAndPassword(me.s.auth, me.email, PASSWORD);
    const done = await me.s.api.deleteMyAccount({ confirm: 'DELETE' });
    expect(done).toMatchObject({ uid: me.uid, status: 'deleted' });
    expect(done.tombstone_id).toMatch(/^deleted-/);
    expect((await admin.db.doc(users.docPath({ uid: me.uid })).get()).exists).toBe(false);
    expect(await admin.db.doc(users.docPath({ uid: me.uid })).listCollections()).toEqual([]);
    await expect(admin.auth.getUser(me.uid)).rejects.toMatchObject({ code: 'auth/user-not-found' });
    expect((await admin.db.doc(orders.docPath({ orderId: mine.orderId })).get()).data()).toMatchObject({
      user_id: done.tombstone_id,
      customer_email: '',
      customer_name: null,
    });
    expect((await admin.db.doc(communityPosts.docPath({ postId: mine.postId })).get()).data()).toMatchObject({
      author_id: done.tombstone_id,
    });
    // The Auth deletion fired onAuthUserDeleted too: it finds the job done and changes nothing.
    expect((await admin.db.doc(accountDeletions.docPath({ uid: me.uid })).get()).data()).toMatchObject({ status: 'done', reason: 'self' });
  });
});

describe('deleteUser', () => {
  it('admins only, signed in recently, an account that exists; then the account goes', async () => {
    const boss = await member(['admin'], 'boss');
    const target = await member(['client'], 'target');
    expect((await refusal(target.s.api.deleteUser({ uid: boss.uid }))).code).toBe('permission-denied');
    expect((await refusal(boss.s.api.deleteUser({ uid: 'nobody-by-that-id' }))).code).toBe('not-found');
    await signedInMinutesAgo(boss, 6);
    expect((await refusal(boss.s.api.deleteUser({ uid: target.uid }))).code).toBe('failed-precondition');
    expect((await admin.auth.getUser(target.uid)).uid).toBe(target.uid);

    await signInWithEmailAndPassword(boss.s.auth, boss.email, PASSWORD);
    const done = await boss.s.api.deleteUser({ uid: target.uid });
    expect(done).toMatchObject({ uid: target.uid, status: 'deleted' });
    await expect(admin.auth.getUser(target.uid)).rejects.toMatchObject({ code: 'auth/user-not-found' });
    expect((await admin.db.doc(users.docPath({ uid: target.uid })).get()).exists).toBe(false);
    expect((await admin.db.doc(accountDeletions.docPath({ uid: target.uid })).get()).data()).toMatchObject({ reason: 'admin', requested_by: boss.uid });
  });
});

describe('the Auth onDelete trigger (functions emulator)', () => {
  it('an account deleted with the Admin SDK (as in the console) loses its profile; its order stays under a tombstone', async () => {
    const me = await member(['client'], 'console');
    const mine = await footprint(me, `c${me.uid.slice(0, 6)}`);
    await admin.auth.deleteUser(me.uid);
    const record = await eventually(async () => {
      const r = (
        await admin.db
          .doc(accountDeletions.docPath({ uid: me.uid }))
          .withConverter(accountDeletions.converter)
          .get()
      ).data();
      return r?.status === 'done' ? r : null;
    }, 'the onDelete trigger to finish the deletion');
    expect(record).toMatchObject({ reason: 'auth_deleted', requested_by: null });
    expect((await admin.db.doc(users.docPath({ uid: me.uid })).get()).exists).toBe(false);
    expect((await admin.db.doc(orders.docPath({ orderId: mine.orderId })).get()).data()).toMatchObject({ user_id: record.tombstone_id, customer_email: '' });
    expect((await admin.db.doc(communityPosts.docPath({ postId: mine.postId })).get()).data()?.author_id).toBe(record.tombstone_id);
  });
});
