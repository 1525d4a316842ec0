/**
 * A cart priced from Firestore: what createCheckout charges and quoteCheckout shows, through the
 * same functions (priceCart, findCoupon, applyCoupon). Catalogue documents are read outside any
 * transaction: reading shared documents inside one makes concurrent checkouts wait on each other.
 */
import { HttpsError } from 'firebase-functions/v2/https';
import type { Firestore } from 'firebase-admin/firestore';
import {
  activeEventPricesByTier,
  calEventTypes,
  couponByCode,
  coupons,
  eventPrices,
  events,
  offers,
  type CallableParsedInput,
  type CouponDoc,
  type createCheckout as createCheckoutContract,
  type EventPriceDoc,
  type OrderItem,
} from '@zhengrowth/model';
import { buildQuery } from '../core/query.js';
import { goodDocs } from '../core/read.js';
import { computeTotals, couponDiscount, couponVerdict, type CouponVerdict, type Totals } from './pricing.js';

export type CartInput = Pick<CallableParsedInput<typeof createCheckoutContract>, 'items' | 'currency'>;

export type PricedItem = Omit<OrderItem, 'registration_ids' | 'booking_id'>;

export interface PricedCart {
  items: PricedItem[];
  currency: string;
}

async function priceOffer(db: Firestore, offerId: string, quantity: number): Promise<PricedItem> {
  const offer = (await db.doc(offers.docPath({ offerId })).withConverter(offers.converter).get()).data();
  if (!offer || offer.active === false) throw new HttpsError('not-found', `offer ${offerId} is not available`);
  return {
    kind: 'offer',
    ref_id: offerId,
    title: offer.title,
    quantity,
    unit_amount_minor: offer.price_minor,
    amount_minor: offer.price_minor * quantity,
    currency: offer.currency,
    // What the buyer gets, as it is now: a later edit of the offer does not change what was sold.
    grants: {
      sessions: offer.sessions_included ?? 0,
      duration_weeks: offer.duration_weeks,
      lesson_access: offer.lesson_access ?? [],
      partial_refund: offer.partial_refund ?? 'keep',
    },
  };
}

async function priceSession(db: Firestore, eventTypeIdNum: number): Promise<PricedItem> {
  const eventTypeId = String(eventTypeIdNum);
  const type = (await db.doc(calEventTypes.docPath({ eventTypeId })).withConverter(calEventTypes.converter).get()).data();
  if (!type || type.active === false) throw new HttpsError('not-found', `session type ${eventTypeId} is not available`);
  if (!type.price_minor || !type.currency) throw new HttpsError('failed-precondition', `session type ${eventTypeId} is free: book it on Cal.com directly`);
  return {
    kind: 'session',
    ref_id: eventTypeId,
    title: type.title,
    quantity: 1,
    unit_amount_minor: type.price_minor,
    amount_minor: type.price_minor,
    currency: type.currency,
    event_type_id: eventTypeIdNum,
  };
}

/** An event's ticket: the price named, or the active one of the tier for the region (else the region-less one) in the chosen currency. */
export async function priceTicket(
  db: Firestore,
  it: { event_id: string; price_id?: string | undefined; tier?: string | undefined; region?: string | undefined; quantity: number },
  currency: string | undefined,
  now: Date,
): Promise<PricedItem> {
  const event = (
    await db
      .doc(events.docPath({ eventId: it.event_id }))
      .withConverter(events.converter)
      .get()
  ).data();
  if (!event || event.published !== true) throw new HttpsError('not-found', `event ${it.event_id} is not available`);
  if (event.start_time.toMillis() <= now.getTime()) throw new HttpsError('failed-precondition', `event ${it.event_id} has already started`);
  const { id: priceId, price } = await findPrice(db, it, currency);
  return ticketItem(it.event_id, event.title, priceId, price, it.quantity);
}

