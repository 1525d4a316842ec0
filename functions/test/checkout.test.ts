/**
 * createCheckout against the Firestore emulator (a project of its own) and local fakes of the
 * Stripe and Airwallex APIs: prices, coupons, tax, seats, idempotency, and what the providers get.
 */
import { HttpsError } from 'firebase-functions/v2/https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookings, coupons, eventRegistrations, events, orders } from '@zhengrowth/model';
import { orderItems } from '../src/shared/orders.js';
import { airwallexGateway, type AirwallexTokenCache } from '../src/payments/providers.js';
import { AIRWALLEX_CREDENTIALS, buyer, checkout, seedCoupon, seedEvent, seedOffer, seedSessionType, testEnv, uniq, type TestEnv } from './support/env.js';
import { matching } from './support/matchers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv('checkout');
});
afterAll(async () => {
  await env?.close();
});

const orderDoc = async (id: string) =>
  (
    await env.db
      .doc(orders.docPath({ orderId: id }))
      .withConverter(orders.converter)
      .get()
  ).data();
const eventDoc = async (id: string) =>
  (
    await env.db
      .doc(events.docPath({ eventId: id }))
      .withConverter(events.converter)
      .get()
  ).data();
const couponDoc = async (id: string) =>
  (
    await env.db
      .doc(coupons.docPath({ couponId: id }))
      .withConverter(coupons.converter)
      .get()
  ).data();
const sessionRequests = () => env.stripe.requests.filter((r) => r.path === '/v1/checkout/sessions');

async function rejection(p: Promise<unknown>): Promise<HttpsError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpsError);
  return err as HttpsError;
}

