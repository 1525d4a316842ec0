/**
 * createCheckout: prices the items from Firestore, applies a coupon, reserves event seats and the
 * coupon use, creates the order (and the paid booking for a session) in one transaction, then opens
 * the provider's checkout (a Stripe Checkout Session or an Airwallex payment intent).
 *
 * Decisions where the issue is silent (see also docs in the report):
 * - Coupon uses are reserved at checkout (reserved_count) so that concurrent checkouts cannot
 *   overspend max_uses; a use moves to uses_count when paid and is given back on expiry or failure.
 * - Seats are held at checkout (registered_count counts held and paid seats) and given back when
 *   the checkout expires, fails or is fully refunded.
 */
import { randomBytes } from 'node:crypto';
import { FieldValue, Timestamp, type Firestore } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { logger } from 'firebase-functions';
import {
  activeEventPricesByTier,
  bookings,
  calEventTypes,
  couponByCode,
  coupons,
  eventPrices,
  eventRegistrations,
  events,
  fromMinorUnits,
  mustGet,
  orderStatusOf,
  type CallableParsedInput,
  type CallableResult,
  type createCheckout as createCheckoutContract,
  type OrderItem,
  offers,
  type CouponDoc,
  type EventDoc,
  type EventPriceDoc,
  type OrderDoc,
} from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { verifiedEmail } from '../core/context.js';
import { mergeDoc, txCreate } from '../core/firestore.js';
import { buildQuery } from '../core/query.js';
import type { PaymentDeps } from '../payments/deps.js';
import { newOrderId, orderItems, orderNumberFor, orderRef } from '../payments/orders.js';
import { ProviderError } from '../payments/providers.js';
import { applyOrderFacts, statusOf } from '../payments/state.js';
import { checkStripeAmounts, computeTotals, couponDiscount, couponProblem, stripeLines } from './pricing.js';

type CreateCheckoutInput = CallableParsedInput<typeof createCheckoutContract>;
export type CheckoutResult = CallableResult<typeof createCheckoutContract>;

type PricedItem = Omit<OrderItem, 'registration_ids' | 'booking_id'>;

interface Priced {
  items: PricedItem[];
  currency: string;
}

/**
 * Price the items from Firestore. Catalogue documents (offers, session types, events, prices) are
 * read before the transaction: reading shared documents inside one makes concurrent checkouts wait
 * on each other's locks. The transaction reads only what must not change under it: the event
 * documents (seats) and the coupon (uses).
 */
async function priceItems(db: Firestore, input: CreateCheckoutInput, now: Date): Promise<Priced> {
  const items = await Promise.all(
    input.items.map(async (it): Promise<PricedItem> => {
      if (it.kind === 'offer') {
        const offer = (
          await db
            .doc(offers.docPath({ offerId: it.offer_id }))
            .withConverter(offers.converter)
            .get()
        ).data();
        if (!offer || offer.active === false) throw new HttpsError('not-found', `offer ${it.offer_id} is not available`);
        return {
          kind: 'offer',
          ref_id: it.offer_id,
          title: offer.title,
          quantity: it.quantity,
          unit_amount_minor: offer.price_minor,
          amount_minor: offer.price_minor * it.quantity,
          currency: offer.currency,
        };
      }
      if (it.kind === 'session') {
        const eventTypeId = String(it.event_type_id);
        const type = (await db.doc(calEventTypes.docPath({ eventTypeId })).withConverter(calEventTypes.converter).get()).data();
        if (!type || type.active === false) throw new HttpsError('not-found', `session type ${eventTypeId} is not available`);
        if (!type.price_minor || !type.currency)
          throw new HttpsError('failed-precondition', `session type ${eventTypeId} is free: book it on Cal.com directly`);
        return {
          kind: 'session',
          ref_id: eventTypeId,
          title: type.title,
          quantity: 1,
          unit_amount_minor: type.price_minor,
          amount_minor: type.price_minor,
          currency: type.currency,
          event_type_id: it.event_type_id,
        };
      }
      const event = (
        await db
          .doc(events.docPath({ eventId: it.event_id }))
          .withConverter(events.converter)
          .get()
      ).data();
      if (!event || event.published !== true) throw new HttpsError('not-found', `event ${it.event_id} is not available`);
      if (event.start_time.toMillis() <= now.getTime()) throw new HttpsError('failed-precondition', `event ${it.event_id} has already started`);
      const { id: priceId, price } = await findPrice(db, it, input.currency);
      return {
        kind: 'event_ticket',
        ref_id: it.event_id,
        title: `${event.title}${price.tier && price.tier !== 'standard' ? ` (${price.tier})` : ''}`,
        quantity: it.quantity,
        unit_amount_minor: price.amount_minor,
        amount_minor: price.amount_minor * it.quantity,
        currency: price.currency,
        price_id: priceId,
        tier: price.tier,
        region: price.region,
      };
    }),
  );
  const currencies = new Set(items.map((i) => i.currency));
  if (currencies.size !== 1)
    throw new HttpsError('invalid-argument', `the items are priced in different currencies (${[...currencies].join(', ')}): one order, one currency`);
  return { items, currency: [...currencies][0] as string };
}

