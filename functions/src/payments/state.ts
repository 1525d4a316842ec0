/**
 * The order state machine. Payment providers report facts (paid, failed, expired, refunded so far);
 * the order accumulates them and its status is computed from what it holds, so the status can only
 * move forward whatever order the facts arrive in:
 *
 *   pending(0) → failed | expired (1) → paid(2) → partially_refunded(3) → refunded(4)
 *
 * - `paid_at` is set once and never cleared; `refunded_minor` never decreases.
 * - failed and expired are the same rank: the first one wins; neither applies once paid.
 * - A payment after failure or expiry still counts (the money was taken): the order becomes paid
 *   and takes its seats back if there is room, else it is flagged for an admin (`attention`).
 * - A refund implies a payment: a refund that arrives before the completion records the payment too.
 *
 * Side effects follow the state, each guarded by what the order records, so that each happens once:
 * event seats (capacity_state), the coupon use (coupon_state), the payment record, the receipt,
 * registrations and the paid booking, the confirmation email.
 */
import { FieldValue, Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import {
  bookings,
  coupons,
  eventRegistrations,
  events,
  eventSchema,
  fromMinorUnits,
  payments,
  receipts,
  type JsonValue,
  type OrderDoc,
  type PaymentDoc,
} from '@zhengrowth/model';
import { txMerge, txSet } from '../core/firestore.js';
import { recordDomainEvent } from '../shared/domain-events.js';
import { readReferralConversion } from '../growth/referral-conversion.js';
import { queueEmail } from '../shared/outbox.js';
import type { OrderItem, OrderStatus } from '@zhengrowth/model';
import { isPaid, orderItems, orderRef, seatsByEvent } from '../shared/orders.js';
import { entitlementsMayChange, planEntitlements } from '../entitlements/grants.js';

export type Provider = 'stripe' | 'airwallex' | 'free';

export type OrderFact =
  /** The provider took the money (paymentObjectId: Stripe PaymentIntent or Airwallex intent id). */
  | { kind: 'paid'; provider: Provider; paymentObjectId: string; amountMinor: number; currency: string; sessionId?: string | null }
  /** Checkout finished but the money is not there yet (Stripe async methods): remember the PaymentIntent. */
  | { kind: 'payment_intent'; paymentIntentId: string }
  | { kind: 'failed'; provider: Provider; reason: string; paymentObjectId?: string | null }
  | { kind: 'expired' }
  /**
   * A refund. `cumulative`: the amount is the running total of one charge (Stripe charge.refunded),
   * else one refund's own amount (Airwallex). `payment` describes the payment it implies.
   */
  | {
      kind: 'refund';
      provider: Provider;
      entryId: string;
      amountMinor: number;
      status: string;
      cumulative: boolean;
      requestKey?: string | null;
      /** false for a record that must never count (a Stripe refund object: its charge's total counts). */
      countable?: boolean;
      payment: { paymentObjectId: string; amountMinor?: number | null; currency: string };
      /** Why the provider could not make it (a failed refund). */
      failureReason?: string | null;
    }
  /** A chargeback (Stripe dispute) opened or closed: recorded and flagged; money state is left as it is. */
  | { kind: 'dispute'; disputeId: string; status: string; reason: string | null; amountMinor: number; closed: boolean };

const STATUS_RANK: Record<OrderStatus, number> = { pending: 0, failed: 1, expired: 1, paid: 2, partially_refunded: 3, refunded: 4 };

/** Refund entry statuses in order; a later status never gives way to an earlier one (failed and settled are final). */
const REFUND_RANK: Record<string, number> = {
  requested: 0,
  submitted: 1,
  pending: 1,
  received: 1,
  accepted: 2,
  succeeded: 2,
  settled: 3,
  failed: 3,
  canceled: 3,
  cancelled: 3,
};
const COUNTING_REFUND = new Set(['accepted', 'succeeded', 'settled']);

export function refundCounts(status: string): boolean {
  return COUNTING_REFUND.has(status);
}

export function statusOf(o: OrderDoc): OrderStatus {
  if (isPaid(o)) {
    const paid = o.paid_minor ?? o.total_minor;
    const refunded = o.refunded_minor ?? 0;
    if (refunded > 0 && refunded >= paid) return 'refunded';
    if (refunded > 0) return 'partially_refunded';
    return 'paid';
  }
  if (o.expired_at) return 'expired';
  if (o.failed_at) return 'failed';
  return 'pending';
}

export function statusRank(s: string | null): number {
  return s !== null && s in STATUS_RANK ? STATUS_RANK[s as OrderStatus] : 0;
}

function attention(o: OrderDoc, note: string): string {
  return o.attention ? (o.attention.includes(note) ? o.attention : `${o.attention}; ${note}`) : note;
}

/** Fold facts into a copy of the order. Pure: the transaction may run it more than once. */
export function foldFacts(before: OrderDoc, facts: readonly OrderFact[], now: Timestamp): OrderDoc {
  const o: OrderDoc = { ...before, refunds: { ...(before.refunds ?? {}) } };
  const markPaid = (p: { provider: Provider; paymentObjectId: string; amountMinor?: number | null; currency: string }) => {
    if (isPaid(o)) return;
    o.paid_at = now;
    o.paid_minor = p.amountMinor ?? o.total_minor;
    o.payment_provider = o.payment_provider ?? p.provider;
    if (p.provider === 'stripe') o.payment_intent_id = p.paymentObjectId;
    if (p.currency.toUpperCase() !== o.currency || (p.amountMinor !== null && p.amountMinor !== undefined && p.amountMinor !== o.total_minor)) {
      o.attention = attention(o, `paid ${p.amountMinor ?? '?'} ${p.currency.toUpperCase()} for a total of ${o.total_minor} ${o.currency}`);
    }
  };
  for (const f of facts) {
    switch (f.kind) {
      case 'paid':
        markPaid(f);
        if (f.provider === 'stripe') o.payment_intent_id = f.paymentObjectId;
        break;
      case 'payment_intent':
        o.payment_intent_id = o.payment_intent_id ?? f.paymentIntentId;
        break;
      case 'failed':
        if (!isPaid(o) && !o.failed_at && !o.expired_at) o.failed_at = now;
        break;
      case 'expired':
        if (!isPaid(o) && !o.failed_at && !o.expired_at) o.expired_at = now;
        break;
      case 'refund': {
        markPaid({ provider: f.provider, ...f.payment });
        const refunds = o.refunds ?? {};
        const prev = refunds[f.entryId];
        const status = f.status.toLowerCase();
        const counts = f.countable !== false && refundCounts(status);
        if (!prev) {
          refunds[f.entryId] = { provider: f.provider, amount_minor: f.amountMinor, status, counts, request_key: f.requestKey ?? null, updated_at: now };
        } else {
          const moveStatus = (REFUND_RANK[status] ?? 0) > (REFUND_RANK[prev.status] ?? 0);
          const amount = f.cumulative ? Math.max(prev.amount_minor, f.amountMinor) : prev.amount_minor;
          // Once counted, a refund stays counted (refunded_minor never decreases): a failure after
          // acceptance is flagged for a person instead.
          if (moveStatus && prev.counts && !counts) o.attention = attention(o, `refund ${f.entryId} ${status} after it was accepted`);
          refunds[f.entryId] = {
            ...prev,
            amount_minor: amount,
            status: moveStatus ? status : prev.status,
            counts: prev.counts || (moveStatus && counts),
            request_key: prev.request_key ?? f.requestKey ?? null,
            updated_at: now,
          };
        }
        o.refunds = refunds;
        const failedNow = status === 'failed' && (!prev || prev.status !== 'failed');
        if (failedNow) o.attention = attention(o, `refund ${f.entryId} failed${f.failureReason ? ` (${f.failureReason})` : ''}: the money did not go back`);
        break;
      }
      case 'dispute': {
        const disputes = { ...(o.disputes ?? {}) };
        const prev = disputes[f.disputeId];
        // Closed stays closed: a late "created" never reopens it.
        const closedAt = prev?.closed_at ?? (f.closed ? now : null);
        disputes[f.disputeId] = {
          status: prev?.closed_at ? prev.status : f.status,
          reason: f.reason ?? prev?.reason ?? null,
          amount_minor: f.amountMinor,
          opened_at: prev?.opened_at ?? now,
          closed_at: closedAt,
        };
        o.disputes = disputes;
        o.disputed = Object.values(disputes).some((d) => d.closed_at === null);
        o.attention = attention(
          o,
          closedAt
            ? `dispute ${f.disputeId} closed: ${disputes[f.disputeId]?.status ?? f.status}`
            : `dispute ${f.disputeId} opened (${f.reason ?? 'no reason given'})`,
        );
        break;
      }
    }
  }
  const counted = Object.values(o.refunds ?? {})
    .filter((r) => r.counts)
    .reduce((sum, r) => sum + r.amount_minor, 0);
  o.refunded_minor = Math.max(before.refunded_minor ?? 0, counted);
  const next = statusOf(o);
  // Never backwards, even for a migrated order whose stored status says more than its facts.
  o.status = statusRank(next) >= statusRank(before.status) ? next : before.status;
  return o;
}

/** What registrations and the paid booking show for an order status. */
function registrationStatus(status: string | null, capacity: OrderDoc['capacity_state']): { status: string; payment_status: string } {
  switch (status) {
    case 'paid':
    case 'partially_refunded':
      return { status: capacity === 'unavailable' ? 'waitlisted' : 'registered', payment_status: status };
    case 'refunded':
      return { status: 'cancelled', payment_status: 'refunded' };
    case 'failed':
    case 'expired':
      return { status: 'cancelled', payment_status: status };
    default:
      return { status: 'reserved', payment_status: 'pending' };
  }
}

function bookingStatus(status: string | null): string {
  return status === 'partially_refunded' ? 'paid' : (status ?? 'pending');
}

export interface FactsOutcome {
  found: boolean;
  before: string | null;
  after: string | null;
  order?: OrderDoc;
}

/**
 * Apply facts to an order inside a transaction: reads the order (and, when a late payment needs its
 * seats back, the events), then writes the order and every side effect that its new state calls for.
 * The caller must have done all of its own reads first (Firestore transactions read before writing).
 */
export async function applyOrderFacts(tx: Transaction, db: Firestore, orderId: string, facts: readonly OrderFact[], nowDate: Date): Promise<FactsOutcome> {
  const ref = orderRef(db, orderId);
  const snap = await tx.get(ref);
  const before = snap.data();
  if (!before) return { found: false, before: null, after: null };
  const now = Timestamp.fromDate(nowDate);
  const o = foldFacts(before, facts, now);
  const items = orderItems(o);
  const seats = seatsByEvent(items);
  const paidNow = isPaid(o) && !isPaid(before);

  // Seats: held while pending or paid, given back when the order fails, expires or is fully refunded.
  const wantSeats = o.status === 'pending' || o.status === 'paid' || o.status === 'partially_refunded';
  let capacity = o.capacity_state ?? (seats.size ? 'reserved' : 'none');
  const seatDeltas = new Map<string, number>();
  if (seats.size && capacity === 'reserved' && !wantSeats) {
    for (const [eventId, n] of seats) seatDeltas.set(eventId, -n);
    capacity = 'released';
  } else if (seats.size && (capacity === 'released' || capacity === 'unavailable') && wantSeats && isPaid(o)) {
    // A payment after the seats were given back: take them again if there is room (a read).
    const eventSnaps = await Promise.all([...seats.keys()].map((eventId) => tx.get(db.doc(events.docPath({ eventId })))));
    const room = eventSnaps.every((s) => {
      const e = eventSchema.partial().safeParse(s.data() ?? {});
      const cap = e.success ? e.data.capacity : null;
      const count = e.success ? (e.data.registered_count ?? 0) : 0;
      return s.exists && (cap === null || cap === undefined || count + (seats.get(s.id) ?? 0) <= cap);
    });
    if (room) {
      for (const [eventId, n] of seats) seatDeltas.set(eventId, n);
      capacity = 'reserved';
    } else if (capacity !== 'unavailable') {
      capacity = 'unavailable';
      o.attention = attention(o, 'paid after its seats were released and the event is now full: refund or add capacity');
    }
  } else if (capacity === 'unavailable' && !wantSeats) {
    capacity = 'released';
  }
  o.capacity_state = capacity;

  // The coupon use: counted once when paid; a held use is given back when the order fails or expires.
  let couponDelta: { uses: number; reserved: number } | null = null;
  if (o.coupon_id) {
    const state = o.coupon_state ?? 'none';
    if (isPaid(o) && state !== 'used') {
      couponDelta = { uses: 1, reserved: state === 'reserved' ? -1 : 0 };
      o.coupon_state = 'used';
    } else if (!isPaid(o) && (o.status === 'failed' || o.status === 'expired') && state === 'reserved') {
      couponDelta = { uses: 0, reserved: -1 };
      o.coupon_state = 'released';
    }
  }

  // Entitlements of its offers: granted with the payment, revoked or reduced by refunds (reads first).
  const entitlementWrites = entitlementsMayChange(before, o) ? await planEntitlements(tx, db, orderId, o, now) : null;
  // The buyer's open referral completes with their first paid order (a read; written below).
  const referral = paidNow && o.user_id && o.status !== 'refunded' ? await readReferralConversion(tx, db, o.user_id) : null;

  // ---- writes ----
  o.updated_at = now;
  tx.set(ref, o);
  entitlementWrites?.(tx);

  for (const [eventId, delta] of seatDeltas) {
    // A counter: an increment, not a read-modify-write, so that concurrent orders do not conflict.
    tx.update(db.doc(events.docPath({ eventId })), { registered_count: FieldValue.increment(delta), updated_at: now });
  }
  if (couponDelta && o.coupon_id) {
    const update: Record<string, FieldValue> = {};
    if (couponDelta.uses) update.uses_count = FieldValue.increment(couponDelta.uses);
    if (couponDelta.reserved) update.reserved_count = FieldValue.increment(couponDelta.reserved);
    tx.update(db.doc(coupons.docPath({ couponId: o.coupon_id })), update);
  }

  const statusChanged = o.status !== before.status || capacity !== before.capacity_state;
  if (statusChanged) writeRegistrationsAndBooking(tx, db, o, items, now);

  const provider = (o.payment_provider ?? 'stripe') as Provider;
  const paymentObjectId = o.payment_intent_id ?? o.payment_id ?? orderId;
  const paymentRef = db.doc(payments.docPath({ paymentId: `${provider}-${paymentObjectId}` })).withConverter(payments.converter);
  if (paidNow) {
    const paidFact = facts.find((f) => f.kind === 'paid');
    const payment: PaymentDoc = {
      user_id: o.user_id,
      order_id: orderId,
      amount_minor: o.paid_minor ?? o.total_minor,
      currency: o.currency,
      provider,
      provider_id: paymentObjectId,
      status: o.status === 'paid' ? 'succeeded' : (o.status ?? 'succeeded'),
      metadata: { session_id: paidFact?.kind === 'paid' ? (paidFact.sessionId ?? null) : null, order_number: o.order_number },
      created_at: now,
    };
    txSet(tx, paymentRef, payment);
    if (o.user_id) writeReceipt(tx, db, orderId, o, now);
    // Not for an order refunded in full before its payment was reported.
    if (o.status !== 'refunded') queueConfirmationEmail(tx, db, orderId, o, items, now);
    // Followers (funnels, badges, referrals) learn of the purchase in this same transaction.
    recordDomainEvent(
      tx,
      db,
      { type: 'purchase', userId: o.user_id, subjectId: orderId, data: { currency: o.currency, amount_minor: o.paid_minor ?? o.total_minor } },
      now,
    );
    referral?.complete({ orderId, currency: o.currency, paidMinor: o.paid_minor ?? o.total_minor }, now);
  } else if (isPaid(o) && o.status !== before.status) {
    const update: Partial<PaymentDoc> = { status: o.status ?? 'succeeded' };
    txMerge(tx, paymentRef, update);
  } else if (!isPaid(o) && o.status === 'failed' && before.status !== 'failed') {
    const failed = facts.find((f) => f.kind === 'failed');
    if (failed?.kind === 'failed' && failed.paymentObjectId) {
      txSet(tx, db.doc(payments.docPath({ paymentId: `${failed.provider}-${failed.paymentObjectId}` })).withConverter(payments.converter), {
        user_id: o.user_id,
        order_id: orderId,
        amount_minor: o.total_minor,
        currency: o.currency,
        provider: failed.provider,
        provider_id: failed.paymentObjectId,
        status: 'failed',
        metadata: { reason: failed.reason, order_number: o.order_number },
        created_at: now,
      });
    }
  }
  return { found: true, before: before.status, after: o.status, order: o };
}

/** The receipt of a paid order, under its buyer (a guest's is written when the order joins an account). */
export function writeReceipt(tx: Transaction, db: Firestore, orderId: string, o: OrderDoc, now: Timestamp): void {
  if (!o.user_id) return;
  txSet(tx, db.doc(receipts.docPath({ uid: o.user_id, receiptId: orderId })).withConverter(receipts.converter), {
    user_id: o.user_id,
    order_id: orderId,
    amount_minor: o.paid_minor ?? o.total_minor,
    currency: o.currency,
    receipt_url: null,
    issued_at: o.paid_at ?? now,
    metadata: { order_number: o.order_number, provider: o.payment_provider ?? 'stripe' },
  });
}

function writeRegistrationsAndBooking(tx: Transaction, db: Firestore, o: OrderDoc, items: readonly OrderItem[], now: Timestamp): void {
  const reg = registrationStatus(o.status, o.capacity_state);
  for (const it of items) {
    if (it.kind !== 'event_ticket') continue;
    for (const registrationId of it.registration_ids ?? []) {
      const ref = db.doc(eventRegistrations.docPath({ eventId: it.ref_id, registrationId })).withConverter(eventRegistrations.converter);
      txMerge(tx, ref, {
        ...reg,
        ...(reg.payment_status === 'paid' ? { amount_paid_minor: it.unit_amount_minor, currency: it.currency } : {}),
        updated_at: now,
      });
    }
  }
  if (o.booking_id) {
    const ref = db.doc(bookings.docPath({ bookingId: o.booking_id })).withConverter(bookings.converter);
    txMerge(tx, ref, { status: bookingStatus(o.status), payment_id: o.payment_intent_id ?? o.payment_id ?? null, updated_at: now });
  }
}

/** What checkout put in the order's metadata for its e-mails: a guest's manage link and the tickets' QR tokens. */
function linksOf(o: OrderDoc): { manage_url: string | null; tickets: JsonValue } {
  const m = o.metadata !== null && typeof o.metadata === 'object' && !Array.isArray(o.metadata) ? o.metadata : {};
  return { manage_url: typeof m.manage_url === 'string' ? m.manage_url : null, tickets: Array.isArray(m.tickets) ? m.tickets : [] };
}

function queueConfirmationEmail(tx: Transaction, db: Firestore, orderId: string, o: OrderDoc, items: readonly OrderItem[], now: Timestamp): void {
  const total = `${fromMinorUnits(o.paid_minor ?? o.total_minor, o.currency)} ${o.currency}`;
  const lines = items.map((it) => `${it.quantity} × ${it.title}`).join('\n');
  const links = linksOf(o);
  queueEmail(
    tx,
    db,
    `order-${orderId}-confirmation`,
    {
      to: o.customer_email,
      template: 'order_confirmation',
      subject: `Your ZhenGrowth order ${o.order_number}`,
      text: `Thank you${o.customer_name ? `, ${o.customer_name}` : ''}. We received ${total} for order ${o.order_number}.\n\n${lines}${links.manage_url ? `\n\nSee your order: ${links.manage_url}` : ''}`,
      variables: { order_id: orderId, order_number: o.order_number, total, currency: o.currency, name: o.customer_name, lines, ...links },
    },
    now,
  );
}