/** The order line of `quantity` tickets of an event at one of its prices. */
export function ticketItem(eventId: string, eventTitle: string, priceId: string, price: EventPriceDoc, quantity: number): PricedItem {
  return {
    kind: 'event_ticket',
    ref_id: eventId,
    title: `${eventTitle}${price.tier && price.tier !== 'standard' ? ` (${price.tier})` : ''}`,
    quantity,
    unit_amount_minor: price.amount_minor,
    amount_minor: price.amount_minor * quantity,
    currency: price.currency,
    price_id: priceId,
    tier: price.tier,
    region: price.region,
  };
}

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
  const q = buildQuery(db, activeEventPricesByTier, [true, it.tier ?? 'standard'], { eventId: it.event_id });
  // A price document that does not match the model is no candidate (logged), not a failed checkout.
  let candidates = goodDocs(eventPrices, (await q.get()).docs, 'checkoutCart').map((d) => ({ id: d.id, price: d.data }));
  if (currency) candidates = candidates.filter((c) => c.price.currency === currency);
  const regional = it.region ? candidates.filter((c) => c.price.region === it.region) : [];
  candidates = regional.length ? regional : candidates.filter((c) => c.price.region === null);
  if (candidates.length === 0)
    throw new HttpsError('not-found', `event ${it.event_id} has no ${it.tier ?? 'standard'} price${currency ? ` in ${currency}` : ''}`);
  if (candidates.length > 1) throw new HttpsError('invalid-argument', `event ${it.event_id} has several matching prices: say which currency (or price_id)`);
  return candidates[0] as { id: string; price: EventPriceDoc };
}

/** Every item priced from Firestore; one order, one currency. */
export async function priceCart(db: Firestore, input: CartInput, now: Date): Promise<PricedCart> {
  const items = await Promise.all(
    input.items.map((it): Promise<PricedItem> => {
      if (it.kind === 'offer') return priceOffer(db, it.offer_id, it.quantity);
      if (it.kind === 'session') return priceSession(db, it.event_type_id);
      return priceTicket(db, it, input.currency, now);
    }),
  );
  const currencies = new Set(items.map((i) => i.currency));
  if (currencies.size !== 1)
    throw new HttpsError('invalid-argument', `the items are priced in different currencies (${[...currencies].join(', ')}): one order, one currency`);
  return { items, currency: [...currencies][0] as string };
}

/**
 * The coupon a code names (COUPON_CASE_RULE): the coupon whose code is exactly the code given, else
 * the one whose code is its upper-case form; null when none. Two coupons with one code are refused,
 * never resolved by taking the first.
 */
export async function findCoupon(db: Firestore, code: string): Promise<{ id: string; doc: CouponDoc } | null> {
  const forms = [...new Set([code.trim(), code.trim().toUpperCase()])];
  for (const form of forms) {
    const found = (await buildQuery(db, couponByCode, [form]).limit(2).withConverter(coupons.converter).get()).docs;
    if (found.length > 1) throw new HttpsError('failed-precondition', `coupon code ${form} is ambiguous (two coupons share it): ask support`);
    const hit = found[0];
    if (hit) return { id: hit.id, doc: hit.data() };
  }
  return null;
}

export interface CartTotals {
  totals: Totals;
  /** Why the coupon was not applied (the totals are then without it); null when it was, or none was asked for. */
  problem: CouponVerdict | null;
}

/** Subtotal, discount, tax and total of a priced cart with a coupon (as it stands at `now`) for this buyer (null: a guest). */
export function applyCoupon(cart: PricedCart, coupon: CouponDoc | null, now: Date, taxRatePercent: string, buyerUid: string | null): CartTotals {
  const subtotal = cart.items.reduce((s, i) => s + i.amount_minor, 0);
  const problem = coupon ? couponVerdict(coupon, now, cart.currency, subtotal, buyerUid) : null;
  const discount = coupon && !problem ? couponDiscount(coupon, subtotal) : 0;
  return { totals: computeTotals(cart.items, discount, taxRatePercent), problem };
}
