/**
 * The Stripe webhook handler against the Firestore emulator, with bodies signed by the stripe
 * library: every event type, duplicates, out-of-order pairs, signatures, malformed bodies.
 */
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { orders } from '@zhengrowth/model';
import { runWebhook, type WebhookResponse } from '../src/core/webhook-delivery.js';
import { handleStripeWebhook } from '../src/webhooks/stripe.js';
import { testEnv, TEST_SECRETS, uniq, type TestEnv } from './support/env.js';
import { deliveryRecord, paymentDoc, pendingOrder, readState, type Scenario } from './support/scenario.js';
import { fixture, fixtureNames, stripeSignature } from './support/signing.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv('stripe-wh');
});
afterAll(async () => {
  await env?.close();
});

const nowSec = () => Math.floor(Date.now() / 1000);

/** The event_registered domain events of an event's registrations. */
async function registeredEvents(eventId: string): Promise<Array<{ user_id: unknown; registration_id: unknown }>> {
  const snap = await env.db.collection('domain_events').where('type', '==', 'event_registered').get();
  return snap.docs
    .filter((d) => String(d.get('subject_id')).startsWith(`${eventId}:`))
    .map((d) => ({ user_id: d.get('user_id') as unknown, registration_id: d.get('data.registration_id') as unknown }));
}

function values(s: Scenario, over: Record<string, string | number | boolean> = {}): Record<string, string | number> {
  const v: Record<string, string | number | boolean> = {
    event_id: uniq('evt_'),
    order_id: s.orderId,
    order_number: s.res.order_number,
    session_id: s.res.stripe?.session_id ?? 'cs_none',
    payment_intent: `pi_${s.orderId}`,
    charge_id: `ch_${s.orderId}`,
    amount: s.res.total_minor,
    refunded: s.res.total_minor,
    fully_refunded: true,
    currency: s.res.currency.toLowerCase(),
    created: nowSec(),
    expires: nowSec() + 3600,
    ...over,
  };
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'boolean' ? String(x) : x]));
}

function deliver(body: string, opts: { secret?: string; timestamp?: number; signature?: string | null } = {}): Promise<WebhookResponse> {
  const signature = opts.signature === undefined ? stripeSignature(body, opts.secret ?? TEST_SECRETS.stripe, opts.timestamp) : opts.signature;
  return runWebhook(
    'stripeWebhook',
    handleStripeWebhook,
    { rawBody: Buffer.from(body), header: (h) => (h.toLowerCase() === 'stripe-signature' ? (signature ?? undefined) : undefined) },
    env.webhookDeps(TEST_SECRETS.stripe),
  );
}

const event = (name: string, s: Scenario, over: Record<string, string | number | boolean> = {}) => {
  const v = values(s, over);
  return { body: fixture('stripe', name, v), id: String(v.event_id) };
};

/** What each fixture does to a pending order with a ticket and a coupon. */
const expectations: Record<
  string,
  { outcome: 'applied' | 'ignored'; status: string; seats: number; uses: number; reserved: number; registration: string; paid: boolean }
> = {
  'checkout.session.completed': { outcome: 'applied', status: 'paid', seats: 1, uses: 1, reserved: 0, registration: 'registered/paid', paid: true },
  'checkout.session.async_payment_succeeded': {
    outcome: 'applied',
    status: 'paid',
    seats: 1,
    uses: 1,
    reserved: 0,
    registration: 'registered/paid',
    paid: true,
  },
  'checkout.session.async_payment_failed': {
    outcome: 'applied',
    status: 'failed',
    seats: 0,
    uses: 0,
    reserved: 0,
    registration: 'cancelled/failed',
    paid: false,
  },
  'checkout.session.expired': { outcome: 'applied', status: 'expired', seats: 0, uses: 0, reserved: 0, registration: 'cancelled/expired', paid: false },
  'payment_intent.payment_failed': { outcome: 'applied', status: 'failed', seats: 0, uses: 0, reserved: 0, registration: 'cancelled/failed', paid: false },
  'charge.refunded': { outcome: 'applied', status: 'refunded', seats: 0, uses: 1, reserved: 0, registration: 'cancelled/refunded', paid: true },
  'customer.created': { outcome: 'ignored', status: 'pending', seats: 1, uses: 0, reserved: 1, registration: 'reserved/pending', paid: false },
};

