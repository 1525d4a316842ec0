/**
 * The Cal.com webhook handler against the Firestore emulator: every trigger, reschedules that move
 * the coaching session, cancellations before creations, paid bookings linked by booking_token,
 * users linked by attendee email, duplicates, signatures.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { bookings, calBookings, emailQueue, inbox, sessions } from '@zhengrowth/model';
import { calEventId, handleCalWebhook } from '../src/webhooks/cal.js';
import { runWebhook, type WebhookResponse } from '../src/core/webhook-delivery.js';
import { buyer, checkout, put, seedSessionType, seedUser, testEnv, TEST_SECRETS, uniq, type Auth, type TestEnv } from './support/env.js';
import { deliveryRecord } from './support/scenario.js';
import { calSignature, fixture, fixtureNames } from './support/signing.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv('cal-wh');
});
afterAll(async () => {
  await env?.close();
});

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

interface Booking {
  uid: string;
  bookingId: number;
  start: number;
  email: string;
  token?: string;
}

function newBooking(email: string, startInHours = 48): Booking {
  return { uid: uniq('uid'), bookingId: 1 + Math.floor(Math.random() * 2_000_000_000), start: Date.now() + startInHours * HOUR, email };
}

function body(trigger: string, b: Booking, createdAt: number, over: Record<string, string | number> = {}): string {
  return fixture('cal', trigger, {
    uid: b.uid,
    booking_id: b.bookingId,
    start: iso(b.start),
    end: iso(b.start + HOUR),
    created_at: iso(createdAt),
    email: b.email,
    name: 'Test Client',
    booking_token: b.token ?? 'no-token',
    event_type_id: 4242,
    reschedule_uid: 'none',
    reschedule_id: 0,
    reschedule_start: iso(b.start),
    reschedule_end: iso(b.start + HOUR),
    ...over,
  });
}

function deliver(raw: string, opts: { secret?: string; signature?: string | null } = {}): Promise<WebhookResponse> {
  const signature = opts.signature === undefined ? calSignature(raw, opts.secret ?? TEST_SECRETS.cal) : opts.signature;
  return runWebhook(
    'calWebhook',
    handleCalWebhook,
    { rawBody: Buffer.from(raw), header: (h) => (h.toLowerCase() === 'x-cal-signature-256' ? (signature ?? undefined) : undefined) },
    env.webhookDeps(TEST_SECRETS.cal),
  );
}

const calDoc = async (uid: string) =>
  (
    await env.db
      .doc(calBookings.docPath({ calBookingDocId: `cal-${uid}` }))
      .withConverter(calBookings.converter)
      .get()
  ).data();
const sessionDoc = async (uid: string, sessionId: string) =>
  (await env.db.doc(sessions.docPath({ uid, sessionId })).withConverter(sessions.converter).get()).data();
const sessionsOf = async (uid: string) =>
  (await env.db.collection(sessions.collectionPath({ uid })).withConverter(sessions.converter).get()).docs.map((d) => ({ id: d.id, ...d.data() }));
const inboxOf = async (uid: string) => (await env.db.collection(inbox.collectionPath({ uid })).withConverter(inbox.converter).get()).docs.map((d) => d.data());
const email = async (id: string) =>
  (
    await env.db
      .doc(emailQueue.docPath({ emailId: id }))
      .withConverter(emailQueue.converter)
      .get()
  ).data();

async function client(): Promise<Auth> {
  const a = buyer(`${uniq('client')}@example.com`);
  await seedUser(env.db, a);
  return a;
}

/** What each trigger does to a booking seen for the first time (the attendee is a known user). */
const expectations: Record<string, { outcome: 'applied' | 'ignored'; status: string | null; session: string | null; notice: string | null }> = {
  BOOKING_CREATED: { outcome: 'applied', status: 'confirmed', session: 'scheduled', notice: 'Session confirmed' },
  BOOKING_REQUESTED: { outcome: 'applied', status: 'pending', session: null, notice: 'Session requested' },
  BOOKING_REJECTED: { outcome: 'applied', status: 'rejected', session: null, notice: 'Session declined' },
  BOOKING_RESCHEDULED: { outcome: 'applied', status: 'confirmed', session: 'scheduled', notice: 'Session moved' },
  BOOKING_CANCELLED: { outcome: 'applied', status: 'cancelled', session: null, notice: 'Session cancelled' },
  BOOKING_PAID: { outcome: 'applied', status: 'confirmed', session: 'scheduled', notice: 'Session confirmed' },
  BOOKING_PAYMENT_INITIATED: { outcome: 'applied', status: 'awaiting_payment', session: null, notice: 'Payment pending' },
  BOOKING_NO_SHOW_UPDATED: { outcome: 'applied', status: null, session: null, notice: null },
  MEETING_ENDED: { outcome: 'applied', status: 'completed', session: 'completed', notice: null },
  MEETING_STARTED: { outcome: 'ignored', status: null, session: null, notice: null },
};

