/**
 * The admins' account callables through the real web SDK: setUserRoles (profile, grants, claim,
 * audit, revoked refresh tokens), assignCoach and what it changes for Cal.com sessions (delivered
 * to the calWebhook in the functions emulator, read by the coach under the rules), listUsers. The
 * last-admin rule is proven in functions/test/accounts.test.ts, in a project with known admins:
 * here other test files make admins in the same project at the same time.
 */
import { signInWithEmailAndPassword } from 'firebase/auth';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditLog, sessions, sessionsOfCoach, users, type AppRole } from '@zhengrowth/model';
import { readDocs, specQuery } from '@zhengrowth/client';
import { emulatorHosts, type TestFirebase } from '@zhengrowth/devstack/testing';
import { calSignature, fixture, localSecrets } from '../../../functions/test/support/signing.js';
import { adminOfWebProject, PASSWORD, signUp, uniqueEmail, type WebSession, refusal, webSessions } from './support/web.js';

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

/** A signed-in web session with the given roles. */
async function member(roles: AppRole[], label = 'member'): Promise<{ s: WebSession; uid: string; email: string }> {
  const s = session();
  const user = await signUp(s, admin, { roles, email: uniqueEmail(label) });
  return { s, uid: user.uid, email: user.email ?? '' };
}

const profile = async (uid: string) => (await admin.db.doc(users.docPath({ uid })).withConverter(users.converter).get()).data();
const auditOf = async (uid: string) =>
  (await admin.db.collection(auditLog.collectionPath({})).withConverter(auditLog.converter).where('subject_uid', '==', uid).get()).docs.map((d) => d.data());

describe('setUserRoles', () => {
  it('sets the profile’s roles and grants, the claim and an audit entry, and revokes the refresh tokens; the user signs in again with the role', async () => {
    const boss = await member(['admin'], 'boss');
    const target = await member(['client'], 'target');
    const before = Date.parse((await admin.auth.getUser(target.uid)).tokensValidAfterTime ?? '0');
    const clientGrant = (await profile(target.uid))?.role_grants.client;
    await new Promise((r) => setTimeout(r, 1100)); // tokensValidAfterTime has seconds
    const res = await boss.s.api.setUserRoles({ uid: target.uid, roles: ['client', 'coach', 'client'] });
    expect(res).toEqual({ uid: target.uid, roles: ['coach', 'client'], before: ['client'], changed: true });
    const doc = await profile(target.uid);
    expect(doc?.roles).toEqual(['coach', 'client']);
    expect(Object.keys(doc?.role_grants ?? {}).sort()).toEqual(['client', 'coach']);
    expect(doc?.role_grants.client).toEqual(clientGrant); // a kept role keeps its grant
    const record = await admin.auth.getUser(target.uid);
    expect(record.customClaims?.roles).toEqual(['coach', 'client']);
    expect(Date.parse(record.tokensValidAfterTime ?? '0')).toBeGreaterThan(before);
    expect(await auditOf(target.uid)).toEqual([
      expect.objectContaining({ action: 'set_roles', actor_uid: boss.uid, before: ['client'], after: ['coach', 'client'] }),
    ]);
    await signInWithEmailAndPassword(target.s.auth, target.email, PASSWORD);
    expect((await target.s.api.health({})).caller?.roles).toEqual(['coach', 'client']);
    // The same roles again: nothing changes, nothing is recorded.
    expect(await boss.s.api.setUserRoles({ uid: target.uid, roles: ['coach', 'client'] })).toMatchObject({ changed: false });
    expect(await auditOf(target.uid)).toHaveLength(1);
  });

  it('refuses a non-admin, an unknown role, an unknown user, and writes nothing', async () => {
    const boss = await member(['admin'], 'boss');
    const plain = await member(['client'], 'plain');
    const err = await refusal(plain.s.api.setUserRoles({ uid: plain.uid, roles: ['admin'] }));
    expect([err.code, err.message]).toEqual(['permission-denied', expect.stringMatching(/^admins only/)]);
    const role = await refusal(boss.s.api.setUserRoles({ uid: plain.uid, roles: ['superuser'] as never }));
    expect([role.code, role.message]).toEqual(['invalid-argument', expect.stringMatching(/^roles\.0: /)]);
    const nobody = await refusal(boss.s.api.setUserRoles({ uid: 'no-such-user-anywhere', roles: ['coach'] }));
    expect(nobody.code).toBe('not-found');
    expect((await profile(plain.uid))?.roles).toEqual(['client']);
    expect((await admin.auth.getUser(plain.uid)).customClaims?.roles).toEqual(['client']);
    expect(await auditOf(plain.uid)).toEqual([]);
    expect(await auditOf('no-such-user-anywhere')).toEqual([]);
  });
});

