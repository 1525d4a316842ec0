/**
 * The accounts handlers against the Firestore and Auth emulators, each scenario in a project of its
 * own (the web SDK tests share the functions emulator's project, where other tests make admins too):
 * the export of everything that names a user and nothing of anyone else; a deletion that crashes
 * in the middle and is finished by a retry (the callable again, or the Auth onDelete trigger);
 * the last admin; refusals that write nothing.
 */
import { HttpsError } from 'firebase-functions/v2/https';
import { afterAll, describe, expect, it } from 'vitest';
import {
  accountDeletions,
  auditLog,
  deleteMyAccount,
  DELETION_STEPS,
  exportMyData,
  receiptArchive,
  setUserRoles,
  users,
  type AppRole,
  type DeletionStep,
} from '@zhengrowth/model';
import { testFirebase, testProjectId, type TestFirebase } from '@zhengrowth/devstack/testing';
import { runCallable } from '../src/core/callable.js';
import { deleteMyAccountHandler } from '../src/accounts/deletion/callables.js';
import type { DeletionDeps } from '../src/accounts/deletion/run.js';
import { exportMyDataHandler } from '../src/accounts/export.js';
import { setUserRolesHandler } from '../src/accounts/set-roles.js';
import { onAuthUserDeleted } from '../src/accounts/triggers.js';
import { asAuthData, put, uniq } from './support/env.js';
import { profileDoc, seedAccountData, type SeededAccount } from './support/accounts.js';

const opened: TestFirebase[] = [];
afterAll(async () => {
  await Promise.all(opened.map((f) => f.close()));
});
function project(label: string): TestFirebase {
  const fb = testFirebase(testProjectId(label));
  opened.push(fb);
  return fb;
}
const depsOf = (fb: TestFirebase, extra: Partial<DeletionDeps> = {}): DeletionDeps => ({ db: fb.db, auth: fb.auth, now: () => new Date(), ...extra });

function token(uid: string, email: string, roles: AppRole[], signedInMsAgo = 60_000) {
  return asAuthData({
    uid,
    token: { email, email_verified: true, roles, auth_time: Math.floor((Date.now() - signedInMsAgo) / 1000), firebase: { sign_in_provider: 'password' } },
  });
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'ok',
    (e: unknown) => (e instanceof HttpsError ? e.code : `thrown: ${String(e)}`),
  );
}

/** Two accounts that name each other: U (deleted or exported) and O (whose things must stay as they are). */
async function twoAccounts(fb: TestFirebase): Promise<{ u: SeededAccount; o: SeededAccount }> {
  const uUid = uniq('u');
  const oUid = uniq('o');
  const [uMail, oMail] = [`${uUid}@example.com`, `${oUid}@example.com`];
  await fb.auth.createUser({ uid: uUid, email: uMail, emailVerified: true, password: 'a long passphrase' });
  await fb.auth.createUser({ uid: oUid, email: oMail, emailVerified: true, password: 'a long passphrase' });
  const u = await seedAccountData(fb.db, uUid, uMail, uniq('tu'), { otherUid: oUid });
  const o = await seedAccountData(fb.db, oUid, oMail, uniq('to'), { otherUid: uUid });
  // U also coaches O.
  await put(fb.db.doc(users.docPath({ uid: oUid })).withConverter(users.converter), { ...profileDoc(oMail), coach_id: uUid });
  return { u, o };
}

const read = async (fb: TestFirebase, path: string) => (await fb.db.doc(path).get()).data();

