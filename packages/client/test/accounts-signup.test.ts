/**
 * Sign-up through the real web SDK: the Auth onCreate trigger running in the functions emulator,
 * ensureProfile (defaults, hints, repairs, guest records, referral code, the roles claim), the
 * trigger and twenty ensureProfile calls racing, and a migrated account's password reset from the
 * queued e-mail's link to the flag cleared, and requestPasswordReset's limit per IP.
 */
import { confirmPasswordReset, createUserWithEmailAndPassword, signInWithCustomToken, signInWithEmailAndPassword, signOut } from 'firebase/auth';
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bookings, calBookings, domainEvents, emailQueue, eventRegistrations, orders, users, type UserDoc } from '@zhengrowth/model';
import { emulatorHosts, put, type TestFirebase } from '@zhengrowth/devstack/testing';
import { loadEmailTemplates } from '../../../functions/src/messaging/templates/index.js';
import { adminOfWebProject, eventually, PASSWORD, signUp, uniqueEmail, refusal, webSessions } from './support/web.js';

// Each test makes several accounts and calls, and the functions emulator starts a worker process
// for each concurrent request (and runs the Auth triggers): on two loaded cores that takes minutes.
vi.setConfig({ testTimeout: 300_000 });

let admin: TestFirebase;
const web = webSessions({ timeoutMs: 280_000 });
const session = web.open;

beforeAll(async () => {
  admin = adminOfWebProject();
  // The shipped templates, as npm start and a deployment have them: queued mail is sendable, never failed for want of one.
  await loadEmailTemplates(admin.db);
  await session().api.health({});
}, 180_000);
afterAll(async () => {
  await web.closeAll();
  await admin?.close();
});

const profileOf = async (uid: string): Promise<UserDoc | undefined> => (await admin.db.doc(users.docPath({ uid })).withConverter(users.converter).get()).data();
const claimOf = async (uid: string): Promise<unknown> => (await admin.auth.getUser(uid)).customClaims?.roles;
const signupEvents = async (uid: string) =>
  (await admin.db.collection(domainEvents.collectionPath({})).where('user_id', '==', uid).where('type', '==', 'signup').get()).docs;
const mailTo = async (to: string) =>
  (await admin.db.collection(emailQueue.collectionPath({})).withConverter(emailQueue.converter).where('to_email', '==', to).get()).docs;