describe('every Stripe event type, signed', () => {
  it('has a fixture for each expectation and an expectation for each fixture', () => {
    expect(fixtureNames('stripe')).toEqual(Object.keys(expectations).sort());
  });

  test.each(Object.keys(expectations))('%s', async (name) => {
    const s = await pendingOrder(env);
    const { body, id } = event(name, s);
    const res = await deliver(body);
    const want = expectations[name]!;
    expect(res).toEqual({ status: 200, body: { received: true, outcome: want.outcome, type: (JSON.parse(body) as { type: string }).type } });
    const st = await readState(env.db, s);
    expect(st.order?.status).toBe(want.status);
    expect(st.event?.registered_count).toBe(want.seats);
    expect(st.coupon).toMatchObject({ uses_count: want.uses, reserved_count: want.reserved });
    expect(st.registrations.map((r) => `${r.status}/${r.payment_status}`)).toEqual([want.registration]);
    expect(Boolean(st.receipt)).toBe(want.paid);
    expect((await deliveryRecord(env.db, `stripe:${id}`))?.outcome).toBe(want.outcome);
    if (want.paid) {
      expect(await paymentDoc(env.db, `stripe-pi_${s.orderId}`)).toMatchObject({
        order_id: s.orderId,
        amount_minor: 2250,
        currency: 'USD',
        status: want.status === 'paid' ? 'succeeded' : want.status,
      });
      expect(st.receipt).toMatchObject({ amount_minor: 2250, currency: 'USD', order_id: s.orderId });
    }
    // The confirmation email goes out for a paid order only (not for one refunded before it was confirmed).
    expect(Boolean(st.email)).toBe(want.status === 'paid');
    if (name === 'payment_intent.payment_failed') expect((await paymentDoc(env.db, `stripe-pi_${s.orderId}`))?.status).toBe('failed');
  });
});

describe('exactly once', () => {
  it('a repeated delivery is a 200 with no second effect', async () => {
    const s = await pendingOrder(env);
    const { body } = event('checkout.session.completed', s);
    expect((await deliver(body)).body.outcome).toBe('applied');
    expect((await deliver(body)).body.outcome).toBe('duplicate');
    // Stripe re-signs each attempt: a new signature on the same event is still the same event.
    expect((await deliver(body, { timestamp: nowSec() - 10 })).body.outcome).toBe('duplicate');
    const st = await readState(env.db, s);
    expect(st.coupon).toMatchObject({ uses_count: 1, reserved_count: 0 });
    expect(st.event?.registered_count).toBe(1);
  });

  it('20 concurrent deliveries of one event: all 200, applied once', async () => {
    const s = await pendingOrder(env);
    const { body } = event('checkout.session.completed', s);
    const results = await Promise.all(Array.from({ length: 20 }, () => deliver(body)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => r.body.outcome === 'applied')).toHaveLength(1);
    expect(results.filter((r) => r.body.outcome === 'duplicate')).toHaveLength(19);
    const st = await readState(env.db, s);
    expect(st.coupon).toMatchObject({ uses_count: 1, reserved_count: 0 });
    expect(st.order).toMatchObject({ status: 'paid', paid_minor: 2250 });
  }, 120_000);
});