describe('createCheckout with Stripe', () => {
  it('prices from Firestore, creates a pending order and a Checkout Session keyed by the order id', async () => {
    const offerId = await seedOffer(env.db, { price_minor: 4999, currency: 'USD', title: 'Growth package' });
    const before = sessionRequests().length;
    const res = await checkout(env.deps(), buyer('ann@example.com'), { provider: 'stripe', items: [{ kind: 'offer', offer_id: offerId, quantity: 2 }] });

    expect(res).toMatchObject({
      status: 'pending',
      provider: 'stripe',
      currency: 'USD',
      subtotal_minor: 9998,
      discount_minor: 0,
      tax_minor: 0,
      total_minor: 9998,
    });
    expect(res.order_number).toMatch(/^ZG-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const order = await orderDoc(res.order_id);
    expect(order).toMatchObject({
      status: 'pending',
      customer_email: 'ann@example.com',
      total_minor: 9998,
      payment_provider: 'stripe',
      payment_id: res.stripe?.session_id,
    });
    expect(orderItems(order!)).toEqual([expect.objectContaining({ kind: 'offer', ref_id: offerId, unit_amount_minor: 4999, quantity: 2, amount_minor: 9998 })]);

    const sent = sessionRequests().slice(before);
    expect(sent).toHaveLength(1);
    const req = sent[0]!;
    expect(req.headers['idempotency-key']).toBe(res.order_id);
    expect(req.form).toMatchObject({
      mode: 'payment',
      client_reference_id: res.order_id,
      'metadata[order_id]': res.order_id,
      'payment_intent_data[metadata][order_id]': res.order_id,
      'line_items[0][price_data][unit_amount]': '4999',
      'line_items[0][price_data][currency]': 'usd',
      'line_items[0][quantity]': '2',
      customer_email: 'ann@example.com',
    });
    expect(res.stripe?.url).toContain(res.stripe?.session_id);
  });

  it('a retry with the same idempotency key returns the same order and session without a second call', async () => {
    const offerId = await seedOffer(env.db, { price_minor: 1500, currency: 'USD' });
    const who = buyer();
    const key = uniq('retry-key-');
    const before = sessionRequests().length;
    const first = await checkout(env.deps(), who, { provider: 'stripe', idempotency_key: key, items: [{ kind: 'offer', offer_id: offerId }] });
    const again = await checkout(env.deps(), who, { provider: 'stripe', idempotency_key: key, items: [{ kind: 'offer', offer_id: offerId }] });
    expect(again.order_id).toBe(first.order_id);
    expect(again.stripe?.session_id).toBe(first.stripe?.session_id);
    expect(sessionRequests().length - before).toBe(1);
  });

  it('adds tax on the discounted subtotal (TAX_RATE_PERCENT), rounded half up, as its own line', async () => {
    const offerId = await seedOffer(env.db, { price_minor: 999, currency: 'USD' });
    const before = sessionRequests().length;
    const res = await checkout(env.deps({ taxRatePercent: '8.25' }), buyer(), {
      provider: 'stripe',
      items: [{ kind: 'offer', offer_id: offerId, quantity: 3 }],
    });
    // 2997 × 8.25 % = 247.2525 → 247
    expect(res).toMatchObject({ subtotal_minor: 2997, tax_minor: 247, total_minor: 3244 });
    const form = sessionRequests().slice(before)[0]!.form;
    expect(form['line_items[1][price_data][product_data][name]']).toBe('Tax');
    expect(form['line_items[1][price_data][unit_amount]']).toBe('247');
  });

  it('charges JPY, a zero-decimal currency, in whole yen', async () => {
    const offerId = await seedOffer(env.db, { price_minor: 5000, currency: 'JPY' });
    const before = sessionRequests().length;
    const res = await checkout(env.deps(), buyer(), { provider: 'stripe', items: [{ kind: 'offer', offer_id: offerId }] });
    expect(res).toMatchObject({ currency: 'JPY', total_minor: 5000 });
    expect(sessionRequests().slice(before)[0]!.form).toMatchObject({
      'line_items[0][price_data][unit_amount]': '5000',
      'line_items[0][price_data][currency]': 'jpy',
    });
  });

  it('KWD (three decimals): Stripe takes multiples of 10 fils; anything else is refused before anything is reserved', async () => {
    const ok = await seedOffer(env.db, { price_minor: 12340, currency: 'KWD' });
    const res = await checkout(env.deps(), buyer(), { provider: 'stripe', items: [{ kind: 'offer', offer_id: ok }] });
    expect(res.total_minor).toBe(12340);
    const { eventId } = await seedEvent(env.db, { capacity: 5, prices: [{ currency: 'KWD', amount_minor: 12345 }] });
    const err = await rejection(checkout(env.deps(), buyer(), { provider: 'stripe', items: [{ kind: 'event_ticket', event_id: eventId }] }));
    expect(err.code).toBe('failed-precondition');
    expect((await eventDoc(eventId))?.registered_count).toBe(0);
  });

  it('refuses items in two currencies, unknown offers, and signed-out callers without a guest e-mail', async () => {
    const usd = await seedOffer(env.db, { price_minor: 100, currency: 'USD' });
    const eur = await seedOffer(env.db, { price_minor: 100, currency: 'EUR' });
    expect(
      (
        await rejection(
          checkout(env.deps(), buyer(), {
            provider: 'stripe',
            items: [
              { kind: 'offer', offer_id: usd },
              { kind: 'offer', offer_id: eur },
            ],
          }),
        )
      ).code,
    ).toBe('invalid-argument');
    expect((await rejection(checkout(env.deps(), buyer(), { provider: 'stripe', items: [{ kind: 'offer', offer_id: 'nope' }] }))).code).toBe('not-found');
    // Signed out is a guest checkout: it needs the guest's e-mail and name, and says so.
    const guest = await rejection(checkout(env.deps(), null, { provider: 'stripe', items: [{ kind: 'offer', offer_id: usd }] }));
    expect([guest.code, guest.message]).toEqual(['invalid-argument', 'customer_email: required without signing in (or sign in)']);
    expect((await rejection(checkout(env.deps(), buyer(), { provider: 'paypal', items: [{ kind: 'offer', offer_id: usd }] }))).code).toBe('invalid-argument');
  });

  it('refuses an account whose e-mail is not verified, or that has none, and writes nothing', async () => {
    // Orders, bookings and registrations are matched to people by e-mail: an unverified address
    // (or one the client names) could plant records in another person's lists.
    const { eventId } = await seedEvent(env.db, { capacity: 3, prices: [{ currency: 'USD', amount_minor: 2000 }] });
    const unverified = { uid: uniq('u'), token: { email: 'victim@example.com', email_verified: false, roles: ['client'] } };
    const noEmail = { uid: uniq('u'), token: { roles: ['client'] } };
    for (const who of [unverified, noEmail]) {
      const err = await rejection(checkout(env.deps(), who, { provider: 'stripe', items: [{ kind: 'event_ticket', event_id: eventId }] }));
      expect(err.code).toBe('failed-precondition');
      expect(err.message).toMatch(/verify your e-mail/);
    }
    const client = await rejection(
      checkout(env.deps(), noEmail, { provider: 'stripe', customer_email: 'victim@example.com', items: [{ kind: 'event_ticket', event_id: eventId }] }),
    );
    expect(client.code).toBe('invalid-argument');
    expect(client.message).toMatch(/customer_email/);
    expect((await eventDoc(eventId))?.registered_count).toBe(0);
    expect((await env.db.collection(eventRegistrations.collectionPath({ eventId })).get()).size).toBe(0);
  });

  it('when the provider is down the order fails and gives its seats and coupon use back', async () => {
    const { eventId } = await seedEvent(env.db, { capacity: 3, prices: [{ currency: 'USD', amount_minor: 2000 }] });
    const { id: couponId, code } = await seedCoupon(env.db, { discount_type: 'percent', discount_percent: '10', max_uses: 5 });
    env.stripe.failWith = 'down';
    try {
      const err = await rejection(
        checkout(env.deps(), buyer(), { provider: 'stripe', coupon_code: code, items: [{ kind: 'event_ticket', event_id: eventId, quantity: 2 }] }),
      );
      expect(err.code).toBe('unavailable');
    } finally {
      env.stripe.failWith = null;
    }
    expect((await eventDoc(eventId))?.registered_count).toBe(0);
    expect(await couponDoc(couponId)).toMatchObject({ reserved_count: 0, uses_count: 0 });
    const snap = await env.db.collection(eventRegistrations.collectionPath({ eventId })).withConverter(eventRegistrations.converter).get();
    expect(snap.docs.map((d) => d.data().status)).toEqual(['cancelled', 'cancelled']);
  });
});

describe('event tickets', () => {
  it('picks the price by tier, region and currency', async () => {
    const { eventId } = await seedEvent(env.db, {
      capacity: null,
      prices: [
        { tier: 'standard', currency: 'USD', amount_minor: 3000 },
        { tier: 'standard', currency: 'USD', amount_minor: 2000, region: 'APAC' },
        { tier: 'standard', currency: 'EUR', amount_minor: 2800 },
        { tier: 'vip', currency: 'USD', amount_minor: 9000 },
      ],
    });
    const apac = await checkout(env.deps(), buyer(), {
      provider: 'stripe',
      currency: 'USD',
      items: [{ kind: 'event_ticket', event_id: eventId, region: 'APAC' }],
    });
    expect(apac.total_minor).toBe(2000);
    const elsewhere = await checkout(env.deps(), buyer(), {
      provider: 'stripe',
      currency: 'USD',
      items: [{ kind: 'event_ticket', event_id: eventId, region: 'EMEA' }],
    });
    expect(elsewhere.total_minor).toBe(3000);
    const vip = await checkout(env.deps(), buyer(), { provider: 'stripe', items: [{ kind: 'event_ticket', event_id: eventId, tier: 'vip', quantity: 2 }] });
    expect(vip.total_minor).toBe(18000);
    const eur = await checkout(env.deps(), buyer(), { provider: 'stripe', currency: 'EUR', items: [{ kind: 'event_ticket', event_id: eventId }] });
    expect(eur).toMatchObject({ currency: 'EUR', total_minor: 2800 });
    // Two currencies for the tier and none chosen: ambiguous.
    expect((await rejection(checkout(env.deps(), buyer(), { provider: 'stripe', items: [{ kind: 'event_ticket', event_id: eventId }] }))).code).toBe(
      'invalid-argument',
    );
    const reg = (await eventDoc(eventId))?.registered_count;
    expect(reg).toBe(5);
  });

  it('a request for more seats than are left says how many were asked and how many are left', async () => {
    const { eventId } = await seedEvent(env.db, { capacity: 3, prices: [{ currency: 'USD', amount_minor: 2000 }] });
    const ask = (quantity: number) => checkout(env.deps(), buyer(), { provider: 'stripe', items: [{ kind: 'event_ticket', event_id: eventId, quantity }] });
    const tooMany = await rejection(ask(5));
    expect(tooMany.code).toBe('resource-exhausted');
    expect(tooMany.message).toBe('Growth workshop: 5 seats asked, but only 3 of its 3 seats are left');
    await ask(3);
    expect((await rejection(ask(1))).message).toBe('Growth workshop: 1 seat asked, but it is sold out');
    expect((await eventDoc(eventId))?.registered_count).toBe(3);
  });

  it('never sells more seats than capacity: 50 buyers at once for 10 seats', { timeout: 300_000 }, async () => {
    const { eventId } = await seedEvent(env.db, { capacity: 10, prices: [{ currency: 'USD', amount_minor: 2500 }] });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => checkout(env.deps(), buyer(), { provider: 'stripe', items: [{ kind: 'event_ticket', event_id: eventId }] })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(40);
    expect(new Set(refused.map((r) => (r.reason as HttpsError).code))).toEqual(new Set(['resource-exhausted']));
    expect((await eventDoc(eventId))?.registered_count).toBe(10);
    const regs = await env.db.collection(eventRegistrations.collectionPath({ eventId })).get();
    expect(regs.size).toBe(10);
  });

  it('refuses unpublished and past events', async () => {
    const hidden = await seedEvent(env.db, { capacity: 5, published: false, prices: [{ currency: 'USD', amount_minor: 100 }] });
    const past = await seedEvent(env.db, { capacity: 5, startsInDays: -1, prices: [{ currency: 'USD', amount_minor: 100 }] });
    expect((await rejection(checkout(env.deps(), buyer(), { provider: 'stripe', items: [{ kind: 'event_ticket', event_id: hidden.eventId }] }))).code).toBe(
      'not-found',
    );
    expect((await rejection(checkout(env.deps(), buyer(), { provider: 'stripe', items: [{ kind: 'event_ticket', event_id: past.eventId }] }))).code).toBe(
      'failed-precondition',
    );
  });
});

describe('coupons', () => {
  it('a percent coupon rounds half up on the subtotal; a fixed one is capped at the subtotal', async () => {
    const offerId = await seedOffer(env.db, { price_minor: 999, currency: 'USD' });
    const pct = await seedCoupon(env.db, { discount_type: 'percent', discount_percent: '12.5' });
    const res = await checkout(env.deps(), buyer(), { provider: 'stripe', coupon_code: pct.code, items: [{ kind: 'offer', offer_id: offerId }] });
    // 12.5 % of 999 = 124.875 → 125
    expect(res).toMatchObject({ subtotal_minor: 999, discount_minor: 125, total_minor: 874 });
    expect(await orderDoc(res.order_id)).toMatchObject({ coupon_id: pct.id, coupon_state: 'reserved', discount_minor: 125 });
    expect(await couponDoc(pct.id)).toMatchObject({ reserved_count: 1, uses_count: 0 });

    const fixed = await seedCoupon(env.db, { discount_type: 'fixed', discount_amount_minor: 500, currency: 'USD' });
    const res2 = await checkout(env.deps(), buyer(), { provider: 'stripe', coupon_code: fixed.code, items: [{ kind: 'offer', offer_id: offerId }] });
    expect(res2).toMatchObject({ discount_minor: 500, total_minor: 499 });
    // With a discount Stripe gets one line for the total.
    const last = sessionRequests().at(-1)!.form;
    expect(last['line_items[0][price_data][unit_amount]']).toBe('499');
    expect(last['line_items[1][price_data][unit_amount]']).toBeUndefined();
  });

  it('refuses inactive, expired, not-yet-valid, used-up and other-currency coupons', async () => {
    const offerId = await seedOffer(env.db, { price_minor: 1000, currency: 'USD' });
    const { Timestamp } = await import('firebase-admin/firestore');
    const cases = [
      { discount_type: 'percent' as const, discount_percent: '10', active: false },
      { discount_type: 'percent' as const, discount_percent: '10', valid_until: Timestamp.fromMillis(Date.now() - 1000) },
      { discount_type: 'percent' as const, discount_percent: '10', valid_from: Timestamp.fromMillis(Date.now() + 86_400_000) },
      { discount_type: 'percent' as const, discount_percent: '10', max_uses: 3, uses_count: 3 },
      { discount_type: 'fixed' as const, discount_amount_minor: 100, currency: 'EUR' },
    ];
    for (const c of cases) {
      const { code } = await seedCoupon(env.db, c);
      const err = await rejection(checkout(env.deps(), buyer(), { provider: 'stripe', coupon_code: code, items: [{ kind: 'offer', offer_id: offerId }] }));
      expect(err.code).toBe('failed-precondition');
    }
    expect(
      (await rejection(checkout(env.deps(), buyer(), { provider: 'stripe', coupon_code: 'NO-SUCH-CODE', items: [{ kind: 'offer', offer_id: offerId }] }))).code,
    ).toBe('not-found');
  });

  it('max_uses 1 and 20 checkouts at once: exactly one gets the discount', async () => {
    const offerId = await seedOffer(env.db, { price_minor: 2000, currency: 'USD' });
    const { id, code } = await seedCoupon(env.db, { discount_type: 'percent', discount_percent: '50', max_uses: 1 });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => checkout(env.deps(), buyer(), { provider: 'stripe', coupon_code: code, items: [{ kind: 'offer', offer_id: offerId }] })),
    );
    const discounted = results.filter((r) => r.status === 'fulfilled' && r.value.discount_minor === 1000);
    expect(discounted).toHaveLength(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(19);
    expect(new Set(refused.map((r) => (r.reason as HttpsError).message))).toEqual(new Set(['this coupon has been used up']));
    expect(await couponDoc(id)).toMatchObject({ reserved_count: 1, uses_count: 0 });
  });

  it('a 100 % coupon needs no provider: the order is paid at once', async () => {
    const offerId = await seedOffer(env.db, { price_minor: 2000, currency: 'USD' });
    const { id, code } = await seedCoupon(env.db, { discount_type: 'percent', discount_percent: '100', max_uses: 1 });
    const before = sessionRequests().length;
    const res = await checkout(env.deps(), buyer(), { provider: 'stripe', coupon_code: code, items: [{ kind: 'offer', offer_id: offerId }] });
    expect(res).toMatchObject({ total_minor: 0, status: 'paid' });
    expect(sessionRequests().length).toBe(before);
    expect(await couponDoc(id)).toMatchObject({ reserved_count: 0, uses_count: 1 });
  });
});