describe('exportMyData', () => {
  it('holds everything that names the user, jsonb decoded and times as ISO, and nothing of anyone else', async () => {
    const fb = project('export');
    const { u, o } = await twoAccounts(fb);
    const out = await runCallable(exportMyData, exportMyDataHandler, { data: {}, auth: token(u.uid, u.email, ['client']) }, depsOf(fb));
    expect(out).toMatchObject({ format: 'zhengrowth-export/1', uid: u.uid });
    expect(Date.parse(out.generated_at)).not.toBeNaN();
    expect(out.user).toMatchObject({ email: u.email, metadata: { tone: 'warm' }, created_at: '2026-03-01T09:30:00.000Z' });
    const exported = Object.values(out.collections)
      .flat()
      .map((d) => d.path)
      .sort();
    // Not U's: the OAuth tokens (never exported), the referral O made naming U (O's record). U's: the referral U
    // made of O (in U's subtree) and O's post that O's seed attributed to U.
    const { profile: _self, token: _token, referredBy: _theirs, ...mine } = u.paths;
    const expected = [...Object.values(mine), o.paths.referredBy, `community_posts/${o.tag}-others-post`].sort();
    expect(exported).toEqual(expected);
    expect(exported.filter((p) => p.startsWith(`users/${o.uid}`))).toEqual([]);
    expect(Object.keys(out.collections).sort()).toEqual(
      [
        'ai_logs',
        'analytics_events',
        'bookings',
        'cal_bookings',
        'community_posts',
        'community_posts/{postId}/comments',
        'community_reports',
        'events/{eventId}/registrations',
        'experiment_assignments',
        'leads',
        'orders',
        'payments',
        'users/{uid}/goals',
        'users/{uid}/inbox',
        'users/{uid}/push_subscriptions',
        'users/{uid}/receipts',
        'users/{uid}/referrals',
        'users/{uid}/sessions',
      ].sort(),
    );
    const order = out.collections.orders?.find((d) => d.id === `${u.tag}-order`);
    expect(order?.data).toMatchObject({ items: [{ __id__: 'line-1', sizes: [[1, 2]] }], created_at: '2026-03-01T09:30:00.000Z', user_id: u.uid });
    const session = out.collections['users/{uid}/sessions']?.[0];
    expect(session?.data.action_items).toEqual([['breathe', 'walk']]);
  });
});

