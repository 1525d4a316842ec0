/**
 * The Airwallex webhook handler against the Firestore emulator: x-timestamp (ms) + x-signature HMAC,
 * amounts in major units converted exactly, upper-case statuses, duplicates and out-of-order refunds.
 */
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { handleAirwallexWebhook } from '../src/webhooks/airwallex.js';
import { runWebhook, type WebhookResponse } from '../src/core/webhook-delivery.js';
import { testEnv, TEST_SECRETS, uniq, type TestEnv } from './support/env.js';
import { deliveryRecord, paymentDoc, pendingOrder, readState, type Scenario } from './support/scenario.js';
import { airwallexHeaders, fixture, fixtureNames } from './support/signing.js';
import { matching } from './support/matchers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv('airwallex-wh');
});
afterAll(async () => {
  await env?.close();
});

function values(s: Scenario, over: Record<string, string | number> = {}): Record<string, string | number> {
  return {
    event_id: uniq('evt_'),
    order_id: s.orderId,
    intent_id: s.res.airwallex?.intent_id ?? 'int_none',
    refund_id: `rfd_${s.orderId}`,
    refund_request: uniq('req-'),
    amount: s.res.airwallex?.amount ?? '0',
    captured: s.res.airwallex?.amount ?? '0',
    currency: s.res.currency,
    ...over,
  };
}

function deliver(body: string, opts: { secret?: string; timestampMs?: number; headers?: Record<string, string> } = {}): Promise<WebhookResponse> {
  const headers = opts.headers ?? airwallexHeaders(body, opts.secret ?? TEST_SECRETS.airwallex, opts.timestampMs);
  return runWebhook(
    'airwallexWebhook',
    handleAirwallexWebhook,
    { rawBody: Buffer.from(body), header: (h) => headers[h.toLowerCase()] },
    env.webhookDeps(TEST_SECRETS.airwallex),
  );
}

const event = (name: string, s: Scenario, over: Record<string, string | number> = {}) => {
  const v = values(s, over);
  return { body: fixture('airwallex', name, v), id: String(v.event_id) };
};

const expectations: Record<string, { outcome: 'applied' | 'ignored'; status: string; refunded: number; seats: number; uses: number }> = {
  'payment_intent.succeeded': { outcome: 'applied', status: 'paid', refunded: 0, seats: 1, uses: 1 },
  'payment_intent.cancelled': { outcome: 'applied', status: 'failed', refunded: 0, seats: 0, uses: 0 },
  // A refund implies the payment; RECEIVED is not money back yet.
  'refund.received': { outcome: 'applied', status: 'paid', refunded: 0, seats: 1, uses: 1 },
  'refund.accepted': { outcome: 'applied', status: 'refunded', refunded: 2250, seats: 0, uses: 1 },
  'refund.settled': { outcome: 'applied', status: 'refunded', refunded: 2250, seats: 0, uses: 1 },
  'refund.failed': { outcome: 'applied', status: 'paid', refunded: 0, seats: 1, uses: 1 },
  'payment_intent.created': { outcome: 'ignored', status: 'pending', refunded: 0, seats: 1, uses: 0 },
};

describe('every Airwallex event type, signed', () => {
  it('has a fixture for each expectation', () => {
    expect(fixtureNames('airwallex')).toEqual(Object.keys(expectations).sort());
  });

  test.each(Object.keys(expectations))('%s', async (name) => {
    const s = await pendingOrder(env, { provider: 'airwallex' });
    expect(s.res.airwallex?.amount).toBe('22.50');
    const { body, id } = event(name, s);
    expect(body).toContain('"amount": 22.50');
    const res = await deliver(body);
    const want = expectations[name]!;
    expect(res).toEqual({ status: 200, body: { received: true, outcome: want.outcome, type: name } });
    const st = await readState(env.db, s);
    expect(st.order).toMatchObject({ status: want.status, refunded_minor: want.refunded });
    expect(st.event?.registered_count).toBe(want.seats);
    expect(st.coupon?.uses_count).toBe(want.uses);
    expect((await deliveryRecord(env.db, `airwallex:${id}`))?.outcome).toBe(want.outcome);
    if (want.uses)
      expect(await paymentDoc(env.db, `airwallex-${s.res.airwallex?.intent_id}`)).toMatchObject({ amount_minor: 2250, currency: 'USD', order_id: s.orderId });
  });
});

describe('amounts in major units, converted exactly', () => {
  it('JPY (no decimals) and KWD (three decimals)', async () => {
    const jpy = await pendingOrder(env, { provider: 'airwallex', currency: 'JPY', amount: 5000 });
    expect(jpy.res.airwallex?.amount).toBe('4500');
    await deliver(event('payment_intent.succeeded', jpy).body);
    expect((await readState(env.db, jpy)).order).toMatchObject({ status: 'paid', paid_minor: 4500, attention: null });

    const kwd = await pendingOrder(env, { provider: 'airwallex', currency: 'KWD', amount: 12345 });
    // 10 % off 12.345 = 1.2345 → 1.235 (half up); total 11.110
    expect(kwd.res).toMatchObject({ discount_minor: 1235, total_minor: 11110 });
    expect(kwd.res.airwallex?.amount).toBe('11.110');
    await deliver(event('payment_intent.succeeded', kwd).body);
    expect((await readState(env.db, kwd)).order).toMatchObject({ status: 'paid', paid_minor: 11110, attention: null });
    // A partial refund of 1.005 KWD.
    await deliver(event('refund.accepted', kwd, { amount: '1.005' }).body);
    expect((await readState(env.db, kwd)).order).toMatchObject({ status: 'partially_refunded', refunded_minor: 1005 });
  });

  it('an amount with more decimals than the currency has is refused, not rounded', async () => {
    const s = await pendingOrder(env, { provider: 'airwallex' });
    const res = await deliver(event('payment_intent.succeeded', s, { amount: '22.505' }).body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/more than 2 decimal/);
    expect((await readState(env.db, s)).order?.status).toBe('pending');
  });

  it('a paid amount that differs from the order total is recorded and flagged', async () => {
    const s = await pendingOrder(env, { provider: 'airwallex' });
    await deliver(event('payment_intent.succeeded', s, { amount: '20.00' }).body);
    expect((await readState(env.db, s)).order).toMatchObject({
      status: 'paid',
      paid_minor: 2000,
      attention: matching(/paid 2000 USD for a total of 2250 USD/),
    });
  });
});