describe('every Cal.com trigger, signed', () => {
  it('has a fixture for each expectation', () => {
    expect(fixtureNames('cal')).toEqual(Object.keys(expectations).sort());
  });

  test.each(Object.keys(expectations))('%s', async (trigger) => {
    const who = await client();
    const b = newBooking(String(who.token.email));
    const original = newBooking(b.email);
    const createdAt = Date.now();
    const raw = body(trigger, b, createdAt, { reschedule_uid: original.uid });
    const res = await deliver(raw);
    const want = expectations[trigger]!;
    expect(res).toEqual({ status: 200, body: { received: true, outcome: want.outcome, type: trigger } });
    expect((await deliveryRecord(env.db, `cal:${calEventId(trigger, b.uid, iso(createdAt))}`))?.outcome).toBe(want.outcome);
    const doc = await calDoc(b.uid);
    if (want.outcome === 'ignored') {
      expect(doc).toBeUndefined();
      return;
    }
    expect(doc).toMatchObject({ status: want.status, cal_booking_id: b.bookingId, cal_uid: b.uid, user_id: who.uid, attendee_email: b.email });
    const sessionsNow = await sessionsOf(who.uid);
    if (want.session) {
      expect(sessionsNow).toEqual([expect.objectContaining({ status: want.session, cal_booking_id: b.bookingId })]);
    } else {
      expect(sessionsNow).toEqual([]);
    }
    const notices = await inboxOf(who.uid);
    expect(notices.map((n) => n.title)).toEqual(want.notice ? [want.notice] : []);
    if (trigger === 'BOOKING_NO_SHOW_UPDATED') expect(doc).toMatchObject({ no_show: true, last_event_at: null });
    if (trigger === 'BOOKING_CREATED') {
      expect(doc).toMatchObject({ meeting_url: `https://meet.zhengrowth.test/${b.uid}`, event_id: 4242 });
      expect(doc?.start_time.toMillis()).toBe(b.start);
      expect(await email(`cal-${b.uid}-confirmed`)).toMatchObject({ to_email: b.email, template_slug: 'booking_confirmation', status: 'pending' });
    }
    if (trigger === 'BOOKING_RESCHEDULED') {
      expect(doc?.rescheduled_from).toBe(`cal-${original.uid}`);
      expect(await calDoc(original.uid)).toMatchObject({ status: 'rescheduled', rescheduled_to: `cal-${b.uid}` });
    }
  });
});

