/**
 * The waitlist moves when a seat frees up: the first waitlisted registration (lowest ticket) gets
 * it. A free ticket is registered at once (inbox, e-mail, event_registered); a paid one gets an
 * order that holds the seat for the checkout TTL, paid through a Stripe link sent by e-mail; if it
 * is not paid in time the order expires, the seat comes back and the next in line is offered it.
 */
import { FieldValue, Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions/logger';
import {
  eventPrices,
  eventRegistrations,
  fromMinorUnits,
  waitlistOfEvent,
  type EventDoc,
  type EventPriceDoc,
  type EventRegistrationDoc,
  type OrderDoc,
} from '@zhengrowth/model';
import { txMerge, runTx } from '../core/firestore.js';
import { buildQuery } from '../core/query.js';
import { ticketItem } from '../checkout/cart.js';
import { openPayment } from '../checkout/payment.js';
import { computeTotals } from '../checkout/pricing.js';
import { buildOrder, writeOrder } from '../checkout/reserve.js';
import { eventRegisteredFact, recordDomainEvent } from '../shared/domain-events.js';
import { manageUrl } from '../shared/links.js';
import type { PaymentDeps } from '../payments/deps.js';
import { newOrderId, orderNumberFor } from '../shared/orders.js';
import { notifyPromoted, notifySeatOffer } from './notify.js';
import { eventRef, registrationRef } from '../shared/refs.js';

export interface NextInLine {
  id: string;
  reg: EventRegistrationDoc;
  /** A paid ticket's price (null: a free ticket). */
  price: { id: string; doc: EventPriceDoc } | null;
}

/** The first waitlisted registration of an event and its ticket price, read in the transaction (before its writes). */
export async function readNextInLine(tx: Transaction, db: Firestore, eventId: string): Promise<NextInLine | null> {
  const snap = await tx.get(buildQuery(db, waitlistOfEvent, ['waitlisted'], { eventId }).limit(1).withConverter(eventRegistrations.converter));
  const first = snap.docs[0];
  if (!first) return null;
  const reg = first.data();
  if (!reg.price_id) return { id: first.id, reg, price: null };
  const price = (await tx.get(db.doc(eventPrices.docPath({ eventId, priceId: reg.price_id })).withConverter(eventPrices.converter))).data();
  if (!price || price.active === false) {
    logger.warn('the first waitlisted ticket has no active price; nobody promoted', { event_id: eventId, registration_id: first.id });
    return null;
  }
  return { id: first.id, reg, price: { id: reg.price_id, doc: price } };
}

export interface Promotion {
  registration_id: string;
  status: 'registered' | 'reserved';
  order_id: string | null;
  /** A paid ticket's order, whose Stripe checkout is opened after the transaction. */
  order?: OrderDoc;
}

/**
 * Gives the seat to `next` (writes only). `seatCounted`: the seat is still in registered_count
 * (passed on from a cancellation); otherwise it is counted now.
 */
export function writePromotion(
  tx: Transaction,
  db: Firestore,
  deps: PaymentDeps,
  eventId: string,
  event: EventDoc,
  next: NextInLine,
  seatCounted: boolean,
  now: Timestamp,
): Promotion {
  const subject = { eventId, event, registrationId: next.id, reg: next.reg };
  if (!next.price) {
    txMerge(tx, registrationRef(db, eventId, next.id), { status: 'registered', waitlist_seq: null, updated_at: now });
    if (!seatCounted) tx.update(eventRef(db, eventId), { registered_count: FieldValue.increment(1), updated_at: now });
    notifyPromoted(tx, db, deps, subject, now);
    recordDomainEvent(tx, db, eventRegisteredFact(eventId, next.id, next.reg.user_id, 'waitlist'), now);
    return { registration_id: next.id, status: 'registered', order_id: null };
  }
  const orderId = newOrderId();
  const nowDate = now.toDate();
  const items = [ticketItem(eventId, event.title, next.price.id, next.price.doc, 1)];
  const ttl = Math.min(Math.max(deps.checkoutTtlMinutes, 30), 1440);
  const built = buildOrder(
    {
      orderId,
      orderNumber: orderNumberFor(orderId),
      buyer: { uid: next.reg.user_id, email: next.reg.attendee_email, name: next.reg.attendee_name },
      items,
      currency: next.price.doc.currency,
      totals: computeTotals(items, 0, deps.taxRatePercent),
      provider: 'stripe',
      taxRatePercent: deps.taxRatePercent,
      couponId: null,
      couponCode: null,
      expiresAt: new Date(nowDate.getTime() + ttl * 60_000),
      registrationIds: [next.id],
      seatsCounted: seatCounted,
      metadata: {
        waitlist_promotion: true,
        tickets: [{ event_id: eventId, registration_id: next.id, checkin_token: deps.links.sign('checkin', { eventId, registrationId: next.id }, nowDate) }],
        ...(next.reg.user_id ? {} : { manage_url: manageUrl(deps.appUrl, deps.links.sign('manage', { orderId }, nowDate)) }),
      },
    },
    now,
  );
  writeOrder(tx, db, built, now);
  return { registration_id: next.id, status: 'reserved', order_id: orderId, order: built.order };
}

/**
 * After the transaction of a paid promotion: opens the Stripe checkout of its order and e-mails the
 * link. If Stripe refuses or is down, the order fails and its seat goes back (logged): the next
 * freed seat, or the next sweep of expired checkouts, offers it again.
 */
export async function offerSeat(deps: PaymentDeps, eventId: string, event: EventDoc, next: NextInLine, promotion: Promotion): Promise<void> {
  if (!promotion.order || !promotion.order_id) return;
  const base = `${deps.appUrl}/events/${encodeURIComponent(eventId)}`;
  try {
    const handle = await openPayment(deps, deps.db, promotion.order_id, promotion.order, { success_url: `${base}?paid=1`, cancel_url: base });
    const url = handle.provider === 'stripe' ? handle.stripe.url : null;
    if (!url) return;
    await notifySeatOffer(
      deps.db,
      {
        eventId,
        event,
        registrationId: next.id,
        reg: next.reg,
        orderId: promotion.order_id,
        checkoutUrl: url,
        expiresAt: promotion.order.expires_at?.toDate() ?? deps.now(),
        amount: `${fromMinorUnits(promotion.order.total_minor, promotion.order.currency)} ${promotion.order.currency}`,
      },
      deps.now(),
    );
  } catch (err) {
    logger.warn('could not open the checkout of a waitlist promotion', {
      event_id: eventId,
      order_id: promotion.order_id,
      error: err instanceof Error ? err.message : String(err),
    });
  }
}

/** Fills free seats from the waitlist (after an expired or failed checkout gave seats back), one person per transaction. */
export async function fillFromWaitlist(deps: PaymentDeps, eventId: string, max = 20): Promise<number> {
  let promoted = 0;
  for (; promoted < max; promoted += 1) {
    const out = await runTx(deps.db, async (tx) => {
      const event = (await tx.get(eventRef(deps.db, eventId))).data();
      if (!event || (event.capacity !== null && (event.registered_count ?? 0) >= event.capacity)) return null;
      const next = await readNextInLine(tx, deps.db, eventId);
      if (!next) return null;
      return { event, next, promotion: writePromotion(tx, deps.db, deps, eventId, event, next, false, Timestamp.fromDate(deps.now())) };
    });
    if (!out) break;
    await offerSeat(deps, eventId, out.event, out.next, out.promotion);
  }
  return promoted;
}