/** The event's price for a ticket: the one named, or the active one of the tier for the region (else the region-less one) in the chosen currency. */
async function findPrice(
  db: Firestore,
  it: { event_id: string; price_id?: string | undefined; tier?: string | undefined; region?: string | undefined },
  currency: string | undefined,
): Promise<{ id: string; price: EventPriceDoc }> {
  if (it.price_id) {
    const price = (
      await db
        .doc(eventPrices.docPath({ eventId: it.event_id, priceId: it.price_id }))
        .withConverter(eventPrices.converter)
        .get()
    ).data();
    if (!price || price.active === false || price.event_id !== it.event_id) throw new HttpsError('not-found', `price ${it.price_id} is not available`);
    return { id: it.price_id, price };
  }
  const q = buildQuery(db, activeEventPricesByTier, [true, it.tier ?? 'standard'], { eventId: it.event_id }).withConverter(eventPrices.converter);
  let candidates = (await q.get()).docs.map((d) => ({ id: d.id, price: d.data() }));
  if (currency) candidates = candidates.filter((c) => c.price.currency === currency);
  const regional = it.region ? candidates.filter((c) => c.price.region === it.region) : [];
  candidates = regional.length ? regional : candidates.filter((c) => c.price.region === null);
  if (candidates.length === 0)
    throw new HttpsError('not-found', `event ${it.event_id} has no ${it.tier ?? 'standard'} price${currency ? ` in ${currency}` : ''}`);
  if (candidates.length > 1) throw new HttpsError('invalid-argument', `event ${it.event_id} has several matching prices: say which currency (or price_id)`);
  return candidates[0] as { id: string; price: EventPriceDoc };
}

async function findCouponId(db: Firestore, code: string): Promise<string> {
  const found = await buildQuery(db, couponByCode, [code]).limit(2).get();
  const doc = found.docs[0];
  if (!doc) throw new HttpsError('not-found', 'unknown coupon code');
  return doc.id;
}

function sendableError(err: ProviderError): HttpsError {
  return err.rejected
    ? new HttpsError('failed-precondition', `the payment provider refused the checkout (${err.provider})`)
    : new HttpsError('unavailable', `the payment provider (${err.provider}) is not reachable; please try again`);
}