describe('reschedules', () => {
  it('the original ends rescheduled and points at its successor; the session moves rather than duplicates', async () => {
    const who = await client();
    const a = newBooking(String(who.token.email), 24);
    const t = Date.now();
    await deliver(body('BOOKING_CREATED', a, t));
    const [session] = await sessionsOf(who.uid);
    expect(session).toMatchObject({ id: `cal-${a.uid}`, status: 'scheduled', cal_booking_id: a.bookingId });

    const b = newBooking(a.email, 72);
    await deliver(body('BOOKING_RESCHEDULED', b, t + 1000, { reschedule_uid: a.uid, reschedule_id: a.bookingId }));
    expect(await calDoc(a.uid)).toMatchObject({ status: 'rescheduled', rescheduled_to: `cal-${b.uid}` });
    expect(await calDoc(b.uid)).toMatchObject({ status: 'confirmed', rescheduled_from: `cal-${a.uid}`, session_id: `cal-${a.uid}` });
    const after = await sessionsOf(who.uid);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: `cal-${a.uid}`, status: 'scheduled', cal_booking_id: b.bookingId, booking_id: `cal-${b.uid}` });
    expect(after[0]?.session_date.toMillis()).toBe(b.start);

    // Rescheduled again: still the one session.
    const c = newBooking(a.email, 96);
    await deliver(body('BOOKING_RESCHEDULED', c, t + 2000, { reschedule_uid: b.uid, reschedule_id: b.bookingId }));
    const again = await sessionsOf(who.uid);
    expect(again).toHaveLength(1);
    expect(again[0]?.session_date.toMillis()).toBe(c.start);

    // A late delivery for the original changes neither it nor the session.
    await deliver(body('BOOKING_CREATED', a, t - 5000));
    expect((await calDoc(a.uid))?.status).toBe('rescheduled');
    expect((await sessionsOf(who.uid))[0]?.session_date.toMillis()).toBe(c.start);
    const titles = (await inboxOf(who.uid)).map((n) => n.title).sort();
    expect(titles).toEqual(['Session confirmed', 'Session moved', 'Session moved']);
  });

  it('a reschedule whose original was never seen still links both and creates one session', async () => {
    const who = await client();
    const a = newBooking(String(who.token.email));
    const b = newBooking(a.email, 100);
    await deliver(body('BOOKING_RESCHEDULED', b, Date.now(), { reschedule_uid: a.uid, reschedule_start: iso(a.start) }));
    const orig = await calDoc(a.uid);
    expect(orig).toMatchObject({ status: 'rescheduled', rescheduled_to: `cal-${b.uid}`, last_event_at: null });
    expect(orig?.start_time.toMillis()).toBe(a.start);
    // The original's own creation arrives late: it fills in its data but stays rescheduled.
    await deliver(body('BOOKING_CREATED', a, Date.now() - 60_000));
    expect(await calDoc(a.uid)).toMatchObject({ status: 'rescheduled', cal_booking_id: a.bookingId, meeting_url: `https://meet.zhengrowth.test/${a.uid}` });
    expect(await sessionsOf(who.uid)).toHaveLength(1);
  });
});

describe('out of order', () => {
  it('a cancellation that arrives before the creation still ends cancelled, with no session', async () => {
    const who = await client();
    const b = newBooking(String(who.token.email));
    const t = Date.now();
    await deliver(body('BOOKING_CANCELLED', b, t + 5000));
    await deliver(body('BOOKING_CREATED', b, t));
    expect((await calDoc(b.uid))?.status).toBe('cancelled');
    expect(await sessionsOf(who.uid)).toEqual([]);
    expect(await email(`cal-${b.uid}-confirmed`)).toBeUndefined();
  });

  it('created, cancelled: the session is cancelled; a late request or payment does not revive it', async () => {
    const who = await client();
    const b = newBooking(String(who.token.email));
    const t = Date.now();
    await deliver(body('BOOKING_CREATED', b, t));
    await deliver(body('BOOKING_CANCELLED', b, t + 1000));
    await deliver(body('BOOKING_PAID', b, t + 500));
    await deliver(body('BOOKING_REQUESTED', b, t - 1000));
    expect((await calDoc(b.uid))?.status).toBe('cancelled');
    expect(await sessionsOf(who.uid)).toEqual([expect.objectContaining({ status: 'cancelled' })]);
  });

  it('booking data follows the newest delivery: a late one does not move the time back', async () => {
    const who = await client();
    const b = newBooking(String(who.token.email));
    const t = Date.now();
    await deliver(body('BOOKING_PAID', b, t + 1000, { start: iso(b.start + 2 * HOUR), end: iso(b.start + 3 * HOUR) }));
    await deliver(body('BOOKING_CREATED', b, t));
    expect((await calDoc(b.uid))?.start_time.toMillis()).toBe(b.start + 2 * HOUR);
  });

  it('meeting ended, then marked no-show: the session says so', async () => {
    const who = await client();
    const b = newBooking(String(who.token.email), -2);
    const t = Date.now();
    await deliver(body('BOOKING_CREATED', b, t - 10_000));
    await deliver(body('MEETING_ENDED', b, t - 5000));
    await deliver(body('BOOKING_NO_SHOW_UPDATED', b, t));
    expect(await calDoc(b.uid)).toMatchObject({ status: 'completed', no_show: true });
    expect(await sessionsOf(who.uid)).toEqual([expect.objectContaining({ status: 'no_show' })]);
  });
});