describe('createCheckout with Airwallex', () => {
  it('logs in, then creates a payment intent with the order id as request_id and the amount in major units', async () => {
    const offerId = await seedOffer(env.db, { price_minor: 4999, currency: 'USD' });
    const before = env.airwallex.requests.length;
    // A token cache of this test's own: the login is made here, whatever ran before.
    const tokenCache: AirwallexTokenCache = new Map();
    const deps = env.deps({ airwallex: () => airwallexGateway({ apiBase: env.airwallex.origin, ...AIRWALLEX_CREDENTIALS, tokenCache }) });
    const res = await checkout(deps, buyer(), { provider: 'airwallex', items: [{ kind: 'offer', offer_id: offerId }] });
    const sent = env.airwallex.requests.slice(before);
    const logins = sent.filter((r) => r.path === '/api/v1/authentication/login');
    const create = sent.find((r) => r.path === '/api/v1/pa/payment_intents/create')!;
    expect(logins).toHaveLength(1);
    expect(logins[0]!.headers).toMatchObject({ 'x-client-id': 'test-client', 'x-api-key': 'test-api-key' });
    expect(create.headers.authorization).toBe('Bearer fake-airwallex-token');
    // A second checkout reuses the cached token: no second login.
    await checkout(deps, buyer(), { provider: 'airwallex', items: [{ kind: 'offer', offer_id: offerId }] });
    expect(env.airwallex.requests.slice(before).filter((r) => r.path === '/api/v1/authentication/login')).toHaveLength(1);
    expect(create.raw).toContain('"amount":49.99,');
    expect(JSON.parse(create.raw)).toMatchObject({
      request_id: res.order_id,
      merchant_order_id: res.order_id,
      currency: 'USD',
      metadata: { order_id: res.order_id },
    });
    expect(res.airwallex).toMatchObject({ intent_id: matching(/^int_/), amount: '49.99', currency: 'USD' });
    expect(await orderDoc(res.order_id)).toMatchObject({ payment_id: res.airwallex?.intent_id, payment_intent_id: res.airwallex?.intent_id });
  });

  it('sends JPY as whole yen and KWD with its three decimals, exactly', async () => {
    const jpy = await seedOffer(env.db, { price_minor: 5000, currency: 'JPY' });
    const kwd = await seedOffer(env.db, { price_minor: 12345, currency: 'KWD' });
    const before = env.airwallex.requests.length;
    const a = await checkout(env.deps(), buyer(), { provider: 'airwallex', items: [{ kind: 'offer', offer_id: jpy }] });
    const b = await checkout(env.deps(), buyer(), { provider: 'airwallex', items: [{ kind: 'offer', offer_id: kwd }] });
    const creates = env.airwallex.requests.slice(before).filter((r) => r.path === '/api/v1/pa/payment_intents/create');
    expect(creates[0]!.raw).toContain('"amount":5000,');
    expect(creates[1]!.raw).toContain('"amount":12.345,');
    expect(a.airwallex?.amount).toBe('5000');
    expect(b.airwallex?.amount).toBe('12.345');
  });
});