describe('exactly once and out of order', () => {
  it('duplicates, sequential and 20 at once', async () => {
    const s = await pendingOrder(env, { provider: 'airwallex' });
    const { body } = event('payment_intent.succeeded', s);
    const first = await deliver(body);
    const again = await deliver(body);
    expect([first.body.outcome, again.body.outcome]).toEqual(['applied', 'duplicate']);
    const refund = event('refund.accepted', s, { amount: '5.00' }).body;
    const all = await Promise.all(Array.from({ length: 20 }, () => deliver(refund)));
    expect(all.every((r) => r.status === 200)).toBe(true);
    expect(all.filter((r) => r.body.outcome === 'applied')).toHaveLength(1);
    const st = await readState(env.db, s);
    expect(st.order).toMatchObject({ status: 'partially_refunded', refunded_minor: 500 });
    expect(st.coupon?.uses_count).toBe(1);
  }, 120_000);

  it('a refund before the payment ends refunded with the payment recorded; the late success changes nothing', async () => {
    const s = await pendingOrder(env, { provider: 'airwallex' });
    await deliver(event('refund.accepted', s).body);
    expect((await readState(env.db, s)).order).toMatchObject({ status: 'refunded', paid_minor: 2250, refunded_minor: 2250 });
    expect(await paymentDoc(env.db, `airwallex-${s.res.airwallex?.intent_id}`)).toMatchObject({ amount_minor: 2250, status: 'refunded' });
    await deliver(event('payment_intent.succeeded', s).body);
    await deliver(event('payment_intent.cancelled', s).body);
    const st = await readState(env.db, s);
    expect(st.order?.status).toBe('refunded');
    expect(st.coupon?.uses_count).toBe(1);
  });

  it('the statuses of one refund only move forward; a failure after acceptance is flagged, not un-counted', async () => {
    const s = await pendingOrder(env, { provider: 'airwallex' });
    await deliver(event('payment_intent.succeeded', s).body);
    await deliver(event('refund.settled', s, { amount: '10.00' }).body);
    await deliver(event('refund.accepted', s, { amount: '10.00' }).body); // late
    await deliver(event('refund.received', s, { amount: '10.00' }).body); // later still
    let st = await readState(env.db, s);
    expect(st.order?.refunds?.[`rfd_${s.orderId}`]).toMatchObject({ status: 'settled', counts: true, amount_minor: 1000 });
    expect(st.order).toMatchObject({ status: 'partially_refunded', refunded_minor: 1000 });

    const other = await pendingOrder(env, { provider: 'airwallex' });
    await deliver(event('payment_intent.succeeded', other).body);
    await deliver(event('refund.accepted', other, { amount: '10.00' }).body);
    await deliver(event('refund.failed', other, { amount: '10.00' }).body);
    st = await readState(env.db, other);
    expect(st.order).toMatchObject({ status: 'partially_refunded', refunded_minor: 1000, attention: matching(/failed after it was accepted/) });
  });
});

describe('refused deliveries write nothing', () => {
  it('missing headers, a wrong secret, a tampered body, stale and future timestamps, seconds instead of ms', async () => {
    const s = await pendingOrder(env, { provider: 'airwallex' });
    const { body, id } = event('payment_intent.succeeded', s);
    expect((await deliver(body, { headers: {} })).body.error).toBe('missing x-timestamp or x-signature header');
    expect((await deliver(body, { secret: 'nope' })).body.error).toBe('invalid x-signature');
    const good = airwallexHeaders(body, TEST_SECRETS.airwallex);
    expect((await deliver(body.replace('22.50', '0.01'), { headers: good })).body.error).toBe('invalid x-signature');
    expect((await deliver(body, { timestampMs: Date.now() - 6 * 60_000 })).body.error).toBe('x-timestamp outside the freshness window');
    expect((await deliver(body, { timestampMs: Date.now() + 6 * 60_000 })).body.error).toBe('x-timestamp outside the freshness window');
    expect((await deliver(body, { timestampMs: Math.floor(Date.now() / 1000) })).body.error).toBe('x-timestamp outside the freshness window');
    expect((await deliver(body, { headers: { ...good, 'x-timestamp': 'yesterday' } })).status).toBe(400);
    expect(await deliveryRecord(env.db, `airwallex:${id}`)).toBeUndefined();
    expect((await readState(env.db, s)).order?.status).toBe('pending');
    // Within the window (4 minutes old) it is accepted.
    expect((await deliver(body, { timestampMs: Date.now() - 4 * 60_000 })).status).toBe(200);
  });

  it('malformed JSON and unexpected shapes', async () => {
    expect((await deliver('{"id": "evt_1", "name": "payment_intent.succeeded", ')).body.error).toBe('malformed JSON');
    expect((await deliver('"just a string"')).body.error).toBe('not an Airwallex event');
    const s = await pendingOrder(env, { provider: 'airwallex' });
    const broken = event('payment_intent.succeeded', s).body.replace('"amount": 22.50', '"amount": "lots"');
    expect((await deliver(broken)).body.error).toMatch(/^unexpected payment_intent.succeeded payload/);
  });
});
