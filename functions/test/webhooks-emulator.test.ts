/**
 * The three webhooks end to end through the functions emulator: real HTTP, the raw body as the
 * emulator hands it over, secrets from functions/.secret.local. The emulator's project is shared by
 * the whole run, so every test works on ids of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calBookings } from '@zhengrowth/model';
import { emulatorHosts } from '@zhengrowth/devstack/testing';
import { calEventId } from '../src/webhooks/cal.js';
import { testEnv, uniq, type TestEnv } from './support/env.js';
import { deliveryRecord, pendingOrder, readState, type Scenario } from './support/scenario.js';
import { airwallexHeaders, calSignature, fixture, localSecrets, stripeSignature } from './support/signing.js';

let env: TestEnv;
let secrets: Record<string, string>;
let base: string;

beforeAll(async () => {
  const hosts = emulatorHosts();
  if (!hosts.functions) throw new Error('No functions emulator for this test: run it through vitest (the global setup starts one)');
  base = `${hosts.functions}/${hosts.projectId}/us-central1`;
  env = await testEnv('e2e', hosts.projectId);
  secrets = localSecrets();
});
afterAll(async () => {
  await env?.close();
});

async function post(fn: string, body: string, headers: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }> {
  // A timeout of our own: an emulator worker that fails to start leaves its request hanging.
  const res = await fetch(`${base}/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    signal: AbortSignal.timeout(150_000),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text };
  }
  return { status: res.status, json };
}

function stripeBody(name: string, s: Scenario, eventId = uniq('evt_')): string {
  const now = Math.floor(Date.now() / 1000);
  return fixture('stripe', name, {
    event_id: eventId,
    order_id: s.orderId,
    order_number: s.res.order_number,
    session_id: s.res.stripe?.session_id ?? '',
    payment_intent: `pi_${s.orderId}`,
    charge_id: `ch_${s.orderId}`,
    amount: s.res.total_minor,
    refunded: s.res.total_minor,
    fully_refunded: 'true',
    currency: s.res.currency.toLowerCase(),
    created: now,
    expires: now + 3600,
  });
}

const stripePost = (body: string, secret = secrets.STRIPE_WEBHOOK_SECRET as string) =>
  post('stripeWebhook', body, { 'stripe-signature': stripeSignature(body, secret) });

describe('stripeWebhook', () => {
  it('applies a signed completion and records it', async () => {
    const s = await pendingOrder(env);
    const eventId = uniq('evt_');
    const res = await stripePost(stripeBody('checkout.session.completed', s, eventId));
    expect(res).toEqual({ status: 200, json: { received: true, outcome: 'applied', type: 'checkout.session.completed' } });
    const st = await readState(env.db, s);
    expect(st.order).toMatchObject({ status: 'paid', paid_minor: 2250 });
    expect(st.coupon).toMatchObject({ uses_count: 1, reserved_count: 0 });
    expect((await deliveryRecord(env.db, `stripe:${eventId}`))?.outcome).toBe('applied');
  });

  it('20 concurrent deliveries of one event: all 200, one effect', async () => {
    const s = await pendingOrder(env);
    const body = stripeBody('checkout.session.completed', s);
    const all = await Promise.all(Array.from({ length: 20 }, () => stripePost(body)));
    expect(all.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(all.filter((r) => r.json.outcome === 'applied')).toHaveLength(1);
    expect((await readState(env.db, s)).coupon).toMatchObject({ uses_count: 1, reserved_count: 0 });
  }, 180_000);

  it('400 for a bad signature or malformed JSON, 200 for an unknown type, 500 when the handler fails, 405 for GET', async () => {
    const s = await pendingOrder(env);
    const body = stripeBody('checkout.session.completed', s);
    const bad = await stripePost(body, 'whsec_not_the_secret');
    expect(bad).toEqual({ status: 400, json: { received: false, error: 'invalid Stripe-Signature' } });
    expect((await post('stripeWebhook', body, {})).status).toBe(400);
    const malformed = '{"id": "evt_1", "type": "checkout.session.completed", ';
    expect(
      (
        await post('stripeWebhook', malformed, {
          'stripe-signature': stripeSignature(malformed, secrets.STRIPE_WEBHOOK_SECRET as string),
          'content-type': 'text/plain',
        })
      ).json,
    ).toEqual({
      received: false,
      error: 'malformed JSON',
    });
    // With application/json the emulator's body parser refuses it first: still a 400.
    expect((await post('stripeWebhook', malformed, { 'stripe-signature': stripeSignature(malformed, secrets.STRIPE_WEBHOOK_SECRET as string) })).status).toBe(
      400,
    );
    expect((await readState(env.db, s)).order?.status).toBe('pending');

    const unknown = await stripePost(stripeBody('customer.created', s));
    expect(unknown).toEqual({ status: 200, json: { received: true, outcome: 'ignored', type: 'customer.created' } });

    await env.db.doc(`orders/${s.orderId}`).update({ currency: 'not-a-currency' });
    const failed = await stripePost(body);
    expect(failed).toEqual({ status: 500, json: { received: false, error: 'internal error; retry later' } });

    const get = await fetch(`${base}/stripeWebhook`);
    expect(get.status).toBe(405);
  });
});

describe('airwallexWebhook', () => {
  it('applies a signed payment, refuses a stale one', async () => {
    const s = await pendingOrder(env, { provider: 'airwallex' });
    const body = fixture('airwallex', 'payment_intent.succeeded', {
      event_id: uniq('evt_'),
      order_id: s.orderId,
      intent_id: s.res.airwallex?.intent_id ?? '',
      amount: '22.50',
      captured: '22.50',
      currency: 'USD',
    });
    const secret = secrets.AIRWALLEX_WEBHOOK_SECRET as string;
    const stale = await post('airwallexWebhook', body, airwallexHeaders(body, secret, Date.now() - 10 * 60_000));
    expect(stale).toEqual({ status: 400, json: { received: false, error: 'x-timestamp outside the freshness window' } });
    expect((await post('airwallexWebhook', body, airwallexHeaders(body, 'wrong'))).status).toBe(400);
    expect((await readState(env.db, s)).order?.status).toBe('pending');
    const ok = await post('airwallexWebhook', body, airwallexHeaders(body, secret));
    expect(ok).toEqual({ status: 200, json: { received: true, outcome: 'applied', type: 'payment_intent.succeeded' } });
    expect((await readState(env.db, s)).order).toMatchObject({ status: 'paid', paid_minor: 2250 });
    expect((await post('airwallexWebhook', body, airwallexHeaders(body, secret))).json.outcome).toBe('duplicate');
  });
});

describe('calWebhook', () => {
  it('upserts a signed booking, refuses a bad signature', async () => {
    const uid = uniq('uid');
    const createdAt = new Date().toISOString();
    const start = Date.now() + 86_400_000;
    const body = fixture('cal', 'BOOKING_CREATED', {
      uid,
      booking_id: 1 + Math.floor(Math.random() * 2_000_000_000),
      start: new Date(start).toISOString(),
      end: new Date(start + 3_600_000).toISOString(),
      created_at: createdAt,
      email: `${uniq('guest')}@example.com`,
      name: 'Guest',
      booking_token: 'none',
      event_type_id: 4242,
    });
    const secret = secrets.CAL_WEBHOOK_SECRET as string;
    expect((await post('calWebhook', body, { 'x-cal-signature-256': calSignature(body, 'wrong') })).status).toBe(400);
    const ok = await post('calWebhook', body, { 'x-cal-signature-256': calSignature(body, secret) });
    expect(ok).toEqual({ status: 200, json: { received: true, outcome: 'applied', type: 'BOOKING_CREATED' } });
    const doc = (
      await env.db
        .doc(calBookings.docPath({ calBookingDocId: `cal-${uid}` }))
        .withConverter(calBookings.converter)
        .get()
    ).data();
    expect(doc).toMatchObject({ status: 'confirmed', cal_uid: uid });
    expect((await deliveryRecord(env.db, `cal:${calEventId('BOOKING_CREATED', uid, createdAt)}`))?.outcome).toBe('applied');
  });
});