describe('paid sessions', () => {
  it('creates the booking with a unique booking_token, linked to the order', async () => {
    const typeId = await seedSessionType(env.db, { price_minor: 15000, currency: 'USD' });
    const res = await checkout(env.deps(), buyer(), { provider: 'stripe', items: [{ kind: 'session', event_type_id: typeId }] });
    expect(res.booking?.booking_token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const booking = (
      await env.db
        .doc(bookings.docPath({ bookingId: res.booking!.id }))
        .withConverter(bookings.converter)
        .get()
    ).data();
    expect(booking).toMatchObject({ status: 'pending', order_id: res.order_id, event_type_id: typeId, amount_minor: 15000, currency: 'USD' });
    expect((await orderDoc(res.order_id))?.booking_id).toBe(res.booking!.id);
    const free = await seedSessionType(env.db, { price_minor: null, currency: null });
    expect((await rejection(checkout(env.deps(), buyer(), { provider: 'stripe', items: [{ kind: 'session', event_type_id: free }] }))).code).toBe(
      'failed-precondition',
    );
    expect(
      (
        await rejection(
          checkout(env.deps(), buyer(), {
            provider: 'stripe',
            items: [
              { kind: 'session', event_type_id: typeId },
              { kind: 'session', event_type_id: typeId },
            ],
          }),
        )
      ).code,
    ).toBe('invalid-argument');
  });
});

describe('redirects', () => {
  it('refuses success and cancel URLs outside the app origins (no open redirect through checkout)', async () => {
    for (const field of ['success_url', 'cancel_url']) {
      const offerId = await seedOffer(env.db, { price_minor: 1000, currency: 'USD' });
      const err = await rejection(
        checkout(env.deps(), buyer(), { provider: 'stripe', items: [{ kind: 'offer', offer_id: offerId }], [field]: 'https://evil.example/receipt' }),
      );
      expect(err.code).toBe('invalid-argument');
      expect(err.message).toMatch(new RegExp(`${field}: https://evil.example`));
    }
  });
});
