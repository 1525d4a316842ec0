/**
 * createCheckout: prices the items from Firestore (cart.ts, the same code quoteCheckout runs),
 * applies a coupon, reserves event seats and the coupon use and creates the order (and the paid
 * booking for a session) in one transaction (reserve.ts), then opens the provider's checkout
 * (payment.ts). Signed in: the order is the account's and goes to its verified e-mail. Signed out:
 * a guest order (user_id null) for customer_email, with a signed manage link in its confirmation;
 * it joins the account that later signs up with that (verified) address (adoptGuestOrders).
 *
 * Decisions where the issue is silent:
 * - Coupon uses are reserved at checkout (reserved_count) so that concurrent checkouts cannot
 *   overspend max_uses; a use moves to uses_count when paid and is given back on expiry or failure.
 * - Seats are held at checkout (registered_count counts held and paid seats) and given back when
 *   the checkout expires, fails or is fully refunded.
 */
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { logger } from 'firebase-functions/logger';
import {
  coupons,
  events,
  mustGet,
  orderStatusOf,
  type CallableParsedInput,
  type CallableResult,
  type createCheckout as createCheckoutContract,
  type EventDoc,
  type JsonValue,
} from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { verifiedEmail, type Caller } from '../core/context.js';
import { manageUrl } from '../shared/links.js';
import type { PaymentDeps } from '../payments/deps.js';
import { newOrderId, orderNumberFor, orderRef } from '../shared/orders.js';
import { statusOf } from '../payments/fold.js';
import { applyOrderFacts } from '../payments/state.js';
import { applyCoupon, findCoupon, priceCart } from './cart.js';
import { existingPayment, openPayment } from './payment.js';
import { checkStripeAmounts, stripeLines } from './pricing.js';
import { buildOrder, ticketRegistrationIds, writeOrder, type Buyer } from './reserve.js';
import { runTx } from '../core/firestore.js';

type CreateCheckoutInput = CallableParsedInput<typeof createCheckoutContract>;
export type CheckoutResult = CallableResult<typeof createCheckoutContract>;

/** Whose order: the caller's account (its verified e-mail), or a guest's (the e-mail and name given). */
export function buyerOf(input: { customer_email?: string | undefined; customer_name?: string | undefined }, caller: Caller | null): Buyer {
  if (caller) {
    if (input.customer_email) throw new HttpsError('invalid-argument', "customer_email: a signed-in checkout uses the account's verified e-mail");
    // The order, its bookings and registrations are matched to people by this address (a verified
    // e-mail reads them under the rules): an unverified one could plant records in someone else's lists.
    const email = verifiedEmail(caller);
    if (!email) throw new HttpsError('failed-precondition', 'verify your e-mail address first: the receipt and bookings are sent to it');
    return { uid: caller.uid, email, name: input.customer_name ?? null };
  }
  if (!input.customer_email) throw new HttpsError('invalid-argument', 'customer_email: required without signing in (or sign in)');
  if (!input.customer_name) throw new HttpsError('invalid-argument', 'customer_name: required without signing in');
  return { uid: null, email: input.customer_email, name: input.customer_name };
}

/** Success and cancel URLs only to our own app, or checkout would be an open redirect for phishing pages. */
export function checkRedirects(input: { success_url: string; cancel_url: string }, origins: readonly string[]): void {
  for (const field of ['success_url', 'cancel_url'] as const) {
    const origin = new URL(input[field]).origin;
    if (!origins.includes(origin)) throw new HttpsError('invalid-argument', `${field}: ${origin} is not one of the app's origins`);
  }
}

