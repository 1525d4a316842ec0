/**
 * Entitlements at the handler level: granted once with the payment however often Stripe repeats
 * it, revoked by a full refund, reduced by a partial one only where the offer prorates; session
 * credits used by Cal.com bookings and given back on cancellation (an unpaid booking flagged for
 * the coach); lesson progress only where the lesson plays; a guest's order joining the account, and
 * a guest's booking showing under the address only once it is proven.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Timestamp } from 'firebase-admin/firestore';
import {
  bookings,
  calBookings,
  domainEvents,
  entitlements,
  lessonAccess,
  lessonProgress,
  lessons,
  listMyEntitlements as listContract,
  manageBooking as manageContract,
  offers,
  orders,
  receipts,
  recordLessonProgress as progressContract,
  type OfferDoc,
} from '@zhengrowth/model';
import { adoptGuestOrders } from '../src/guests/adopt.js';
import { listMyEntitlements } from '../src/entitlements/list.js';
import { manageBooking } from '../src/registrations/manage.js';
import { recordLessonProgress } from '../src/entitlements/lessons.js';
import { buyer, checkout, put, seedOffer, seedSessionType, seedUser, testEnv, uniq, type Auth, type TestEnv } from './support/env.js';
import { calBooking, call, chargeRefunded, deliverCal, deliverStripe, inboxOf, refusal, sessionCompleted } from './support/flows.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv('entitlements');
});
afterAll(async () => {
  await env?.close();
});

async function offerWith(terms: Partial<OfferDoc>): Promise<string> {
  const id = await seedOffer(env.db, { price_minor: 10_000, currency: 'USD' });
  await env.db.doc(offers.docPath({ offerId: id })).set(terms, { merge: true });
  return id;
}

const orderOf = async (id: string) =>
  (
    await env.db
      .doc(orders.docPath({ orderId: id }))
      .withConverter(orders.converter)
      .get()
  ).data();
const bookingOf = async (id: string) =>
  (
    await env.db
      .doc(bookings.docPath({ bookingId: id }))
      .withConverter(bookings.converter)
      .get()
  ).data();

const entitlementOf = async (uid: string, orderId: string) =>
  (
    await env.db
      .doc(entitlements.docPath({ uid, entitlementId: `${orderId}-1` }))
      .withConverter(entitlements.converter)
      .get()
  ).data();
const passOf = async (uid: string, key: string) =>
  (
    await env.db
      .doc(lessonAccess.docPath({ uid, accessKey: key }))
      .withConverter(lessonAccess.converter)
      .get()
  ).data();

async function paidOrder(auth: Auth | null, offerId: string, extra: Record<string, unknown> = {}) {
  const res = await checkout(env.deps(), auth, { provider: 'stripe', items: [{ kind: 'offer', offer_id: offerId }], ...extra });
  const body = sessionCompleted(res);
  // Stripe delivers the same event more than once, sometimes concurrently.
  const outcomes = await Promise.all([deliverStripe(env, body), deliverStripe(env, body), deliverStripe(env, body)]);
  expect(outcomes.map((o) => o.body.outcome).sort()).toEqual(['applied', 'duplicate', 'duplicate']);
  return res;
}

describe('entitlements follow the order', () => {
  it('granted once under duplicate deliveries (credits, access until duration_weeks, lesson passes); revoked by a full refund', async () => {
    const auth = buyer();
    const module = uniq('mod-');
    const offerId = await offerWith({ sessions_included: 4, duration_weeks: 8, lesson_access: [`module:${module}`] });
    const res = await paidOrder(auth, offerId);
    const e = await entitlementOf(auth.uid, res.order_id);
    expect(e).toMatchObject({ status: 'active', sessions_total: 4, sessions_used: 0, lesson_access: [`module:${module}`], offer_id: offerId });
    expect((e?.expires_at?.toMillis() ?? 0) - (e?.starts_at.toMillis() ?? 0)).toBe(8 * 7 * 86_400_000);
    expect(await passOf(auth.uid, `module:${module}`)).toMatchObject({ active: true, expires_at: e?.expires_at });
    const listed = await call(listContract, listMyEntitlements, env.deps(), auth, {});
    expect(listed.entitlements).toEqual([expect.objectContaining({ id: `${res.order_id}-1`, active: true, sessions_left: 4 })]);
    // A second, later delivery of the payment (another event id) grants nothing more.
    await deliverStripe(env, sessionCompleted(res));
    expect((await entitlementOf(auth.uid, res.order_id))?.granted_at).toEqual(e?.granted_at);
    await deliverStripe(env, chargeRefunded(res, res.total_minor));
    expect(await entitlementOf(auth.uid, res.order_id)).toMatchObject({ status: 'revoked', sessions_total: 0 });
    expect(await passOf(auth.uid, `module:${module}`)).toMatchObject({ active: false, grants: {} });
    expect((await call(listContract, listMyEntitlements, env.deps(), auth, {})).entitlements[0]).toMatchObject({ active: false, sessions_left: 0 });
  });

  it('a partial refund keeps the grant, unless the offer prorates: then credits and access shrink in proportion', async () => {
    const keep = buyer();
    const keepRes = await paidOrder(keep, await offerWith({ sessions_included: 4, duration_weeks: 10 }));
    await deliverStripe(env, chargeRefunded(keepRes, 5000));
    expect(await entitlementOf(keep.uid, keepRes.order_id)).toMatchObject({ status: 'active', sessions_total: 4 });
    const pro = buyer();
    const proRes = await paidOrder(pro, await offerWith({ sessions_included: 4, duration_weeks: 10, partial_refund: 'prorate' }));
    await deliverStripe(env, chargeRefunded(proRes, 5000));
    const e = await entitlementOf(pro.uid, proRes.order_id);
    expect(e).toMatchObject({ status: 'reduced', sessions_total: 2 });
    expect((e?.expires_at?.toMillis() ?? 0) - (e?.starts_at.toMillis() ?? 0)).toBe(5 * 7 * 86_400_000);
  });
});

describe('session credits and Cal.com bookings', () => {
  it('a booking of a paid session type uses a credit; cancelling gives it back; without credits it is flagged for the coach', async () => {
    const client = buyer();
    await seedUser(env.db, client);
    const coach: Auth = { uid: uniq('coach'), token: { email: `${uniq('coach')}@zhengrowth.test`, email_verified: true, roles: ['coach'] } };
    await seedUser(env.db, coach);
    const eventTypeId = await seedSessionType(env.db, { price_minor: 15_000, currency: 'USD' });
    const res = await paidOrder(client, await offerWith({ sessions_included: 2, duration_weeks: 4 }));
    const uid1 = uniq('cal-');
    const booking = calBooking({ uid: uid1, email: String(client.token.email), eventTypeId, organizer: String(coach.token.email) });
    expect((await deliverCal(env, 'BOOKING_CREATED', booking)).status).toBe(200);
    expect((await entitlementOf(client.uid, res.order_id))?.sessions_used).toBe(1);
    const doc = async (uid: string) =>
      (
        await env.db
          .doc(calBookings.docPath({ calBookingDocId: `cal-${uid}` }))
          .withConverter(calBookings.converter)
          .get()
      ).data();
    expect(await doc(uid1)).toMatchObject({ credit_state: 'used', credit_entitlement_id: `${res.order_id}-1` });
    // The same delivery again uses nothing more; the cancellation gives the credit back, once.
    await deliverCal(env, 'BOOKING_CREATED', booking);
    expect((await entitlementOf(client.uid, res.order_id))?.sessions_used).toBe(1);
    const cancelled = new Date(Date.now() + 1000).toISOString();
    await deliverCal(env, 'BOOKING_CANCELLED', booking, cancelled);
    await deliverCal(env, 'BOOKING_CANCELLED', booking, cancelled);
    expect((await entitlementOf(client.uid, res.order_id))?.sessions_used).toBe(0);
    expect((await doc(uid1))?.credit_state).toBe('returned');
    // Two bookings use both credits; a third has none left and no payment: flagged, the coach told.
    for (const n of [2, 3])
      await deliverCal(
        env,
        'BOOKING_CREATED',
        calBooking({ uid: `${uid1}-${n}`, email: String(client.token.email), eventTypeId, organizer: String(coach.token.email) }),
      );
    expect((await entitlementOf(client.uid, res.order_id))?.sessions_used).toBe(2);
    await deliverCal(
      env,
      'BOOKING_CREATED',
      calBooking({ uid: `${uid1}-4`, email: String(client.token.email), eventTypeId, organizer: String(coach.token.email) }),
    );
    expect(await doc(`${uid1}-4`)).toMatchObject({ credit_state: 'unpaid', attention: 'booked without a session credit or a payment' });
    expect((await inboxOf(env.db, coach.uid)).map((i) => i.title)).toContain('Session booked without payment');
    // A free session type needs neither.
    const free = await seedSessionType(env.db, { price_minor: null, currency: null });
    await deliverCal(env, 'BOOKING_CREATED', calBooking({ uid: `${uid1}-5`, email: String(client.token.email), eventTypeId: free }));
    expect((await doc(`${uid1}-5`))?.credit_state ?? null).toBeNull();
  });
});

describe('lesson progress', () => {
  it('only for a lesson the user may play; never backwards; completed once with one lesson_completed event', async () => {
    const module = uniq('mod-');
    const lessonId = uniq('lesson-');
    await put(env.db.doc(lessons.docPath({ lessonId })).withConverter(lessons.converter), {
      slug: lessonId,
      title: 'Paid lesson',
      description: null,
      module_id: module,
      order: 1,
      duration_sec: 600,
      chapters: null,
      tags: [],
      published: true,
      paywall: true,
      created_at: Timestamp.now(),
      updated_at: null,
    });
    const auth = buyer();
    const record = (p: number) => call(progressContract, recordLessonProgress, env.deps(), auth, { lesson_id: lessonId, progress_percent: p });
    expect((await refusal(record(10))).code).toBe('permission-denied');
    await paidOrder(auth, await offerWith({ lesson_access: [`module:${module}`], duration_weeks: null }));
    expect(await record(40)).toMatchObject({ progress_percent: 40, completed: false, completion_date: null });
    expect((await record(20)).progress_percent).toBe(40);
    const done = await record(100);
    expect(done.completed).toBe(true);
    const again = await record(30);
    expect([again.progress_percent, again.completed, again.completion_date]).toEqual([100, true, done.completion_date]);
    const events = await env.db.collection(domainEvents.collectionPath({})).where('type', '==', 'lesson_completed').where('user_id', '==', auth.uid).get();
    expect(events.size).toBe(1);
    expect((await env.db.doc(lessonProgress.docPath({ uid: auth.uid, lessonId })).get()).get('progress_percent')).toBe(100);
  });
});

describe('guest checkout joins the account', () => {
  it('a guest order paid by the Stripe webhook joins the account that verifies that address: user, receipt, entitlements', async () => {
    const email = `${uniq('guest')}@example.com`;
    const offerId = await offerWith({ sessions_included: 3, duration_weeks: 4 });
    const res = await paidOrder(null, offerId, { customer_email: email, customer_name: 'Guest Buyer' });
    const order = (
      await env.db
        .doc(orders.docPath({ orderId: res.order_id }))
        .withConverter(orders.converter)
        .get()
    ).data();
    expect([order?.user_id, order?.customer_email, order?.status, order?.entitlement_state]).toEqual([null, email, 'paid', 'none']);
    expect(JSON.stringify(order?.metadata)).toMatch(/manage\?token=/);
    const uid = uniq('u');
    expect(await adoptGuestOrders({ db: env.db, now: () => new Date() }, uid, email)).toBe(1);
    expect(await adoptGuestOrders({ db: env.db, now: () => new Date() }, uniq('u'), email)).toBe(0);
    const joined = (
      await env.db
        .doc(orders.docPath({ orderId: res.order_id }))
        .withConverter(orders.converter)
        .get()
    ).data();
    expect([joined?.user_id, joined?.entitlement_state]).toEqual([uid, 'granted']);
    expect((await env.db.doc(receipts.docPath({ uid, receiptId: res.order_id })).get()).get('amount_minor')).toBe(res.total_minor);
    expect(await entitlementOf(uid, res.order_id)).toMatchObject({ status: 'active', sessions_total: 3 });
  });

  it("a guest's session booking shows under the address only once it is proven: by the order's manage link, or by an account that verified it", async () => {
    const typeId = await seedSessionType(env.db, { price_minor: 15_000, currency: 'USD' });
    const guestSession = async (email: string) => {
      const res = await checkout(env.deps(), null, {
        provider: 'stripe',
        items: [{ kind: 'session', event_type_id: typeId }],
        customer_email: email,
        customer_name: 'Guest',
      });
      return { res, booking: () => bookingOf(res.booking?.id ?? '') };
    };
    // Typed at a signed-out checkout, the address could be anybody's: the booking carries none yet.
    const byLink = `${uniq('guest')}@example.com`;
    const linked = await guestSession(byLink);
    expect(await linked.booking()).toMatchObject({ customer_email: '', user_id: null, order_id: linked.res.order_id });
    expect((await orderOf(linked.res.order_id))?.customer_email).toBe(byLink);
    const url = String(((await orderOf(linked.res.order_id))?.metadata as { manage_url?: string } | null)?.manage_url);
    const token = new URL(url).searchParams.get('token') ?? '';
    const viewed = await call(manageContract, manageBooking, env.deps(), null, { token });
    expect(viewed.order?.id).toBe(linked.res.order_id);
    expect((await linked.booking())?.customer_email).toBe(byLink);
    // A forged link proves nothing.
    const other = await guestSession(`${uniq('victim')}@example.com`);
    expect((await refusal(call(manageContract, manageBooking, env.deps(), null, { token: `${token.slice(0, -2)}xx` }))).code).toBe('permission-denied');
    expect((await other.booking())?.customer_email).toBe('');
    // The account that verifies the address adopts the order, and the booking shows for it.
    const uid = uniq('u');
    expect(await adoptGuestOrders({ db: env.db, now: () => new Date() }, uid, (await orderOf(other.res.order_id))?.customer_email ?? '')).toBe(1);
    expect(await other.booking()).toMatchObject({ user_id: uid, customer_email: (await orderOf(other.res.order_id))?.customer_email });
  });
});