describe('account deletion', () => {
  async function expectDeleted(fb: TestFirebase, u: SeededAccount, o: SeededAccount, tombstone: string): Promise<void> {
    const t = tombstone;
    expect(await read(fb, accountDeletions.docPath({ uid: u.uid }))).toMatchObject({ status: 'done', steps_done: [...DELETION_STEPS], tombstone_id: t });
    expect((await fb.db.doc(users.docPath({ uid: u.uid })).get()).exists).toBe(false);
    expect(await fb.db.doc(users.docPath({ uid: u.uid })).listCollections()).toEqual([]);
    await expect(fb.auth.getUser(u.uid)).rejects.toMatchObject({ code: 'auth/user-not-found' });
    const archive = await fb.db.collection(receiptArchive.collectionPath({})).where('user_id', '==', t).get();
    expect(archive.docs.map((d) => [d.id, d.get('receipt_id') as unknown, d.get('amount_minor') as unknown])).toEqual([
      [`${t}:${u.tag}-order`, `${u.tag}-order`, 4200],
    ]);
    expect(await read(fb, u.paths.order)).toMatchObject({ user_id: t, customer_email: '', customer_name: null, total_minor: 4200, status: 'paid' });
    expect(await read(fb, u.paths.guestOrder)).toMatchObject({ user_id: null, customer_email: '', customer_name: null });
    expect(await read(fb, u.paths.payment)).toMatchObject({ user_id: t, amount_minor: 4200 });
    expect(await read(fb, u.paths.booking)).toMatchObject({ user_id: t, customer_email: '', customer_name: null, amount_minor: 9000 });
    expect(await read(fb, u.paths.calBooking)).toMatchObject({ user_id: t, attendee_email: '', attendee_name: null });
    expect(await read(fb, u.paths.registration)).toMatchObject({ user_id: null, attendee_email: '', attendee_name: null, amount_paid_minor: 2000 });
    expect(await read(fb, u.paths.post)).toMatchObject({ author_id: t, content: 'It went well' });
    expect(await read(fb, u.paths.comment)).toMatchObject({ author_id: t, content: 'Nice!' });
    expect(await read(fb, u.paths.report)).toMatchObject({ reporter_id: t });
    expect(await read(fb, u.paths.referredBy)).toMatchObject({ referee_id: t, referee_email: '' });
    expect(await read(fb, u.paths.analytics)).toMatchObject({ user_id: null, ip_address: null, user_agent: null, event_name: 'page_view' });
    for (const gone of [u.paths.lead, u.paths.aiLog, u.paths.assignment, u.paths.token]) expect(await read(fb, gone), gone).toBeUndefined();
    // U coached O: O's session keeps its history under the tombstone, O has no coach any more.
    expect(await read(fb, o.paths.session)).toMatchObject({ coach_id: t });
    expect(await read(fb, o.paths.profile)).toMatchObject({ coach_id: null, email: o.email });
    // Nothing else of O moved.
    expect(await read(fb, o.paths.order)).toMatchObject({ user_id: o.uid, customer_email: o.email });
    expect(await read(fb, o.paths.post)).toMatchObject({ author_id: o.uid });
    expect(await read(fb, o.paths.lead)).toMatchObject({ email: o.email });
    expect(await read(fb, o.paths.goal)).toMatchObject({ user_id: o.uid });
    expect((await fb.auth.getUser(o.uid)).email).toBe(o.email);
    const audit = await fb.db.collection(auditLog.collectionPath({})).where('subject_uid', '==', u.uid).get();
    expect(audit.docs.map((d) => d.get('action') as unknown)).toEqual(['delete_user']);
  }

  it('a crash in the middle, then a retry of deleteMyAccount: the job is finished, each thing once', async () => {
    const fb = project('delete');
    const { u, o } = await twoAccounts(fb);
    const crashAt: DeletionStep = 'community';
    const crashing = depsOf(fb, {
      afterStep: (step) => {
        if (step === crashAt) throw new Error('simulated crash');
      },
    });
    const call = (deps: DeletionDeps) =>
      runCallable(deleteMyAccount, deleteMyAccountHandler, { data: { confirm: 'DELETE' }, auth: token(u.uid, u.email, ['client']) }, deps);
    expect(await codeOf(call(crashing))).toBe('internal');
    const midway = (
      await fb.db
        .doc(accountDeletions.docPath({ uid: u.uid }))
        .withConverter(accountDeletions.converter)
        .get()
    ).data();
    expect(midway).toMatchObject({ status: 'running', attempts: 1, steps_done: DELETION_STEPS.slice(0, DELETION_STEPS.indexOf(crashAt)) });
    // The community step ran but was not marked: the retry does it again, harmlessly.
    expect(await read(fb, u.paths.post)).toMatchObject({ author_id: midway?.tombstone_id });
    expect((await fb.db.doc(users.docPath({ uid: u.uid })).get()).exists).toBe(true);
    expect((await fb.auth.getUser(u.uid)).uid).toBe(u.uid);

    const done = await call(depsOf(fb));
    expect(done).toEqual({ uid: u.uid, status: 'deleted', tombstone_id: midway?.tombstone_id });
    await expectDeleted(fb, u, o, done.tombstone_id);
    expect((await read(fb, accountDeletions.docPath({ uid: u.uid })))?.attempts).toBe(2);
    // Asking again (a retried request) answers the same and does nothing more.
    expect(await call(depsOf(fb))).toEqual(done);
    expect((await read(fb, accountDeletions.docPath({ uid: u.uid })))?.attempts).toBe(2);
  });

  it('a deletion that crashed after the profile went is finished by the Auth onDelete trigger', async () => {
    const fb = project('delete-trigger');
    const { u, o } = await twoAccounts(fb);
    const record = await fb.auth.getUser(u.uid);
    const crashing = depsOf(fb, {
      afterStep: (step) => {
        if (step === 'profile') throw new Error('simulated crash');
      },
    });
    const call = runCallable(deleteMyAccount, deleteMyAccountHandler, { data: { confirm: 'DELETE' }, auth: token(u.uid, u.email, ['client']) }, crashing);
    expect(await codeOf(call)).toBe('internal');
    // Someone deletes the Auth user in the console; the trigger gets the user as it was.
    await fb.auth.deleteUser(u.uid);
    await onAuthUserDeleted(record, depsOf(fb));
    const rec = await read(fb, accountDeletions.docPath({ uid: u.uid }));
    await expectDeleted(fb, u, o, String(rec?.tombstone_id));
  });

  it('needs a sign-in within the last 5 minutes, and writes nothing otherwise', async () => {
    const fb = project('delete-stale');
    const { u } = await twoAccounts(fb);
    const err = await runCallable(
      deleteMyAccount,
      deleteMyAccountHandler,
      { data: { confirm: 'DELETE' }, auth: token(u.uid, u.email, ['client'], 6 * 60_000) },
      depsOf(fb),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpsError);
    expect([(err as HttpsError).code, (err as HttpsError).details]).toEqual(['failed-precondition', { reason: 'requires-recent-login' }]);
    expect(await read(fb, accountDeletions.docPath({ uid: u.uid }))).toBeUndefined();
    expect(await read(fb, u.paths.order)).toMatchObject({ user_id: u.uid });
  });
});