async function reserve(
  db: Firestore,
  input: CreateCheckoutInput,
  deps: PaymentDeps,
  buyer: Buyer,
  orderId: string,
  now: Date,
): Promise<{ order: ReturnType<typeof buildOrder>['order']; created: boolean }> {
  const orderNumber = orderNumberFor(orderId);
  const ref = orderRef(db, orderId);
  const couponFound = input.coupon_code ? await findCoupon(db, input.coupon_code) : null;
  if (input.coupon_code && !couponFound) throw new HttpsError('not-found', 'unknown coupon code');
  const cart = await priceCart(db, input, now);
  const ttl = Math.min(Math.max(deps.checkoutTtlMinutes, 30), 1440);
  const expiresAt = new Date(now.getTime() + ttl * 60_000);
  const ticketIds = ticketRegistrationIds(orderId, cart.items);
  const eventOf = new Map(
    cart.items
      .filter((i) => i.kind === 'event_ticket')
      .flatMap((i) => Array.from({ length: i.quantity }, () => i.ref_id))
      .entries(),
  );
  const metadata: Record<string, JsonValue> = {
    tickets: ticketIds.map((registrationId, i) => {
      const eventId = mustGet(eventOf, i, 'ticket event');
      return { event_id: eventId, registration_id: registrationId, checkin_token: deps.links.sign('checkin', { eventId, registrationId }, now) };
    }),
  };
  if (!buyer.uid) metadata.manage_url = manageUrl(deps.appUrl, deps.links.sign('manage', { orderId }, now));

  return runTx(
    db,
    async (tx) => {
      const existing = (await tx.get(ref)).data();
      if (existing) return { order: existing, created: false };
      const seats = new Map<string, number>();
      for (const it of cart.items) if (it.kind === 'event_ticket') seats.set(it.ref_id, (seats.get(it.ref_id) ?? 0) + it.quantity);
      const eventDocs = new Map<string, EventDoc>();
      for (const eventId of seats.keys()) {
        const e = (await tx.get(db.doc(events.docPath({ eventId })).withConverter(events.converter))).data();
        if (!e) throw new HttpsError('not-found', `event ${eventId} is not available`);
        eventDocs.set(eventId, e);
      }
      // The coupon as it stands in this transaction (uses by concurrent checkouts count).
      const coupon = couponFound ? (await tx.get(db.doc(coupons.docPath({ couponId: couponFound.id })).withConverter(coupons.converter))).data() : null;
      if (couponFound && !coupon) throw new HttpsError('not-found', 'unknown coupon code');
      const { totals, problem } = applyCoupon(cart, coupon ?? null, now, deps.taxRatePercent, buyer.uid);
      if (problem) throw new HttpsError('failed-precondition', problem.message);
      if (input.provider === 'stripe' && totals.total_minor > 0) checkStripeAmounts(cart.currency, stripeLines(orderNumber, cart.items, totals));
      // Seats: the event documents were read in this transaction, so a concurrent checkout makes this one retry.
      for (const [eventId, n] of seats) {
        const e = mustGet(eventDocs, eventId, 'event read in this transaction');
        if (e.capacity !== null && (e.registered_count ?? 0) + n > e.capacity) {
          const left = Math.max(0, e.capacity - (e.registered_count ?? 0));
          const why = left === 0 ? 'it is sold out' : `only ${left} of its ${e.capacity} seats ${left === 1 ? 'is' : 'are'} left`;
          throw new HttpsError('resource-exhausted', `${e.title}: ${n} seat${n === 1 ? '' : 's'} asked, but ${why}`);
        }
      }
      const built = buildOrder(
        {
          orderId,
          orderNumber,
          buyer,
          items: cart.items,
          currency: cart.currency,
          totals,
          provider: input.provider,
          taxRatePercent: deps.taxRatePercent,
          couponId: couponFound?.id ?? null,
          couponCode: input.coupon_code ?? null,
          expiresAt,
          metadata,
        },
        Timestamp.fromDate(now),
      );
      writeOrder(tx, db, built, Timestamp.fromDate(now));
      return { order: built.order, created: true };
    },
    { maxAttempts: 30 },
  );
}

export const createCheckout: CallableHandler<typeof createCheckoutContract, PaymentDeps> = async (input, caller, deps) => {
  checkRedirects(input, deps.redirectOrigins);
  const buyer = buyerOf(input, caller);
  const { db } = deps;
  const now = deps.now();
  // The same key, the same order; a guest's key is scoped by the address (there is no uid).
  const owner = buyer.uid ?? `guest:${buyer.email}`;
  const orderId = newOrderId(input.idempotency_key ? { uid: owner, key: input.idempotency_key } : undefined);
  const made = await reserve(db, input, deps, buyer, orderId, now);
  const order = made.order;
  if (order.user_id !== buyer.uid || (buyer.uid === null && order.customer_email !== buyer.email)) {
    throw new HttpsError('already-exists', 'this idempotency key was used for another order');
  }
  const provider = (order.payment_provider ?? input.provider) as 'stripe' | 'airwallex';
  const result: CheckoutResult = {
    order_id: orderId,
    order_number: order.order_number,
    status: statusOf(order),
    provider,
    currency: order.currency,
    subtotal_minor: order.subtotal_minor,
    discount_minor: order.discount_minor ?? 0,
    tax_minor: order.tax_minor ?? 0,
    total_minor: order.total_minor,
  };
  if (order.booking_id) {
    const booking = (await db.doc(`bookings/${order.booking_id}`).get()).get('booking_token') as unknown;
    if (typeof booking === 'string') result.booking = { id: order.booking_id, booking_token: booking };
  }
  if (made.created) logger.info('order created', { order_id: orderId, total_minor: order.total_minor, currency: order.currency, provider, guest: !buyer.uid });

  if (!made.created) {
    // A retry with the same idempotency key: say where the order stands, or finish what the
    // first call started (it may have died between the transaction and the provider call).
    if (order.status !== 'pending') return result;
    const handle = existingPayment(order);
    if (handle) return { ...result, ...handle };
  }
  if (order.total_minor === 0) {
    // Nothing to pay (a 100 % coupon): the order is paid at once, with the same effects as a payment.
    const out = await runTx(db, (tx) =>
      applyOrderFacts(tx, db, orderId, [{ kind: 'paid', provider: 'free', paymentObjectId: orderId, amountMinor: 0, currency: order.currency }], deps.now()),
    );
    return { ...result, status: orderStatusOf(out.after) ?? 'paid' };
  }
  return { ...result, ...(await openPayment(deps, db, orderId, order, input)) };
};