describe('documents the model cannot read (placed past the rules)', () => {
  it('a session with action items the model cannot read is left alone; the booking still moves', async () => {
    const who = await client();
    const b = newBooking(String(who.token.email));
    const t = Date.now();
    await deliver(body('BOOKING_CREATED', b, t));
    const ref = env.db.doc(sessions.docPath({ uid: who.uid, sessionId: `cal-${b.uid}` }));
    await ref.update({ action_items: [42, { at: Timestamp.now() }], notes: 'the coach’s notes' });
    const res = await deliver(body('BOOKING_CANCELLED', b, t + 1000));
    expect(res.status).toBe(200);
    expect((await calDoc(b.uid))?.status).toBe('cancelled');
    // Not rewritten (the notes and what the coach wrote stay), not read through the converter.
    expect((await ref.get()).data()).toMatchObject({
      status: 'scheduled',
      notes: 'the coach’s notes',
      action_items: [42, { at: expect.anything() as unknown }],
    });
  });

  it('a booking document the model cannot read is rebuilt from the delivery', async () => {
    const who = await client();
    const b = newBooking(String(who.token.email));
    await env.db.doc(calBookings.docPath({ calBookingDocId: `cal-${b.uid}` })).set({ status: 42, attendee_email: null });
    const res = await deliver(body('BOOKING_CREATED', b, Date.now()));
    expect(res.status).toBe(200);
    expect(await calDoc(b.uid)).toMatchObject({ status: 'confirmed', attendee_email: String(who.token.email).toLowerCase(), user_id: who.uid });
  });
});

describe('links', () => {
  it('a paid booking is linked through the booking_token in the responses, and follows a reschedule', async () => {
    const who = buyer(`${uniq('payer')}@example.com`);
    await seedUser(env.db, who);
    const typeId = await seedSessionType(env.db, { price_minor: 12000, currency: 'USD' });
    const res = await checkout(env.deps(), who, { provider: 'stripe', items: [{ kind: 'session', event_type_id: typeId }] });
    const token = res.booking!.booking_token;
    const a = { ...newBooking(String(who.token.email)), token };
    await deliver(body('BOOKING_CREATED', a, Date.now()));
    const paidRow = async () =>
      (
        await env.db
          .doc(bookings.docPath({ bookingId: res.booking!.id }))
          .withConverter(bookings.converter)
          .get()
      ).data();
    expect(await paidRow()).toMatchObject({ cal_booking_id: a.bookingId, cal_uid: a.uid, cal_status: 'confirmed', user_id: who.uid, status: 'pending' });
    expect((await calDoc(a.uid))?.booking_id).toBe(res.booking!.id);
    // The reschedule carries no token: the link comes from the original.
    const b = { ...newBooking(a.email, 90), token: 'absent' };
    await deliver(body('BOOKING_RESCHEDULED', b, Date.now() + 1000, { reschedule_uid: a.uid }));
    expect(await paidRow()).toMatchObject({ cal_booking_id: b.bookingId, cal_uid: b.uid, cal_status: 'confirmed' });
  });

  it('a token in the booking metadata works too; an attendee without an account gets no session but an email', async () => {
    const stranger = `${uniq('guest')}@example.com`;
    const b = newBooking(stranger);
    const raw = body('BOOKING_CREATED', b, Date.now()).replace('"metadata": {', '"metadata": {"booking_token": "metadata-token", ');
    expect((await deliver(raw)).status).toBe(200);
    expect(await calDoc(b.uid)).toMatchObject({ user_id: null, status: 'confirmed', session_id: null });
    expect(await email(`cal-${b.uid}-confirmed`)).toMatchObject({ to_email: stranger });
  });

  it('the attendee is matched to a user whose email differs only in case', async () => {
    const who = await client();
    const b = newBooking(String(who.token.email).toUpperCase());
    await deliver(body('BOOKING_CREATED', b, Date.now()));
    expect((await calDoc(b.uid))?.user_id).toBe(who.uid);
    // Stored lower-case, so that the rules' match on the token's e-mail finds it.
    expect((await calDoc(b.uid))?.attendee_email).toBe(String(who.token.email).toLowerCase());
  });

  it('a migrated booking (its own document id) is updated in place, found by its Cal.com booking id', async () => {
    const who = await client();
    const b = newBooking(String(who.token.email));
    const migratedId = uniq('migrated-');
    await put(env.db.doc(calBookings.docPath({ calBookingDocId: migratedId })).withConverter(calBookings.converter), {
      cal_booking_id: b.bookingId,
      event_id: 4242,
      user_id: who.uid,
      attendee_email: b.email,
      attendee_name: 'Test Client',
      start_time: Timestamp.fromMillis(b.start),
      end_time: null,
      status: 'confirmed',
      meeting_url: null,
      metadata: {},
      created_at: Timestamp.now(),
      updated_at: null,
    });
    await deliver(body('BOOKING_CANCELLED', b, Date.now()));
    const migrated = (
      await env.db
        .doc(calBookings.docPath({ calBookingDocId: migratedId }))
        .withConverter(calBookings.converter)
        .get()
    ).data();
    expect(migrated?.status).toBe('cancelled');
    expect(await calDoc(b.uid)).toBeUndefined();
  });

  it('a reschedule of a migrated booking finds the original by its Cal.com booking id (rescheduleId)', async () => {
    const who = await client();
    const a = newBooking(String(who.token.email));
    const migratedId = uniq('migrated-');
    await put(env.db.doc(calBookings.docPath({ calBookingDocId: migratedId })).withConverter(calBookings.converter), {
      cal_booking_id: a.bookingId,
      event_id: 4242,
      user_id: who.uid,
      attendee_email: a.email,
      attendee_name: null,
      start_time: Timestamp.fromMillis(a.start),
      end_time: null,
      status: 'confirmed',
      meeting_url: null,
      metadata: {},
      created_at: Timestamp.now(),
      updated_at: null,
    });
    const b = newBooking(a.email, 80);
    await deliver(body('BOOKING_RESCHEDULED', b, Date.now(), { reschedule_uid: a.uid, reschedule_id: a.bookingId }));
    const orig = (
      await env.db
        .doc(calBookings.docPath({ calBookingDocId: migratedId }))
        .withConverter(calBookings.converter)
        .get()
    ).data();
    expect(orig).toMatchObject({ status: 'rescheduled', rescheduled_to: `cal-${b.uid}` });
    expect(await calDoc(b.uid)).toMatchObject({ rescheduled_from: migratedId, status: 'confirmed' });
    expect(await calDoc(a.uid)).toBeUndefined();
  });
});