describe('the last admin', () => {
  async function adminAccount(fb: TestFirebase, roles: AppRole[] = ['admin']): Promise<{ uid: string; email: string; roles: AppRole[] }> {
    const uid = uniq('a');
    const email = `${uid}@example.com`;
    await fb.auth.createUser({ uid, email, emailVerified: true });
    await fb.auth.setCustomUserClaims(uid, { roles });
    await put(fb.db.doc(users.docPath({ uid })).withConverter(users.converter), profileDoc(email, roles));
    return { uid, email, roles };
  }
  const setRoles = (fb: TestFirebase, by: { uid: string; email: string; roles: AppRole[] }, uid: string, roles: AppRole[]) =>
    runCallable(setUserRoles, setUserRolesHandler, { data: { uid, roles }, auth: token(by.uid, by.email, by.roles) }, depsOf(fb));
  const auditOf = async (fb: TestFirebase) => (await fb.db.collection(auditLog.collectionPath({})).get()).docs.map((d) => d.data());

  it('cannot lose the role nor delete their account; with a second admin both can', async () => {
    const fb = project('last-admin');
    const a = await adminAccount(fb);
    expect(await codeOf(setRoles(fb, a, a.uid, ['client']))).toBe('failed-precondition');
    expect(
      await codeOf(runCallable(deleteMyAccount, deleteMyAccountHandler, { data: { confirm: 'DELETE' }, auth: token(a.uid, a.email, ['admin']) }, depsOf(fb))),
    ).toBe('failed-precondition');
    expect((await read(fb, users.docPath({ uid: a.uid })))?.roles).toEqual(['admin']);
    expect(await read(fb, accountDeletions.docPath({ uid: a.uid }))).toBeUndefined();
    expect(await auditOf(fb)).toEqual([]);
    expect((await fb.auth.getUser(a.uid)).customClaims?.roles).toEqual(['admin']);

    const b = await adminAccount(fb);
    expect(await setRoles(fb, a, a.uid, ['client'])).toEqual({ uid: a.uid, roles: ['client'], before: ['admin'], changed: true });
    expect((await fb.auth.getUser(a.uid)).customClaims?.roles).toEqual(['client']);
    // b is now the last one.
    expect(await codeOf(setRoles(fb, b, b.uid, []))).toBe('failed-precondition');
  });

  it('two admins removing each other at once: one of them stays an admin', async () => {
    const fb = project('admin-race');
    const a = await adminAccount(fb);
    const b = await adminAccount(fb);
    const outcomes = await Promise.all([codeOf(setRoles(fb, a, b.uid, ['client'])), codeOf(setRoles(fb, b, a.uid, ['client']))]);
    expect(outcomes.sort()).toEqual(['failed-precondition', 'ok']);
    const left = await Promise.all([a, b].map(async (x) => (await read(fb, users.docPath({ uid: x.uid })))?.roles as AppRole[]));
    expect(left.filter((r) => r.includes('admin'))).toHaveLength(1);
  });

  it('unknown roles and unknown users change nothing', async () => {
    const fb = project('roles-refusals');
    const a = await adminAccount(fb);
    const c = await adminAccount(fb, ['client']);
    expect(
      await codeOf(
        runCallable(setUserRoles, setUserRolesHandler, { data: { uid: c.uid, roles: ['superuser'] }, auth: token(a.uid, a.email, ['admin']) }, depsOf(fb)),
      ),
    ).toBe('invalid-argument');
    expect(await codeOf(setRoles(fb, a, 'no-such-user', ['coach']))).toBe('not-found');
    expect(await codeOf(setRoles(fb, c, a.uid, ['client']))).toBe('permission-denied');
    expect((await read(fb, users.docPath({ uid: c.uid })))?.roles).toEqual(['client']);
    expect(await read(fb, users.docPath({ uid: 'no-such-user' }))).toBeUndefined();
    expect(await auditOf(fb)).toEqual([]);
  });
});
