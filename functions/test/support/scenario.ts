/** A pending order with every side effect in play (seats, coupon, buyer), and readers for its documents. */
import type { Firestore } from 'firebase-admin/firestore';
import { coupons, emailQueue, eventRegistrations, events, orders, payments, receipts, deliveries } from '@zhengrowth/model';
import type { CheckoutResult } from '../../src/checkout/create.js';
import { buyer, checkout, seedCoupon, seedEvent, type Auth, type TestEnv } from './env.js';

export interface Scenario {
  auth: Auth;
  res: CheckoutResult;
  orderId: string;
  eventId: string;
  couponId: string;
}

/** One ticket (capacity 5) bought with a 10 % coupon: total 2250 minor units of `currency`. */
export async function pendingOrder(
  env: TestEnv,
  opts: { provider?: 'stripe' | 'airwallex'; currency?: string; amount?: number; capacity?: number } = {},
): Promise<Scenario> {
  const currency = opts.currency ?? 'USD';
  const { eventId } = await seedEvent(env.db, { capacity: opts.capacity ?? 5, prices: [{ currency, amount_minor: opts.amount ?? 2500 }] });
  const { id: couponId, code } = await seedCoupon(env.db, { discount_type: 'percent', discount_percent: '10', max_uses: 10 });
  const auth = buyer();
  const res = await checkout(env.deps(), auth, {
    provider: opts.provider ?? 'stripe',
    coupon_code: code,
    items: [{ kind: 'event_ticket', event_id: eventId }],
  });
  return { auth, res, orderId: res.order_id, eventId, couponId };
}

export async function readState(db: Firestore, s: Scenario) {
  const order = (
    await db
      .doc(orders.docPath({ orderId: s.orderId }))
      .withConverter(orders.converter)
      .get()
  ).data();
  const event = (
    await db
      .doc(events.docPath({ eventId: s.eventId }))
      .withConverter(events.converter)
      .get()
  ).data();
  const coupon = (
    await db
      .doc(coupons.docPath({ couponId: s.couponId }))
      .withConverter(coupons.converter)
      .get()
  ).data();
  const regs = await db
    .collection(eventRegistrations.collectionPath({ eventId: s.eventId }))
    .withConverter(eventRegistrations.converter)
    .get();
  const receipt = (
    await db
      .doc(receipts.docPath({ uid: s.auth.uid, receiptId: s.orderId }))
      .withConverter(receipts.converter)
      .get()
  ).data();
  const email = (
    await db
      .doc(emailQueue.docPath({ emailId: `order-${s.orderId}-confirmation` }))
      .withConverter(emailQueue.converter)
      .get()
  ).data();
  return { order, event, coupon, registrations: regs.docs.map((d) => d.data()), receipt, email };
}

export async function paymentDoc(db: Firestore, paymentId: string) {
  return (await db.doc(payments.docPath({ paymentId })).withConverter(payments.converter).get()).data();
}

export async function deliveryRecord(db: Firestore, deliveryId: string) {
  return (await db.doc(deliveries.docPath({ deliveryId })).withConverter(deliveries.converter).get()).data();
}
