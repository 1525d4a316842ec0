/**
 * getOrder, listOrders and refundOrder against the Firestore emulator; refunds go through the fake
 * provider APIs and come back as signed webhooks, as in production.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCallable } from '../src/core/callable.js';
import { getOrder as getOrderContract, listOrders as listOrdersContract, orders, refundOrder as refundOrderContract } from '@zhengrowth/model';
import { getOrder, listOrders } from '../src/checkout/orders.js';
import { refundOrder } from '../src/payments/refund.js';
import { handleAirwallexWebhook } from '../src/webhooks/airwallex.js';
import { runWebhook } from '../src/core/webhook-delivery.js';
import { handleStripeWebhook } from '../src/webhooks/stripe.js';
import { admin, asAuthData, buyer, testEnv, TEST_SECRETS, uniq, type Auth, type TestEnv } from './support/env.js';
import { pendingOrder, readState, type Scenario } from './support/scenario.js';
import { airwallexHeaders, fixture, stripeSignature } from './support/signing.js';
import { matching } from './support/matchers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv('orders');
});
afterAll(async () => {
  await env?.close();
});

const call = {
  get: (auth: Auth | null, data: unknown) => runCallable(getOrderContract, getOrder, { data, auth: asAuthData(auth) }, env.deps()),
  list: (auth: Auth | null, data: unknown) => runCallable(listOrdersContract, listOrders, { data, auth: asAuthData(auth) }, env.deps()),
  refund: (auth: Auth | null, data: unknown) => runCallable(refundOrderContract, refundOrder, { data, auth: asAuthData(auth) }, env.deps()),
};

async function code(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpsError);
  return (err as HttpsError).code;
}

async function stripe(name: string, s: Scenario, over: Record<string, string | number> = {}) {
  const now = Math.floor(Date.now() / 1000);
  const body = fixture('stripe', name, {
    event_id: uniq('evt_'),
    order_id: s.orderId,
    order_number: s.res.order_number,
    session_id: s.res.stripe?.session_id ?? '',
    payment_intent: `pi_${s.orderId}`,
    charge_id: `ch_${s.orderId}`,
    amount: s.res.total_minor,
    refunded: 0,
    fully_refunded: 'false',
    currency: s.res.currency.toLowerCase(),
    created: now,
    expires: now + 3600,
    ...over,
  });
  const sig = stripeSignature(body, TEST_SECRETS.stripe);
  const res = await runWebhook(
    'stripeWebhook',
    handleStripeWebhook,
    { rawBody: Buffer.from(body), header: (h) => (h === 'stripe-signature' ? sig : undefined) },
    env.webhookDeps(TEST_SECRETS.stripe),
  );
  expect(res.status).toBe(200);
}

async function airwallex(name: string, s: Scenario, over: Record<string, string | number>) {
  const body = fixture('airwallex', name, {
    event_id: uniq('evt_'),
    order_id: s.orderId,
    intent_id: s.res.airwallex?.intent_id ?? '',
    refund_id: 'rfd_none',
    refund_request: 'req',
    amount: s.res.airwallex?.amount ?? '0',
    captured: s.res.airwallex?.amount ?? '0',
    currency: s.res.currency,
    ...over,
  });
  const headers = airwallexHeaders(body, TEST_SECRETS.airwallex);
  const res = await runWebhook(
    'airwallexWebhook',
    handleAirwallexWebhook,
    { rawBody: Buffer.from(body), header: (h) => headers[h] },
    env.webhookDeps(TEST_SECRETS.airwallex),
  );
  expect(res.status).toBe(200);
}

describe('getOrder and listOrders', () => {
  it('the buyer and admins see an order; anyone else is told it does not exist', async () => {
    const s = await pendingOrder(env);
    expect(await call.get(s.auth, { order_id: s.orderId })).toMatchObject({
      id: s.orderId,
      status: 'pending',
      total_minor: 2250,
      discount_minor: 250,
      order_number: s.res.order_number,
    });
    expect(await call.get(admin(), { order_id: s.orderId })).toMatchObject({ id: s.orderId });
    expect(await code(call.get(buyer(), { order_id: s.orderId }))).toBe('not-found');
    expect(await code(call.get(null, { order_id: s.orderId }))).toBe('unauthenticated');
    expect(await code(call.get(s.auth, { order_id: 'a/b' }))).toBe('invalid-argument');
  });

  it('admins list orders newest first, by status, a page at a time', async () => {
    const made: Scenario[] = [];
    for (let i = 0; i < 3; i++) made.push(await pendingOrder(env));
    await stripe('checkout.session.completed', made[1]!, { amount: 2250 });
    const page1 = await call.list(admin(), { limit: 2 });
    expect(page1.orders).toHaveLength(2);
    expect(page1.next_page_token).toBe(page1.orders[1]!.id);
    const page2 = await call.list(admin(), { limit: 2, page_token: page1.next_page_token });
    expect(page2.orders[0]!.id).not.toBe(page1.orders[1]!.id);
    const created = [...page1.orders, ...page2.orders].map((o) => o.created_at as string);
    expect([...created].sort().reverse()).toEqual(created);
    const paid = await call.list(admin(), { status: 'paid', limit: 100 });
    expect(paid.orders.map((o) => o.id)).toContain(made[1]!.orderId);
    expect(paid.orders.every((o) => o.status === 'paid')).toBe(true);
    expect(await code(call.list(buyer(), {}))).toBe('permission-denied');
  });

  it('an order the model cannot read is skipped (and paged past), not the end of the admin list', async () => {
    const good = await pendingOrder(env);
    // Placed with the Admin SDK, past every check: the newest order, with amounts that are no numbers.
    const bad = env.db.doc(orders.docPath({ orderId: uniq('BAD') }));
    await bad.set({ status: 'pending', total_minor: 'lots', items: [{ kind: 42 }], created_at: Timestamp.fromMillis(Date.now() + 3_600_000) });
    try {
      const list = await call.list(admin(), { limit: 50 });
      expect(list.orders.map((o) => o.id)).toContain(good.orderId);
      expect(list.orders.map((o) => o.id)).not.toContain(bad.id);
      // A page that held only the bad order is empty, and its token goes on past it.
      const first = await call.list(admin(), { limit: 1 });
      expect(first).toEqual({ orders: [], next_page_token: bad.id });
      const next = await call.list(admin(), { limit: 1, page_token: first.next_page_token });
      expect(next.orders).toHaveLength(1);
    } finally {
      await bad.delete();
    }
  });
});

describe('refundOrder with Stripe', () => {
  it('refunds through the API with an idempotency key; the charge.refunded webhook moves the order', async () => {
    const s = await pendingOrder(env);
    await stripe('checkout.session.completed', s);
    const before = env.stripe.requests.length;
    const first = await call.refund(admin(), { order_id: s.orderId, amount_minor: 1000 });
    const again = await call.refund(admin(), { order_id: s.orderId, amount_minor: 1000 });
    expect(again).toEqual(first);
    const sent = env.stripe.requests.slice(before).filter((r) => r.path === '/v1/refunds');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.form).toMatchObject({ payment_intent: `pi_${s.orderId}`, amount: '1000', 'metadata[order_id]': s.orderId });
    expect(sent[0]!.headers['idempotency-key']).toBe(`${s.orderId}:refund:${first.request_key}`);
    expect(first).toMatchObject({
      amount_minor: 1000,
      refund: { id: matching(/^re_/), status: 'succeeded' },
      order_status: 'paid',
      refunded_minor: 0,
    });

    // Stripe confirms through the webhook; only then does the order move.
    await stripe('charge.refunded', s, { refunded: 1000, fully_refunded: 'false' });
    expect((await readState(env.db, s)).order).toMatchObject({ status: 'partially_refunded', refunded_minor: 1000 });
    // More than what is left is refused; the rest is fine.
    expect(await code(call.refund(admin(), { order_id: s.orderId, amount_minor: 1251 }))).toBe('failed-precondition');
    const rest = await call.refund(admin(), { order_id: s.orderId });
    expect(rest.amount_minor).toBe(1250);
    await stripe('charge.refunded', s, { refunded: 2250, fully_refunded: 'true' });
    const st = await readState(env.db, s);
    expect(st.order).toMatchObject({ status: 'refunded', refunded_minor: 2250 });
    expect(st.event?.registered_count).toBe(0);
    // The same "refund the rest" again returns what it did; a new request finds nothing left.
    expect(await call.refund(admin(), { order_id: s.orderId })).toMatchObject({ request_key: rest.request_key, amount_minor: 1250 });
    expect(await code(call.refund(admin(), { order_id: s.orderId, request_id: 'one-more-refund' }))).toBe('failed-precondition');
  });

  it('a refund still in flight counts against what can be refunded', async () => {
    const s = await pendingOrder(env);
    await stripe('checkout.session.completed', s);
    await call.refund(admin(), { order_id: s.orderId, amount_minor: 2000, request_id: 'first-refund-1' });
    expect(await code(call.refund(admin(), { order_id: s.orderId, amount_minor: 500, request_id: 'second-refund-2' }))).toBe('failed-precondition');
    const ok = await call.refund(admin(), { order_id: s.orderId, amount_minor: 250, request_id: 'second-refund-3' });
    expect(ok.amount_minor).toBe(250);
  });

  it('only admins, only paid orders; a provider failure can be retried with the same request', async () => {
    const s = await pendingOrder(env);
    expect(await code(call.refund(buyer(), { order_id: s.orderId }))).toBe('permission-denied');
    expect(await code(call.refund(admin(), { order_id: s.orderId }))).toBe('failed-precondition');
    expect(await code(call.refund(admin(), { order_id: 'missing-order' }))).toBe('not-found');
    await stripe('checkout.session.completed', s);
    env.stripe.failWith = 'down';
    try {
      expect(await code(call.refund(admin(), { order_id: s.orderId, request_id: 'retry-me-please' }))).toBe('unavailable');
    } finally {
      env.stripe.failWith = null;
    }
    const retried = await call.refund(admin(), { order_id: s.orderId, request_id: 'retry-me-please' });
    expect(retried).toMatchObject({ amount_minor: 2250, refund: { status: 'succeeded' } });
  });
});

describe('refundOrder with Airwallex', () => {
  it('sends the amount in major units with a request_id, and the refund webhook moves the order', async () => {
    const s = await pendingOrder(env, { provider: 'airwallex', currency: 'KWD', amount: 12345 });
    await airwallex('payment_intent.succeeded', s, {});
    const before = env.airwallex.requests.length;
    const res = await call.refund(admin(), { order_id: s.orderId, amount_minor: 1005 });
    const sent = env.airwallex.requests.slice(before).filter((r) => r.path === '/api/v1/pa/refunds/create');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.raw).toContain('"amount":1.005,');
    expect(JSON.parse(sent[0]!.raw)).toMatchObject({ payment_intent_id: s.res.airwallex?.intent_id, metadata: { order_id: s.orderId } });
    expect((JSON.parse(sent[0]!.raw) as { request_id: string }).request_id.length).toBeLessThanOrEqual(64);
    expect(res).toMatchObject({ refund: { id: matching(/^rfd_/), status: 'received' }, order_status: 'paid', refunded_minor: 0 });
    await airwallex('refund.accepted', s, { refund_id: res.refund!.id, amount: '1.005' });
    expect((await readState(env.db, s)).order).toMatchObject({ status: 'partially_refunded', refunded_minor: 1005 });
    // The same request again: nothing new sent.
    await call.refund(admin(), { order_id: s.orderId, amount_minor: 1005 });
    expect(env.airwallex.requests.slice(before).filter((r) => r.path === '/api/v1/pa/refunds/create')).toHaveLength(1);
  });
});