describe('out of order', () => {
  it('a full refund before the completion ends refunded, with the payment recorded', async () => {
    const s = await pendingOrder(env);
    expect((await deliver(event('charge.refunded', s).body)).status).toBe(200);
    let st = await readState(env.db, s);
    expect(st.order).toMatchObject({ status: 'refunded', refunded_minor: 2250, paid_minor: 2250, payment_intent_id: `pi_${s.orderId}` });
    expect(await paymentDoc(env.db, `stripe-pi_${s.orderId}`)).toMatchObject({ amount_minor: 2250, status: 'refunded' });
    expect((await deliver(event('checkout.session.completed', s).body)).body.outcome).toBe('applied');
    st = await readState(env.db, s);
    expect(st.order?.status).toBe('refunded');
    expect(st.coupon).toMatchObject({ uses_count: 1, reserved_count: 0 });
    expect(st.event?.registered_count).toBe(0);
    expect(st.registrations.map((r) => r.payment_status)).toEqual(['refunded']);
  });

  it('an expiry after the payment changes nothing; a payment after the expiry still counts and takes the seat back', async () => {
    const a = await pendingOrder(env);
    await deliver(event('checkout.session.completed', a).body);
    await deliver(event('checkout.session.expired', a).body);
    await deliver(event('payment_intent.payment_failed', a).body);
    const stA = await readState(env.db, a);
    expect(stA.order?.status).toBe('paid');
    expect(stA.event?.registered_count).toBe(1);
    // The paid ticket registers its holder for the followers (funnels, badges), as a free one does: once.
    expect(await registeredEvents(a.eventId)).toEqual([{ user_id: a.auth.uid, registration_id: expect.any(String) as unknown }]);

    const b = await pendingOrder(env);
    await deliver(event('checkout.session.expired', b).body);
    expect((await readState(env.db, b)).event?.registered_count).toBe(0);
    await deliver(event('checkout.session.completed', b).body);
    const stB = await readState(env.db, b);
    expect(stB.order).toMatchObject({ status: 'paid', capacity_state: 'reserved', attention: null });
    expect(stB.event?.registered_count).toBe(1);
    expect(stB.coupon).toMatchObject({ uses_count: 1, reserved_count: 0 });
  });

  it('a payment after expiry when the event has filled up is kept and flagged, never over capacity', async () => {
    const s = await pendingOrder(env, { capacity: 1 });
    await deliver(event('checkout.session.expired', s).body);
    const other = await pendingOrder(env); // a different event: fill this one by hand
    void other;
    await env.db.doc(`events/${s.eventId}`).update({ registered_count: 1 });
    await deliver(event('checkout.session.completed', s).body);
    const st = await readState(env.db, s);
    expect(st.order?.status).toBe('paid');
    expect(st.order?.capacity_state).toBe('unavailable');
    expect(st.order?.attention).toMatch(/full/);
    expect(st.event?.registered_count).toBe(1);
    expect(st.registrations.map((r) => r.status)).toEqual(['waitlisted']);
    // Paid but without a seat: not registered.
    expect(await registeredEvents(s.eventId)).toEqual([]);
  });

  it('refund totals only grow: partial, full, then a late smaller total', async () => {
    const s = await pendingOrder(env);
    await deliver(event('checkout.session.completed', s).body);
    await deliver(event('charge.refunded', s, { refunded: 1000, fully_refunded: false }).body);
    expect((await readState(env.db, s)).order).toMatchObject({ status: 'partially_refunded', refunded_minor: 1000 });
    expect((await readState(env.db, s)).registrations.map((r) => r.payment_status)).toEqual(['partially_refunded']);
    await deliver(event('charge.refunded', s, { refunded: 2250 }).body);
    await deliver(event('charge.refunded', s, { refunded: 1000, fully_refunded: false }).body);
    const st = await readState(env.db, s);
    expect(st.order).toMatchObject({ status: 'refunded', refunded_minor: 2250 });
    expect(st.event?.registered_count).toBe(0);
  });

  it('an asynchronous payment: completed unpaid, then succeeded', async () => {
    const s = await pendingOrder(env);
    const unpaid = fixture('stripe', 'checkout.session.completed', values(s)).replace('"payment_status": "paid"', '"payment_status": "unpaid"');
    expect((await deliver(unpaid)).body.outcome).toBe('applied');
    expect((await readState(env.db, s)).order).toMatchObject({ status: 'pending', payment_intent_id: `pi_${s.orderId}` });
    await deliver(event('checkout.session.async_payment_succeeded', s).body);
    expect((await readState(env.db, s)).order?.status).toBe('paid');
  });
});

