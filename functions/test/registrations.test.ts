/**
 * Event registration end to end at the handler level: the race for the last seats, the waitlist in
 * order, cancellation promoting the first in line (free: at once; paid: an order holding the seat
 * and a Stripe link), guests and the signed manage link, check-in once, the attendee list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cancelRegistration as cancelContract,
  checkIn as checkInContract,
  eventRegistrations,
  events,
  listAttendees as listContract,
  manageBooking as manageContract,
  orders,
  registerForEvent as registerContract,
} from '@zhengrowth/model';
import { cancelRegistration } from '../src/registrations/cancel.js';
import { checkIn, listAttendees } from '../src/registrations/checkin.js';
import { manageBooking } from '../src/registrations/manage.js';
import { registerForEvent } from '../src/registrations/register.js';
import { expireStaleOrders } from '../src/payments/expire.js';
import { fillFromWaitlist } from '../src/registrations/promote.js';
import { buyer, checkout, seedEvent, testEnv, uniq, type Auth, type TestEnv } from './support/env.js';
import { call, inboxOf, queuedEmails, refusal } from './support/flows.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv('registrations');
});
afterAll(async () => {
  await env?.close();
});

const register = (auth: Auth | null, data: Record<string, unknown>) => call(registerContract, registerForEvent, env.deps(), auth, data);
const coach = (): Auth => ({ uid: uniq('coach'), token: { email: 'coach@zhengrowth.test', email_verified: true, roles: ['coach'] } });
const eventDoc = async (eventId: string) => (await env.db.doc(events.docPath({ eventId })).withConverter(events.converter).get()).data();
const regDoc = async (eventId: string, registrationId: string) =>
  (await env.db.doc(eventRegistrations.docPath({ eventId, registrationId })).withConverter(eventRegistrations.converter).get()).data();

describe('registerForEvent and the waitlist', () => {
  it(
    '30 people for 20 seats at once: 20 registered, 10 waitlisted at positions 1..10 in ticket order, never beyond capacity',
    { timeout: 600_000 },
    async () => {
      const { eventId } = await seedEvent(env.db, { capacity: 20, prices: [] });
      const people = Array.from({ length: 30 }, () => buyer());
      const results = await Promise.all(people.map((p) => register(p, { event_id: eventId })));
      const registered = results.filter((r) => r.registration.status === 'registered');
      const waitlisted = results.filter((r) => r.registration.status === 'waitlisted');
      expect([registered.length, waitlisted.length]).toEqual([20, 10]);
      const e = await eventDoc(eventId);
      expect([e?.registered_count, e?.waitlist_seq]).toEqual([20, 10]);
      // The positions are the order of the tickets, 1 to 10, each once.
      const seqs = await Promise.all(waitlisted.map(async (w) => (await regDoc(eventId, w.registration.id))?.waitlist_seq ?? -1));
      const bySeq = waitlisted.map((w, i) => ({ seq: seqs[i] ?? -1, position: w.registration.waitlist_position })).sort((a, b) => a.seq - b.seq);
      expect(bySeq.map((x) => x.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      // Each was told its place when it joined: the ticket's place in the line, and the attendee list agrees.
      const list = await call(listContract, listAttendees, env.deps(), coach(), { event_id: eventId, status: 'waitlisted', limit: 50 });
      expect(list.counts).toEqual({ registered: 20, waitlisted: 10, checked_in: 0 });
      expect(list.attendees.map((a) => a.waitlist_position).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      // Registering again finds the same registration.
      const again = await register(people[0] as Auth, { event_id: eventId });
      expect(again.existing).toBe(true);
      expect((await eventDoc(eventId))?.registered_count).toBe(20);
    },
  );

  it('cancel → the first waitlisted person gets the seat (inbox and e-mail); the seat count never moves past capacity', async () => {
    const { eventId } = await seedEvent(env.db, { capacity: 1, prices: [] });
    const [a, b, c] = [buyer(), buyer(), buyer()];
    const ra = await register(a, { event_id: eventId });
    const rb = await register(b, { event_id: eventId });
    const rc = await register(c, { event_id: eventId });
    expect([ra.registration.status, rb.registration.waitlist_position, rc.registration.waitlist_position]).toEqual(['registered', 1, 2]);
    // Someone else cannot cancel A's registration.
    expect((await refusal(call(cancelContract, cancelRegistration, env.deps(), b, { event_id: eventId, registration_id: ra.registration.id }))).code).toBe(
      'not-found',
    );
    const out = await call(cancelContract, cancelRegistration, env.deps(), a, { event_id: eventId, registration_id: ra.registration.id });
    expect(out.registration.status).toBe('cancelled');
    expect(out.promoted).toEqual({ registration_id: rb.registration.id, status: 'registered', order_id: null });
    expect((await regDoc(eventId, rb.registration.id))?.status).toBe('registered');
    expect((await eventDoc(eventId))?.registered_count).toBe(1);
    expect((await inboxOf(env.db, b.uid)).map((i) => i.title)).toContain('You got a seat');
    expect((await queuedEmails(env.db, String(b.token.email))).map((m) => m.template)).toContain('event_waitlist_promoted');
    // C moved up to first in line.
    const list = await call(listContract, listAttendees, env.deps(), coach(), { event_id: eventId, limit: 10 });
    expect(list.attendees.find((x) => x.id === rc.registration.id)?.waitlist_position).toBe(1);
    // Cancelling again changes nothing.
    const twice = await call(cancelContract, cancelRegistration, env.deps(), a, { event_id: eventId, registration_id: ra.registration.id });
    expect(twice.promoted).toBeNull();
    expect((await eventDoc(eventId))?.registered_count).toBe(1);
  });

  it('a paid event: full → waitlist for a price; when the held seat expires, the first in line gets an order holding the seat and a Stripe link by e-mail', async () => {
    const { eventId, priceIds } = await seedEvent(env.db, { capacity: 1, prices: [{ currency: 'USD', amount_minor: 3000 }] });
    expect((await refusal(register(buyer(), { event_id: eventId }))).message).toMatch(/createCheckout/);
    const holder = await checkout(env.deps({ checkoutTtlMinutes: 30 }), buyer(), { provider: 'stripe', items: [{ kind: 'event_ticket', event_id: eventId }] });
    const w = buyer();
    const waiting = await register(w, { event_id: eventId, price_id: priceIds[0] });
    expect(waiting.registration.status).toBe('waitlisted');
    // The holder never pays: the sweep expires the checkout and the seat goes to the waitlist.
    const later = () => new Date(Date.now() + 3 * 3_600_000);
    const report = await expireStaleOrders({ db: env.db, now: later });
    expect(report.freedEvents).toContain(eventId);
    expect(await fillFromWaitlist(env.deps({ now: later }), eventId)).toBe(1);
    const reg = await regDoc(eventId, waiting.registration.id);
    expect([reg?.status, reg?.payment_status]).toEqual(['reserved', 'pending']);
    const order = (
      await env.db
        .doc(orders.docPath({ orderId: reg?.order_id ?? 'x' }))
        .withConverter(orders.converter)
        .get()
    ).data();
    expect([order?.status, order?.total_minor, order?.capacity_state, order?.checkout_url]).toEqual([
      'pending',
      3000,
      'reserved',
      expect.stringMatching(/^https:\/\/checkout\.stripe\.test\//),
    ]);
    expect((await eventDoc(eventId))?.registered_count).toBe(1);
    const mail = (await queuedEmails(env.db, String(w.token.email))).find((m) => m.template === 'event_waitlist_offer');
    expect(mail?.variables).toMatchObject({ checkout_url: order?.checkout_url, amount: '30.00 USD' });
    expect(holder.status).toBe('pending');
  });
});

describe('guests, the manage link and check-in', () => {
  it('a guest registers with e-mail and name; the e-mail carries a manage link that views and cancels without signing in; a forged one is refused', async () => {
    const { eventId } = await seedEvent(env.db, { capacity: 5, prices: [] });
    expect((await refusal(register(null, { event_id: eventId }))).message).toMatch(/^customer_email/);
    const email = `${uniq('guest')}@example.com`;
    const r = await register(null, { event_id: eventId, customer_email: `  ${email.toUpperCase()} `, customer_name: '陳淑芬' });
    expect(r.registration).toMatchObject({ status: 'registered', attendee_email: email, attendee_name: '陳淑芬' });
    expect((await regDoc(eventId, r.registration.id))?.user_id).toBeNull();
    const mail = (await queuedEmails(env.db, email)).find((m) => m.template === 'event_registration');
    const vars = mail?.variables as { manage_url: string; checkin_token: string };
    const token = new URL(vars.manage_url).searchParams.get('token') ?? '';
    const view = await call(manageContract, manageBooking, env.deps(), null, { token });
    expect(view.registration?.id).toBe(r.registration.id);
    // A check-in token is not a manage token, and a changed one is refused.
    expect((await refusal(call(manageContract, manageBooking, env.deps(), null, { token: vars.checkin_token }))).code).toBe('permission-denied');
    expect((await refusal(call(manageContract, manageBooking, env.deps(), null, { token: `${token.slice(0, -2)}xx` }))).code).toBe('permission-denied');
    const cancelled = await call(manageContract, manageBooking, env.deps(), null, { token, action: 'cancel' });
    expect(cancelled.registration?.status).toBe('cancelled');
    expect((await eventDoc(eventId))?.registered_count).toBe(0);
  });

  it('check-in once (by id or QR token): a second scan says when; waitlisted people and clients cannot; counts follow', async () => {
    const { eventId } = await seedEvent(env.db, { capacity: 1, prices: [] });
    const a = buyer();
    const ra = await register(a, { event_id: eventId });
    const rb = await register(buyer(), { event_id: eventId });
    const staff = coach();
    expect((await refusal(call(checkInContract, checkIn, env.deps(), a, { event_id: eventId, registration_id: ra.registration.id }))).code).toBe(
      'permission-denied',
    );
    const first = await call(checkInContract, checkIn, env.deps(), staff, { event_id: eventId, registration_id: ra.registration.id });
    expect(first.already_checked_in).toBe(false);
    const token = ((await queuedEmails(env.db, String(a.token.email))).find((m) => m.template === 'event_registration')?.variables as { checkin_token: string })
      .checkin_token;
    const second = await call(checkInContract, checkIn, env.deps(), staff, { token });
    expect(second.already_checked_in).toBe(true);
    expect(second.registration.checked_in_at).toBe(first.registration.checked_in_at);
    // Attendance is the check-in (not the registration): one event_attended for the two scans.
    const attended = await env.db.collection('domain_events').where('type', '==', 'event_attended').where('user_id', '==', a.uid).get();
    expect(attended.docs.map((d) => d.get('subject_id') as unknown)).toEqual([`${eventId}:${ra.registration.id}`]);
    expect((await refusal(call(checkInContract, checkIn, env.deps(), staff, { event_id: eventId, registration_id: rb.registration.id }))).message).toMatch(
      /waitlisted/,
    );
    const list = await call(listContract, listAttendees, env.deps(), staff, { event_id: eventId, limit: 1 });
    expect(list.counts).toEqual({ registered: 1, waitlisted: 1, checked_in: 1 });
    expect(list.attendees).toHaveLength(1);
    const next = await call(listContract, listAttendees, env.deps(), staff, { event_id: eventId, limit: 1, page_token: list.next_page_token ?? undefined });
    expect(next.attendees[0]?.id).not.toBe(list.attendees[0]?.id);
  });
});