describe('exactly once', () => {
  it('duplicates, sequential and 20 at once: one notice, one session', async () => {
    const who = await client();
    const b = newBooking(String(who.token.email));
    const raw = body('BOOKING_CREATED', b, Date.now());
    expect((await deliver(raw)).body.outcome).toBe('applied');
    expect((await deliver(raw)).body.outcome).toBe('duplicate');
    const c = newBooking(b.email);
    const raw2 = body('BOOKING_CREATED', c, Date.now());
    const all = await Promise.all(Array.from({ length: 20 }, () => deliver(raw2)));
    expect(all.every((r) => r.status === 200)).toBe(true);
    expect(all.filter((r) => r.body.outcome === 'applied')).toHaveLength(1);
    expect(await inboxOf(who.uid)).toHaveLength(2);
    expect(await sessionsOf(who.uid)).toHaveLength(2);
    expect(await sessionDoc(who.uid, `cal-${c.uid}`)).toMatchObject({ status: 'scheduled' });
  }, 120_000);
});

describe('refused deliveries write nothing', () => {
  it('missing and wrong signatures, a tampered body, malformed JSON, unexpected shapes', async () => {
    const who = await client();
    const b = newBooking(String(who.token.email));
    const raw = body('BOOKING_CREATED', b, Date.now());
    expect((await deliver(raw, { signature: null })).body.error).toBe('missing X-Cal-Signature-256 header');
    expect((await deliver(raw, { secret: 'other' })).body.error).toBe('invalid X-Cal-Signature-256');
    expect((await deliver(raw.replace(b.email, 'evil@example.com'), { signature: calSignature(raw, TEST_SECRETS.cal) })).body.error).toBe(
      'invalid X-Cal-Signature-256',
    );
    expect((await deliver('{"triggerEvent": "BOOKING_CREATED", ')).body.error).toBe('malformed JSON');
    expect((await deliver('{"hello": "world"}')).body.error).toBe('not a Cal.com webhook payload');
    expect((await deliver(raw.replace(/"startTime": "[^"]+"/, '"startTime": "next tuesday"'))).body.error).toMatch(/^unexpected BOOKING_CREATED payload/);
    expect(await calDoc(b.uid)).toBeUndefined();
    expect(await inboxOf(who.uid)).toEqual([]);
  });
});
