/**
 * expireStaleOrders against the emulator: abandoned checkouts give their seats and coupon uses
 * back; fresh, paid and already-expired orders are left alone; a payment after the sweep still counts.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coupons, events, orders } from '@zhengrowth/model';
import { expireStaleOrders } from '../src/payments/expire.js';
import { applyOrderFacts } from '../src/payments/state.js';
import { buyer, checkout, seedCoupon, seedEvent, testEnv, type TestEnv } from './support/env.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv('expire');
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

/** Move an order's expiry into the past, as if its checkout had been abandoned long ago. */
async function ageOrder(orderId: string, minutesAgo: number): Promise<void> {
  await env.db.doc(orders.docPath({ orderId })).update({ expires_at: Timestamp.fromMillis(Date.now() - minutesAgo * 60_000) });
}

describe('expireStaleOrders', () => {
  it('expires abandoned checkouts past the grace period and gives seats and coupon uses back', async () => {
    const { eventId } = await seedEvent(env.db, { capacity: 4, prices: [{ currency: 'USD', amount_minor: 1500 }] });
    const { id: couponId, code } = await seedCoupon(env.db, { discount_type: 'percent', discount_percent: '10', max_uses: 3 });
    const abandoned = await checkout(env.deps(), buyer(), {
      provider: 'airwallex',
      coupon_code: code,
      items: [{ kind: 'event_ticket', event_id: eventId, quantity: 2 }],
    });
    const recent = await checkout(env.deps(), buyer(), { provider: 'airwallex', items: [{ kind: 'event_ticket', event_id: eventId, quantity: 1 }] });
    expect((await eventDoc(eventId))?.registered_count).toBe(3);
    expect((await couponDoc(couponId))?.reserved_count).toBe(1);

    await ageOrder(abandoned.order_id, 60); // well past expiry and grace
    await ageOrder(recent.order_id, 5); // expired, but inside the grace period: the provider may still say so itself

    const report = await expireStaleOrders(env.deps());
    expect(report.expired).toBeGreaterThanOrEqual(1);
    expect((await orderDoc(abandoned.order_id))?.status).toBe('expired');
    expect((await orderDoc(recent.order_id))?.status).toBe('pending');
    expect((await eventDoc(eventId))?.registered_count).toBe(1);
    expect(await couponDoc(couponId)).toMatchObject({ reserved_count: 0, uses_count: 0 });

    // A second sweep changes nothing.
    await expireStaleOrders(env.deps());
    expect((await eventDoc(eventId))?.registered_count).toBe(1);
    expect(await couponDoc(couponId)).toMatchObject({ reserved_count: 0, uses_count: 0 });
  });

  it('leaves paid orders alone, and a payment that arrives after the sweep still counts', async () => {
    const { eventId } = await seedEvent(env.db, { capacity: 5, prices: [{ currency: 'JPY', amount_minor: 3000 }] });
    const paid = await checkout(env.deps(), buyer(), { provider: 'airwallex', items: [{ kind: 'event_ticket', event_id: eventId, quantity: 1 }] });
    const late = await checkout(env.deps(), buyer(), { provider: 'airwallex', items: [{ kind: 'event_ticket', event_id: eventId, quantity: 1 }] });
    const pay = (orderId: string, intent: string) =>
      env.db.runTransaction((tx) =>
        applyOrderFacts(
          tx,
          env.db,
          orderId,
          [{ kind: 'paid', provider: 'airwallex', paymentObjectId: intent, amountMinor: 3000, currency: 'JPY' }],
          new Date(),
        ),
      );
    await pay(paid.order_id, 'int_paid');
    await ageOrder(paid.order_id, 120);
    await ageOrder(late.order_id, 120);

    await expireStaleOrders(env.deps());
    expect((await orderDoc(paid.order_id))?.status).toBe('paid');
    expect((await orderDoc(late.order_id))?.status).toBe('expired');
    expect((await eventDoc(eventId))?.registered_count).toBe(1);

    await pay(late.order_id, 'int_late');
    expect((await orderDoc(late.order_id))?.status).toBe('paid');
    expect((await eventDoc(eventId))?.registered_count).toBe(2);
  });
});