describe('assignCoach and Cal.com sessions', () => {
  const HOUR = 3_600_000;
  async function deliverBooking(attendee: string, organizer: string): Promise<string> {
    const hosts = emulatorHosts();
    const uid = `acct-${Math.random().toString(36).slice(2)}`;
    const start = Date.now() + 48 * HOUR;
    const body = fixture('cal', 'BOOKING_CREATED', {
      uid,
      booking_id: 1 + Math.floor(Math.random() * 2_000_000_000),
      start: new Date(start).toISOString(),
      end: new Date(start + HOUR).toISOString(),
      created_at: new Date().toISOString(),
      email: attendee,
      name: 'Client',
      booking_token: 'none',
      event_type_id: 4242,
      reschedule_uid: 'none',
      reschedule_id: 0,
      reschedule_start: new Date(start).toISOString(),
      reschedule_end: new Date(start + HOUR).toISOString(),
    }).replace('coach@zhengrowth.test', organizer);
    const res = await fetch(`${hosts.functions}/${hosts.projectId}/us-central1/calWebhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cal-signature-256': calSignature(body, localSecrets().CAL_WEBHOOK_SECRET ?? '') },
      body,
      signal: AbortSignal.timeout(150_000),
    });
    expect(res.status).toBe(200);
    return uid;
  }

  it('the assigned coach gets the client’s new Cal.com sessions and reads them; an organizer who is a coach takes precedence', async () => {
    const boss = await member(['admin'], 'boss');
    const coach = await member(['coach'], 'coach');
    const otherCoach = await member(['coach'], 'organizer');
    const client = await member(['client'], 'client');
    expect(await boss.s.api.assignCoach({ client_uid: client.uid, coach_uid: coach.uid })).toEqual({
      client_uid: client.uid,
      coach_id: coach.uid,
      changed: true,
    });
    expect((await profile(client.uid))?.coach_id).toBe(coach.uid);
    expect(await auditOf(client.uid)).toEqual([expect.objectContaining({ action: 'assign_coach', actor_uid: boss.uid, before: null, after: coach.uid })]);
    expect(await boss.s.api.assignCoach({ client_uid: client.uid, coach_uid: coach.uid })).toMatchObject({ changed: false });

    // Organized by someone who is no coach of ours: the assigned coach.
    const byStranger = await deliverBooking(client.email, uniqueEmail('stranger'));
    const sessionRef = (calUid: string) => admin.db.doc(sessions.docPath({ uid: client.uid, sessionId: `cal-${calUid}` })).withConverter(sessions.converter);
    expect((await sessionRef(byStranger).get()).data()).toMatchObject({ coach_id: coach.uid, status: 'scheduled' });
    const seen = await readDocs(sessions, specQuery(coach.s.db, sessionsOfCoach, [coach.uid]));
    expect(seen.docs.map((d) => d.id)).toContain(`cal-${byStranger}`);

    // Organized by a coach: that coach.
    const byCoach = await deliverBooking(client.email, otherCoach.email.toUpperCase());
    expect((await sessionRef(byCoach).get()).data()).toMatchObject({ coach_id: otherCoach.uid });
    const seenByOther = await readDocs(sessions, specQuery(otherCoach.s.db, sessionsOfCoach, [otherCoach.uid]));
    expect(seenByOther.docs.map((d) => d.id)).toEqual([`cal-${byCoach}`]);
  });

  it('refuses a non-admin, a coach who is not one, an unknown client, a bad id, and writes nothing', async () => {
    const boss = await member(['admin'], 'boss');
    const client = await member(['client'], 'client');
    const notCoach = await member(['client'], 'notcoach');
    expect((await refusal(client.s.api.assignCoach({ client_uid: client.uid, coach_uid: notCoach.uid }))).code).toBe('permission-denied');
    const wrong = await refusal(boss.s.api.assignCoach({ client_uid: client.uid, coach_uid: notCoach.uid }));
    expect([wrong.code, wrong.message]).toEqual(['failed-precondition', expect.stringMatching(new RegExp(`^${notCoach.uid} is not a coach`))]);
    expect((await refusal(boss.s.api.assignCoach({ client_uid: 'no-such-client', coach_uid: null }))).code).toBe('not-found');
    const bad = await refusal(boss.s.api.assignCoach({ client_uid: client.uid, coach_uid: 'a/b' }));
    expect([bad.code, bad.message]).toEqual(['invalid-argument', expect.stringMatching(/^coach_uid: /)]);
    expect((await profile(client.uid))?.coach_id ?? null).toBeNull();
    expect(await auditOf(client.uid)).toEqual([]);
  });
});

describe('listUsers', () => {
  it('pages through e-mail matches then name matches, each user once; filters by role; admins only', async () => {
    const boss = await member(['admin'], 'boss');
    const tag = `lu${Math.random().toString(36).slice(2, 8)}`;
    const a = await member(['client'], tag);
    const b = await member(['coach'], tag);
    const c = await member(['client'], tag);
    const byName = await member(['client'], 'named');
    const name = async (uid: string, n: string) => admin.db.doc(users.docPath({ uid })).update({ name: n });
    await name(a.uid, `${tag} also by name`);
    await name(byName.uid, `${tag} Only By Name`);

    const byEmail = [a, b, c].sort((x, y) => x.email.localeCompare(y.email)).map((x) => x.uid);
    const page1 = await boss.s.api.listUsers({ query: tag, limit: 3 });
    expect(page1.users.map((u) => u.uid)).toEqual(byEmail);
    expect(page1.next_page_token).not.toBeNull();
    const page2 = await boss.s.api.listUsers({ query: tag, limit: 3, page_token: page1.next_page_token ?? undefined });
    expect(page2).toEqual({ users: [expect.objectContaining({ uid: byName.uid, name: `${tag} Only By Name`, roles: ['client'] })], next_page_token: null });
    expect(page1.users.find((u) => u.uid === b.uid)).toMatchObject({ email: b.email, roles: ['coach'], email_verified: true, password_reset_required: false });

    expect((await boss.s.api.listUsers({ query: tag.toUpperCase(), role: 'coach' })).users.map((u) => u.uid)).toEqual([b.uid]);
    const coaches = await boss.s.api.listUsers({ role: 'coach', limit: 100 });
    expect(coaches.users.every((u) => u.roles.includes('coach'))).toBe(true);

    expect((await refusal(a.s.api.listUsers({}))).code).toBe('permission-denied');
    const token = await refusal(boss.s.api.listUsers({ page_token: 'not-a-token' }));
    expect([token.code, token.message]).toEqual(['invalid-argument', expect.stringMatching(/^page_token: not a token this list gave/)]);
    expect((await refusal(boss.s.api.listUsers({ limit: 0 }))).code).toBe('invalid-argument');
  });
});