describe('refused deliveries write nothing', () => {
  async function untouched(s: Scenario, id: string) {
    expect(await deliveryRecord(env.db, `stripe:${id}`)).toBeUndefined();
    expect((await readState(env.db, s)).order?.status).toBe('pending');
  }

  it('missing, wrong and tampered signatures', async () => {
    const s = await pendingOrder(env);
    const { body, id } = event('checkout.session.completed', s);
    expect(await deliver(body, { signature: null })).toEqual({ status: 400, body: { received: false, error: 'missing Stripe-Signature header' } });
    expect((await deliver(body, { secret: 'whsec_wrong' })).body.error).toBe('invalid Stripe-Signature');
    const tampered = body.replace('"amount_total": 2250', '"amount_total": 1');
    expect((await deliver(tampered, { signature: stripeSignature(body, TEST_SECRETS.stripe) })).status).toBe(400);
    expect((await deliver(body, { signature: 'garbage' })).status).toBe(400);
    await untouched(s, id);
  });

  it('a signature older than 300 s', async () => {
    const s = await pendingOrder(env);
    const { body, id } = event('checkout.session.completed', s);
    const res = await deliver(body, { timestamp: nowSec() - 301 });
    expect(res).toEqual({ status: 400, body: { received: false, error: 'signature timestamp outside the 300 s tolerance' } });
    await untouched(s, id);
  });

  it('malformed JSON and a known type with an unexpected shape', async () => {
    expect((await deliver('{"id": "evt_x", "type": ')).body.error).toBe('malformed JSON');
    expect((await deliver('[1, 2, 3]')).body.error).toBe('not a Stripe event');
    const s = await pendingOrder(env);
    const { body, id } = event('checkout.session.completed', s);
    const broken = body.replace('"payment_status": "paid"', '"payment_status": 7');
    const res = await deliver(broken);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/^unexpected checkout.session.completed payload/);
    await untouched(s, id);
  });
});

describe('failures answer 500 so that Stripe retries', () => {
  it('a refund for a charge that cannot be placed yet', async () => {
    const s = await pendingOrder(env);
    const body = fixture('stripe', 'charge.refunded', values(s, { payment_intent: uniq('pi_unknown') })).replace(/"order_id": "[^"]+",/, '');
    const res = await deliver(body);
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ received: false, error: 'internal error; retry later' });
    expect((await readState(env.db, s)).order?.status).toBe('pending');
  });

  it('a stored order that breaks the model: nothing recorded, so the retry can apply it once fixed', async () => {
    const s = await pendingOrder(env);
    await env.db.doc(orders.docPath({ orderId: s.orderId })).update({ total_minor: 'twenty' });
    const { body, id } = event('checkout.session.completed', s);
    expect((await deliver(body)).status).toBe(500);
    expect(await deliveryRecord(env.db, `stripe:${id}`)).toBeUndefined();
    await env.db.doc(orders.docPath({ orderId: s.orderId })).update({ total_minor: 2250 });
    expect((await deliver(body)).body.outcome).toBe('applied');
  });

  it('an order that is not ours (no metadata, unknown PaymentIntent) is recorded and ignored', async () => {
    const s = await pendingOrder(env);
    const body = fixture('stripe', 'checkout.session.completed', values(s))
      .replace(/"client_reference_id": "[^"]+"/, '"client_reference_id": null')
      .replace(/"metadata": \{[^}]*\}/, '"metadata": {}');
    expect((await deliver(body)).body.outcome).toBe('ignored');
  });
});

it('a JPY order is paid in whole yen', async () => {
  const s = await pendingOrder(env, { currency: 'JPY', amount: 5000 });
  expect(s.res.total_minor).toBe(4500);
  await deliver(event('checkout.session.completed', s).body);
  expect((await readState(env.db, s)).order).toMatchObject({ status: 'paid', paid_minor: 4500, currency: 'JPY', attention: null });
});