describe('sign-up', () => {
  it('the Auth onCreate trigger (functions emulator) gives a new account its profile, client role and grant, claim, signup event and welcome e-mail', async () => {
    const s = session();
    const user = await signUp(s, admin, { email: uniqueEmail('Trigger') });
    const profile = await eventually(() => profileOf(user.uid), 'the sign-up trigger to make users/{uid}');
    expect(profile).toMatchObject({
      profile_id: user.uid,
      email: user.email,
      name: null,
      lang: 'en',
      timezone: 'America/Los_Angeles',
      metadata: {},
      roles: ['client'],
      coach_id: null,
      signup_referral_code: null,
      defaults_pending: true,
    });
    expect(Object.keys(profile.role_grants)).toEqual(['client']);
    expect(await eventually(() => claimOf(user.uid), 'the roles claim')).toEqual(['client']);
    const events = await signupEvents(user.uid);
    expect(events.map((e) => e.id)).toEqual([`signup:${user.uid}:${user.uid}`]);
    expect(events[0]?.data()).toMatchObject({ subject_id: user.uid, data: { via: 'auth_trigger', lang: 'en', referral_code: null } });
    const welcome = await mailTo(user.email ?? '');
    expect(welcome.map((d) => [d.id, d.data().template_slug])).toEqual([[`welcome-${user.uid}`, 'welcome']]);
    // The queue's trigger may be sending it already (no Resend is routed here, so it waits): never failed.
    expect(['pending', 'sending', 'sent']).toContain(welcome[0]?.data().status);
    expect(welcome[0]?.data().variables).toEqual({ name: null, email: user.email, lang: 'en' });
  });

  it('ensureProfile: hints replace the sign-up defaults once, the first referral code is kept and links its referrer, the claim is brought in line', async () => {
    const referrer = session();
    await signUp(referrer, admin);
    const { code } = await referrer.api.getMyReferralCode({});
    const s = session();
    const user = await signUp(s, admin);
    // As a link carries it: any case (codes are stored upper-case).
    const first = await s.api.ensureProfile({ lang: 'zh-Hant-TW', timezone: 'Asia/Taipei', referral_code: code.toLowerCase() });
    expect(first).toMatchObject({
      uid: user.uid,
      profile: { email: user.email, email_verified: true, lang: 'zh-TW', timezone: 'Asia/Taipei', roles: ['client'], coach_id: null },
      password_reset_required: false,
      referral_code: code,
      linked: { orders: 0, bookings: 0, cal_bookings: 0, event_registrations: 0 },
    });
    await user.getIdToken(true);
    // Later hints do not override (a user's own choice may stand there); a second code does not replace the first.
    const again = await s.api.ensureProfile({ lang: 'en-GB', timezone: 'Europe/London', referral_code: 'OTHERCODE42' });
    expect(again).toMatchObject({ created: false, claims_updated: false, profile: { lang: 'zh-TW', timezone: 'Asia/Taipei' }, referral_code: code });
    expect(await profileOf(user.uid)).toMatchObject({ defaults_pending: false, signup_referral_code: code, email_verified: true });
    // The code linked the new user to its referrer, once (the second call repeated nothing).
    expect(await s.api.getMyReferralCode({})).toMatchObject({ referred: true });
    // An unsupported locale is English.
    const other = session();
    await signUp(other, admin);
    expect((await other.api.ensureProfile({ lang: 'fr-FR' })).profile.lang).toBe('en');
  });

  it('twenty ensureProfile calls racing the trigger right after sign-up: one document, one grant, one signup event, one welcome e-mail', async () => {
    const s = session();
    const email = uniqueEmail('race');
    const { user } = await createUserWithEmailAndPassword(s.auth, email, PASSWORD);
    const results = await Promise.all(Array.from({ length: 20 }, () => s.api.ensureProfile({})));
    const state = async () => {
      const profile = await profileOf(user.uid);
      return { grants: profile?.role_grants, events: (await signupEvents(user.uid)).map((e) => e.data()), mail: (await mailTo(email)).map((d) => d.id) };
    };
    const now = await state();
    expect(Object.keys(now.grants ?? {})).toEqual(['client']);
    expect(now.events).toHaveLength(1);
    expect(now.mail).toEqual([`welcome-${user.uid}`]);
    // Exactly one creator: one call said created, or none did and the trigger made it.
    const creators = results.filter((r) => r.created).length;
    expect(creators + ((now.events[0]?.data as { via?: unknown } | undefined)?.via === 'auth_trigger' ? 1 : 0)).toBe(1);
    for (const r of results) expect(r.profile.roles).toEqual(['client']);
    // Whenever the trigger runs (its worker may start late), it changes none of it.
    await eventually(async () => (await claimOf(user.uid)) !== undefined, 'the roles claim');
    await new Promise((r) => setTimeout(r, 3000));
    expect(await state()).toEqual(now);
    expect(await claimOf(user.uid)).toEqual(['client']);
  });

  it('syncs email_verified from the token and links guest records only once the e-mail is verified', async () => {
    const s = session();
    const email = uniqueEmail('guest');
    const tag = email.split('@')[0]?.replace(/\W/g, '') ?? 'x';
    const t = Timestamp.now();
    const order = (user_id: string | null, customer_email: string) => ({
      order_number: `ZG-${tag}`,
      user_id,
      customer_email,
      customer_name: 'Guest',
      items: [],
      subtotal_minor: 1000,
      tax_minor: 0,
      total_minor: 1000,
      currency: 'USD',
      payment_provider: 'stripe',
      payment_id: null,
      status: 'paid',
      metadata: null,
      created_at: t,
      updated_at: null,
    });
    const ord = (id: string) => admin.db.doc(orders.docPath({ orderId: id })).withConverter(orders.converter);
    await put(ord(`${tag}-guest`), order(null, email));
    await put(ord(`${tag}-taken`), order('someone-else', email));
    await put(ord(`${tag}-other`), order(null, `other.${email}`));
    const bookingRef = admin.db.doc(bookings.docPath({ bookingId: `${tag}-b` })).withConverter(bookings.converter);
    await put(bookingRef, {
      booking_token: `tok-${tag}`,
      cal_booking_id: null,
      customer_email: email,
      customer_name: 'Guest',
      event_type_id: null,
      amount_minor: 5000,
      currency: 'USD',
      payment_id: null,
      status: 'paid',
      metadata: null,
      created_at: t,
      updated_at: null,
    });
    const calRef = admin.db.doc(calBookings.docPath({ calBookingDocId: `${tag}-c` })).withConverter(calBookings.converter);
    await put(calRef, {
      cal_booking_id: null,
      event_id: null,
      user_id: null,
      attendee_email: email,
      attendee_name: 'Guest',
      start_time: t,
      end_time: null,
      status: 'confirmed',
      meeting_url: null,
      metadata: null,
      created_at: t,
      updated_at: null,
    });
    const regRef = admin.db.doc(eventRegistrations.docPath({ eventId: `${tag}-e`, registrationId: 'r1' })).withConverter(eventRegistrations.converter);
    await put(regRef, {
      event_id: `${tag}-e`,
      user_id: null,
      attendee_email: email,
      attendee_name: 'Guest',
      ticket_type: null,
      status: 'registered',
      checked_in: false,
      payment_status: 'paid',
      amount_paid_minor: 2000,
      currency: 'USD',
      metadata: null,
      registered_at: t,
      updated_at: null,
    });

    const user = await signUp(s, admin, { email, verified: false });
    const unverified = await s.api.ensureProfile({});
    expect(unverified.profile.email_verified).toBe(false);
    expect(unverified.linked).toEqual({ orders: 0, bookings: 0, cal_bookings: 0, event_registrations: 0 });
    expect((await ord(`${tag}-guest`).get()).data()?.user_id).toBeNull();

    await admin.auth.updateUser(user.uid, { emailVerified: true });
    await user.getIdToken(true);
    const verified = await s.api.ensureProfile({});
    expect(verified.profile.email_verified).toBe(true);
    expect(verified.linked).toEqual({ orders: 1, bookings: 1, cal_bookings: 1, event_registrations: 1 });
    expect((await profileOf(user.uid))?.email_verified).toBe(true);
    expect((await ord(`${tag}-guest`).get()).data()?.user_id).toBe(user.uid);
    expect((await ord(`${tag}-taken`).get()).data()?.user_id).toBe('someone-else');
    expect((await ord(`${tag}-other`).get()).data()?.user_id).toBeNull();
    expect((await bookingRef.get()).data()?.user_id).toBe(user.uid);
    expect((await calRef.get()).data()?.user_id).toBe(user.uid);
    expect((await regRef.get()).data()?.user_id).toBe(user.uid);
    expect((await s.api.ensureProfile({})).linked).toEqual({ orders: 0, bookings: 0, cal_bookings: 0, event_registrations: 0 });
  });

  it('refuses bad hints by name, and changes nothing', async () => {
    const s = session();
    const user = await signUp(s, admin);
    await s.api.ensureProfile({});
    const before = await profileOf(user.uid);
    const lang = await refusal(s.api.ensureProfile({ lang: 'x' }));
    expect([lang.code, lang.message]).toEqual(['invalid-argument', expect.stringMatching(/^lang: /)]);
    const tz = await refusal(s.api.ensureProfile({ timezone: 'Mars/Olympus' }));
    expect([tz.code, tz.message]).toEqual(['invalid-argument', expect.stringMatching(/^timezone: .*IANA/)]);
    const code = await refusal(s.api.ensureProfile({ referral_code: 'no spaces allowed' }));
    expect([code.code, code.message]).toEqual(['invalid-argument', expect.stringMatching(/^referral_code: /)]);
    expect(await profileOf(user.uid)).toEqual(before);
  });
});