export const createCheckout: CallableHandler<typeof createCheckoutContract, PaymentDeps> = async (input, caller, deps) => {
  if (!caller) throw new HttpsError('unauthenticated', 'sign in to check out');
  // After paying, the provider sends the buyer to these URLs: only to our own app, or checkout
  // would be an open redirect for phishing pages that look like a paid receipt.
  for (const field of ['success_url', 'cancel_url'] as const) {
    if (!deps.redirectOrigins.includes(new URL(input[field]).origin)) {
      throw new HttpsError('invalid-argument', `${field}: ${new URL(input[field]).origin} is not one of the app's origins`);
    }
  }
  // The order, its bookings and registrations are matched to people by this address (a verified
  // e-mail reads them under the rules): an unverified one could plant records in someone else's lists.
  const email = verifiedEmail(caller);
  if (!email) throw new HttpsError('failed-precondition', 'verify your e-mail address before checking out: the receipt and bookings are sent to it');
  const { db } = deps;
  const nowDate = deps.now();
  const now = Timestamp.fromDate(nowDate);
  const orderId = newOrderId(input.idempotency_key ? { uid: caller.uid, key: input.idempotency_key } : undefined);
  const orderNumber = orderNumberFor(orderId);
  const ref = orderRef(db, orderId);
  const couponId = input.coupon_code ? await findCouponId(db, input.coupon_code) : null;
  const priced = await priceItems(db, input, nowDate);
  const ttl = Math.min(Math.max(deps.checkoutTtlMinutes, 30), 1440);
  const expiresAt = new Date(nowDate.getTime() + ttl * 60_000);

  const made = await db.runTransaction(
    async (tx) => {
      const existing = (await tx.get(ref)).data();
      if (existing) return { order: existing, created: false };
      const seats = new Map<string, number>();
      for (const it of priced.items) if (it.kind === 'event_ticket') seats.set(it.ref_id, (seats.get(it.ref_id) ?? 0) + it.quantity);
      const eventDocs = new Map<string, EventDoc>();
      for (const eventId of seats.keys()) {
        const e = (await tx.get(db.doc(events.docPath({ eventId })).withConverter(events.converter))).data();
        if (!e) throw new HttpsError('not-found', `event ${eventId} is not available`);
        eventDocs.set(eventId, e);
      }
      let coupon: { id: string; doc: CouponDoc } | null = null;
      if (couponId) {
        const doc = (await tx.get(db.doc(coupons.docPath({ couponId })).withConverter(coupons.converter))).data();
        if (!doc) throw new HttpsError('not-found', 'unknown coupon code');
        const problem = couponProblem(doc, nowDate, priced.currency);
        if (problem) throw new HttpsError('failed-precondition', problem);
        coupon = { id: couponId, doc };
      }
      const subtotal = priced.items.reduce((s, i) => s + i.amount_minor, 0);
      const totals = computeTotals(priced.items, coupon ? couponDiscount(coupon.doc, subtotal) : 0, deps.taxRatePercent);
      if (input.provider === 'stripe' && totals.total_minor > 0) checkStripeAmounts(priced.currency, stripeLines(orderNumber, priced.items, totals));

      // Seats: the event documents were read in this transaction, so a concurrent checkout makes this one retry.
      for (const [eventId, n] of seats) {
        const e = mustGet(eventDocs, eventId, 'event read in this transaction');
        if (e.capacity !== null && (e.registered_count ?? 0) + n > e.capacity) {
          const left = Math.max(0, e.capacity - (e.registered_count ?? 0));
          const why = left === 0 ? 'it is sold out' : `only ${left} of its ${e.capacity} seats ${left === 1 ? 'is' : 'are'} left`;
          throw new HttpsError('resource-exhausted', `${e.title}: ${n} seat${n === 1 ? '' : 's'} asked, but ${why}`);
        }
      }

      // ---- writes ----
      let regSeq = 0;
      const bookingId = priced.items.some((i) => i.kind === 'session') ? `bk-${orderId}` : null;
      const items: OrderItem[] = priced.items.map((it) => {
        if (it.kind === 'event_ticket') return { ...it, registration_ids: Array.from({ length: it.quantity }, () => `${orderId}-${++regSeq}`) };
        if (it.kind === 'session' && bookingId) return { ...it, booking_id: bookingId };
        return it;
      });
      const order: OrderDoc = {
        order_number: orderNumber,
        user_id: caller.uid,
        customer_email: email,
        customer_name: input.customer_name ?? null,
        items,
        subtotal_minor: totals.subtotal_minor,
        tax_minor: totals.tax_minor,
        total_minor: totals.total_minor,
        currency: priced.currency,
        payment_provider: input.provider,
        payment_id: null,
        status: 'pending',
        metadata: { tax_rate_percent: deps.taxRatePercent, coupon_code: input.coupon_code ?? null },
        created_at: now,
        updated_at: now,
        coupon_id: coupon?.id ?? null,
        discount_minor: totals.discount_minor,
        coupon_state: coupon ? 'reserved' : 'none',
        capacity_state: seats.size ? 'reserved' : 'none',
        booking_id: bookingId,
        payment_intent_id: null,
        refunded_minor: 0,
        refunds: {},
        paid_at: null,
        failed_at: null,
        expired_at: null,
        expires_at: Timestamp.fromDate(expiresAt),
        checkout_url: null,
        attention: null,
      };
      tx.create(ref, order);
      for (const [eventId, n] of seats) tx.update(db.doc(events.docPath({ eventId })), { registered_count: FieldValue.increment(n), updated_at: now });
      for (const it of items) {
        for (const registrationId of it.registration_ids ?? []) {
          txCreate(tx, db.doc(eventRegistrations.docPath({ eventId: it.ref_id, registrationId })).withConverter(eventRegistrations.converter), {
            event_id: it.ref_id,
            user_id: caller.uid,
            attendee_email: email,
            attendee_name: input.customer_name ?? null,
            ticket_type: it.tier ?? 'standard',
            status: 'reserved',
            checked_in: false,
            payment_status: 'pending',
            amount_paid_minor: null,
            currency: it.currency,
            metadata: { order_number: orderNumber },
            registered_at: now,
            updated_at: now,
            order_id: orderId,
          });
        }
      }
      if (coupon) tx.update(db.doc(coupons.docPath({ couponId: coupon.id })), { reserved_count: FieldValue.increment(1) });
      const session = items.find((i) => i.kind === 'session');
      if (session && bookingId) {
        txCreate(tx, db.doc(bookings.docPath({ bookingId })).withConverter(bookings.converter), {
          booking_token: randomBytes(18).toString('base64url'),
          cal_booking_id: null,
          customer_email: email,
          customer_name: input.customer_name ?? null,
          event_type_id: session.event_type_id ?? null,
          amount_minor: session.amount_minor,
          currency: session.currency,
          payment_id: null,
          status: 'pending',
          metadata: { order_number: orderNumber },
          created_at: now,
          updated_at: now,
          user_id: caller.uid,
          order_id: orderId,
          cal_uid: null,
          cal_status: null,
        });
      }
      return { order, created: true };
    },
    { maxAttempts: 30 },
  );

  const order = made.order;
  if (order.user_id !== caller.uid) throw new HttpsError('already-exists', 'this idempotency key was used for another order');
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
    const booking = (
      await db
        .doc(bookings.docPath({ bookingId: order.booking_id }))
        .withConverter(bookings.converter)
        .get()
    ).data();
    if (booking) result.booking = { id: order.booking_id, booking_token: booking.booking_token };
  }
  if (made.created) logger.info('order created', { order_id: orderId, total_minor: order.total_minor, currency: order.currency, provider });

  if (!made.created) {
    // A retry with the same idempotency key: say where the order stands, or finish what the
    // first call started (it may have died between the transaction and the provider call).
    if (order.status !== 'pending') return result;
    if (order.payment_id && provider === 'stripe') return { ...result, stripe: { session_id: order.payment_id, url: order.checkout_url ?? null } };
    const secret = isRecord(order.metadata) ? order.metadata.airwallex_client_secret : undefined;
    if (order.payment_id && provider === 'airwallex' && typeof secret === 'string') {
      return {
        ...result,
        airwallex: { intent_id: order.payment_id, client_secret: secret, amount: fromMinorUnits(order.total_minor, order.currency), currency: order.currency },
      };
    }
  }
  if (order.total_minor === 0) {
    // Nothing to pay (a 100 % coupon): the order is paid at once, with the same effects as a payment.
    const out = await db.runTransaction((tx) =>
      applyOrderFacts(tx, db, orderId, [{ kind: 'paid', provider: 'free', paymentObjectId: orderId, amountMinor: 0, currency: order.currency }], deps.now()),
    );
    return { ...result, status: orderStatusOf(out.after) ?? 'paid' };
  }

  try {
    if (provider === 'stripe') {
      const session = await deps.stripe().createCheckoutSession({
        orderId,
        orderNumber: order.order_number,
        currency: order.currency,
        customerEmail: order.customer_email,
        lines: stripeLines(order.order_number, orderItems(order), {
          subtotal_minor: order.subtotal_minor,
          discount_minor: order.discount_minor ?? 0,
          tax_minor: order.tax_minor ?? 0,
          total_minor: order.total_minor,
        }),
        successUrl: input.success_url,
        cancelUrl: input.cancel_url,
        expiresAt: order.expires_at?.toDate() ?? expiresAt,
      });
      await mergeDoc(ref, { payment_id: session.id, checkout_url: session.url, updated_at: Timestamp.fromDate(deps.now()) });
      return { ...result, stripe: { session_id: session.id, url: session.url } };
    }
    const intent = await deps.airwallex().createPaymentIntent({
      orderId,
      orderNumber: order.order_number,
      amountMinor: order.total_minor,
      currency: order.currency,
      returnUrl: input.success_url,
    });
    await mergeDoc(ref, {
      payment_id: intent.id,
      payment_intent_id: intent.id,
      metadata: { ...(isRecord(order.metadata) ? order.metadata : {}), airwallex_client_secret: intent.clientSecret },
      updated_at: Timestamp.fromDate(deps.now()),
    });
    return {
      ...result,
      airwallex: {
        intent_id: intent.id,
        client_secret: intent.clientSecret,
        amount: fromMinorUnits(order.total_minor, order.currency),
        currency: order.currency,
      },
    };
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    logger.warn('checkout provider call failed; releasing the order', { order_id: orderId, provider: err.provider, error: err.message });
    await db.runTransaction((tx) => applyOrderFacts(tx, db, orderId, [{ kind: 'failed', provider, reason: 'checkout_not_created' }], deps.now()));
    throw sendableError(err);
  }
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
