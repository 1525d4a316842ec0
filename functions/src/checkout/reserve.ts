/**
 * The order a checkout makes, and what it holds: event seats (registrations `reserved`), the coupon
 * use, the paid session's booking. Built as plain documents (buildOrder) and written in the
 * caller's transaction (writeOrder), so that checkout and a waitlist promotion make the same order.
 */
import { randomBytes } from 'node:crypto';
import { FieldValue, Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import {
  bookings,
  coupons,
  eventRegistrations,
  events,
  type BookingDoc,
  type EventRegistrationDoc,
  type JsonValue,
  type OrderDoc,
  type OrderItem,
} from '@zhengrowth/model';
import { txCreate, txMerge } from '../core/firestore.js';
import { orderRef, seatsByEvent } from '../shared/orders.js';
import type { PricedItem } from './cart.js';
import type { Totals } from './pricing.js';

/** Who the order is for: a signed-in account (verified e-mail) or a guest (user null). */
export interface Buyer {
  uid: string | null;
  email: string;
  name: string | null;
}

export interface OrderPlan {
  orderId: string;
  orderNumber: string;
  buyer: Buyer;
  items: readonly PricedItem[];
  currency: string;
  totals: Totals;
  provider: 'stripe' | 'airwallex';
  taxRatePercent: string;
  couponId: string | null;
  couponCode: string | null;
  expiresAt: Date;
  /** Registration ids to use for the tickets instead of new ones (a promoted waitlisted registration). */
  registrationIds?: readonly string[];
  /** Added to the order's metadata (the manage link, the tickets' check-in tokens). */
  metadata?: Record<string, JsonValue>;
  /** The seats are counted already (a seat passed on from a cancellation): do not count them again. */
  seatsCounted?: boolean;
}

export interface BuiltOrder {
  orderId: string;
  order: OrderDoc;
  items: OrderItem[];
  seats: Map<string, number>;
  /** Registrations to create (new) or to take over (a promoted waitlisted one: merged). */
  registrations: Array<{ eventId: string; registrationId: string; doc: EventRegistrationDoc; takeOver: boolean }>;
  booking: { id: string; doc: BookingDoc } | null;
  seatsCounted: boolean;
}

/** The registration ids a plan's tickets will have (checkout: `{orderId}-{n}`). */
export function ticketRegistrationIds(orderId: string, items: readonly PricedItem[], given?: readonly string[]): string[] {
  const count = items.filter((i) => i.kind === 'event_ticket').reduce((s, i) => s + i.quantity, 0);
  return given ? [...given] : Array.from({ length: count }, (_, i) => `${orderId}-${i + 1}`);
}

export function buildOrder(plan: OrderPlan, now: Timestamp): BuiltOrder {
  const ids = ticketRegistrationIds(plan.orderId, plan.items, plan.registrationIds);
  let next = 0;
  const bookingId = plan.items.some((i) => i.kind === 'session') ? `bk-${plan.orderId}` : null;
  const items: OrderItem[] = plan.items.map((it) => {
    if (it.kind === 'event_ticket') return { ...it, registration_ids: Array.from({ length: it.quantity }, () => ids[next++] as string) };
    if (it.kind === 'session' && bookingId) return { ...it, booking_id: bookingId };
    return it;
  });
  const seats = seatsByEvent(items);
  const order: OrderDoc = {
    order_number: plan.orderNumber,
    user_id: plan.buyer.uid,
    customer_email: plan.buyer.email,
    customer_name: plan.buyer.name,
    items,
    subtotal_minor: plan.totals.subtotal_minor,
    tax_minor: plan.totals.tax_minor,
    total_minor: plan.totals.total_minor,
    currency: plan.currency,
    payment_provider: plan.provider,
    payment_id: null,
    status: 'pending',
    metadata: { tax_rate_percent: plan.taxRatePercent, coupon_code: plan.couponCode, ...(plan.metadata ?? {}) },
    created_at: now,
    updated_at: now,
    coupon_id: plan.couponId,
    discount_minor: plan.totals.discount_minor,
    coupon_state: plan.couponId ? 'reserved' : 'none',
    capacity_state: seats.size ? 'reserved' : 'none',
    booking_id: bookingId,
    payment_intent_id: null,
    refunded_minor: 0,
    refunds: {},
    paid_at: null,
    failed_at: null,
    expired_at: null,
    expires_at: Timestamp.fromDate(plan.expiresAt),
    checkout_url: null,
    attention: null,
    entitlement_state: 'none',
  };
  const registrations: BuiltOrder['registrations'] = [];
  for (const it of items) {
    for (const registrationId of it.registration_ids ?? []) {
      registrations.push({
        eventId: it.ref_id,
        registrationId,
        takeOver: Boolean(plan.registrationIds),
        doc: {
          event_id: it.ref_id,
          user_id: plan.buyer.uid,
          attendee_email: plan.buyer.email,
          attendee_name: plan.buyer.name,
          ticket_type: it.tier ?? 'standard',
          status: 'reserved',
          checked_in: false,
          payment_status: 'pending',
          amount_paid_minor: null,
          currency: it.currency,
          metadata: { order_number: plan.orderNumber },
          registered_at: now,
          updated_at: now,
          order_id: plan.orderId,
          waitlist_seq: null,
          price_id: it.price_id ?? null,
        },
      });
    }
  }
  const session = items.find((i) => i.kind === 'session');
  const booking =
    session && bookingId
      ? {
          id: bookingId,
          doc: {
            booking_token: randomBytes(18).toString('base64url'),
            cal_booking_id: null,
            // "My bookings" are matched by verified e-mail: a guest's address (typed, not proven)
            // stays on the order until the manage link or a verified account proves it (proof.ts).
            customer_email: plan.buyer.uid === null ? '' : plan.buyer.email,
            customer_name: plan.buyer.name,
            event_type_id: session.event_type_id ?? null,
            amount_minor: session.amount_minor,
            currency: session.currency,
            payment_id: null,
            status: 'pending',
            metadata: { order_number: plan.orderNumber },
            created_at: now,
            updated_at: now,
            user_id: plan.buyer.uid,
            order_id: plan.orderId,
            cal_uid: null,
            cal_status: null,
          },
        }
      : null;
  return { orderId: plan.orderId, order, items, seats, registrations, booking, seatsCounted: plan.seatsCounted ?? false };
}

/**
 * Writes a built order and what it holds. The caller has read (in this transaction) the events
 * whose seats it takes and checked there is room, and the coupon it uses.
 */
export function writeOrder(tx: Transaction, db: Firestore, built: BuiltOrder, now: Timestamp): void {
  const { order } = built;
  tx.create(orderRef(db, built.orderId), order);
  if (!built.seatsCounted)
    for (const [eventId, n] of built.seats) tx.update(db.doc(events.docPath({ eventId })), { registered_count: FieldValue.increment(n), updated_at: now });
  for (const r of built.registrations) {
    const ref = db.doc(eventRegistrations.docPath({ eventId: r.eventId, registrationId: r.registrationId })).withConverter(eventRegistrations.converter);
    if (r.takeOver) {
      const { registered_at: _keep, attendee_email: _e, attendee_name: _n, user_id: _u, ...change } = r.doc;
      txMerge(tx, ref, { ...change, waitlist_seq: null });
    } else txCreate(tx, ref, r.doc);
  }
  if (order.coupon_id) tx.update(db.doc(coupons.docPath({ couponId: order.coupon_id })), { reserved_count: FieldValue.increment(1) });
  if (built.booking) txCreate(tx, db.doc(bookings.docPath({ bookingId: built.booking.id })).withConverter(bookings.converter), built.booking.doc);
}