describe('migrated accounts without a password, and requestPasswordReset', () => {
  it('ensureProfile says a reset is needed; the queued e-mail’s link sets a password; signing in with it clears the flag', async () => {
    const email = uniqueEmail('migrated');
    const uid = `migrated-${email.split('.')[1]?.split('@')[0] ?? 'x'}`;
    // As zg-migrate's supabase source leaves them: an Auth user without a hash (an import fires no trigger), a flagged profile.
    const imported = await admin.auth.importUsers([{ uid, email, emailVerified: true, customClaims: { roles: ['client'] } }]);
    expect(imported.failureCount).toBe(0);
    const t = Timestamp.now();
    await put(admin.db.doc(users.docPath({ uid })).withConverter(users.converter), {
      profile_id: 'a2f5c1d0-0000-4000-8000-000000000001',
      email,
      name: 'Mei Lin',
      avatar_url: null,
      lang: 'zh-CN',
      timezone: 'Asia/Shanghai',
      created_at: t,
      updated_at: t,
      metadata: null,
      roles: ['client'],
      role_grants: { client: { id: 'b3f5c1d0-0000-4000-8000-000000000002', created_at: t } },
      password_reset_required: true,
    });

    // Signed in some other way (here a custom token): told to set a password, and the flag stays.
    const s = session();
    await signInWithCustomToken(s.auth, await admin.auth.createCustomToken(uid));
    const told = await s.api.ensureProfile({});
    expect(told).toMatchObject({ created: false, password_reset_required: true, profile: { lang: 'zh-CN', timezone: 'Asia/Shanghai' } });
    await signOut(s.auth);

    // Signed out, with the address in another case: accepted, and the e-mail is queued with a reset link.
    expect(await s.api.requestPasswordReset({ email: email.toUpperCase() })).toEqual({ accepted: true });
    const mail = await mailTo(email);
    const reset = mail.filter((d) => d.id.startsWith('password-reset-'));
    expect(reset).toHaveLength(1);
    const queued = reset[0]?.data();
    expect(queued).toMatchObject({ template_slug: 'password_reset', to_email: email });
    // The queue's trigger may already be sending it: never failed, never suppressed.
    expect(['pending', 'sending', 'sent']).toContain(queued?.status);
    const variables = queued?.variables as { link: string; name: string | null; lang: string | null };
    expect(variables).toMatchObject({ name: 'Mei Lin', lang: 'zh-CN', email });
    // A double click queues nothing more.
    await s.api.requestPasswordReset({ email });
    expect((await mailTo(email)).filter((d) => d.id.startsWith('password-reset-'))).toHaveLength(1);

    const oobCode = new URL(variables.link).searchParams.get('oobCode');
    expect(oobCode).toBeTruthy();
    await confirmPasswordReset(s.auth, oobCode as string, 'a brand new passphrase');
    await signInWithEmailAndPassword(s.auth, email, 'a brand new passphrase');
    const after = await s.api.ensureProfile({});
    expect(after.password_reset_required).toBe(false);
    expect((await profileOf(uid))?.password_reset_required).toBe(false);
  });

  it('answers the same for an address without an account, and queues nothing', async () => {
    const s = session();
    const nobody = uniqueEmail('nobody');
    expect(await s.api.requestPasswordReset({ email: nobody })).toEqual({ accepted: true });
    expect(await mailTo(nobody)).toEqual([]);
    const bad = await refusal(s.api.requestPasswordReset({ email: 'not-an-address' }));
    expect([bad.code, bad.message]).toEqual(['invalid-argument', expect.stringMatching(/^email: must be an e-mail address/)]);
  });

  it('is rate-limited per IP: resource-exhausted with retry_after_seconds', async () => {
    // The functions emulator hands requests to its workers over a local socket, so a callable sees no
    // client IP there; in production Google's front end names it in X-Forwarded-For. This test sends
    // the callable protocol's request as the web SDK does, with that header.
    const hosts = emulatorHosts();
    const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    const call = async () => {
      const res = await fetch(`${hosts.functions}/${hosts.projectId}/us-central1/requestPasswordReset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
        body: JSON.stringify({ data: { email: uniqueEmail('flood') } }),
        signal: AbortSignal.timeout(280_000),
      });
      return { status: res.status, body: (await res.json()) as { result?: unknown; error?: { status: string; details?: { retry_after_seconds?: number } } } };
    };
    for (let i = 0; i < 10; i++) expect(await call()).toMatchObject({ status: 200, body: { result: { accepted: true } } });
    const refused = await call();
    expect(refused).toMatchObject({ status: 429, body: { error: { status: 'RESOURCE_EXHAUSTED' } } });
    expect(refused.body.error?.details?.retry_after_seconds).toBeGreaterThan(3000);
  });
});
