/**
 * The order state machine, applied: a transaction reads the order, folds the providers' facts into
 * it (fold.ts, pure), settles the counters the new state moves (event seats, the coupon use), and
 * writes the order with every effect its new state calls for (order-effects.ts). Each effect is
 * guarded by what the order records (capacity_state, coupon_state, the status it had), so each
 * happens once however often, and in whatever order, the facts arrive.
 */
import { FieldValue, Timestamp, type DocumentSnapshot, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { coupons, events, eventSchema, type OrderDoc } from '@zhengrowth/model';
import { readReferralConversion } from '../growth/referral-conversion.js';
import { isPaid, orderItems, orderRef, seatsByEvent } from '../shared/orders.js';
import { entitlementsMayChange, planEntitlements } from '../entitlements/grants.js';
import { attention, foldFacts, type OrderFact } from './fold.js';
import { writePaymentEffects, writeRegistrationsAndBooking } from './order-effects.js';

export interface FactsOutcome {
  found: boolean;
  before: string | null;
  after: string | null;
  order?: OrderDoc;
}

type CouponDelta = { uses: number; reserved: number };

/** Whether every event has room for the order's seats again (a late payment after they were released). */
function roomFor(seats: ReadonlyMap<string, number>, eventSnaps: readonly DocumentSnapshot[]): boolean {
  return eventSnaps.every((s) => {
    const e = eventSchema.partial().safeParse(s.data() ?? {});
    const cap = e.success ? e.data.capacity : null;
    const count = e.success ? (e.data.registered_count ?? 0) : 0;
    return s.exists && (cap === null || cap === undefined || count + (seats.get(s.id) ?? 0) <= cap);
  });
}

/**
 * Seats: held while pending or paid, given back when the order fails, expires or is fully refunded;
 * taken again by a payment after they were given back, if there is room (a read). Sets the order's
 * capacity_state; answers the change of each event's registered_count.
 */
async function settleSeats(tx: Transaction, db: Firestore, o: OrderDoc, seats: ReadonlyMap<string, number>): Promise<Map<string, number>> {
  const wantSeats = o.status === 'pending' || o.status === 'paid' || o.status === 'partially_refunded';
  let capacity = o.capacity_state ?? (seats.size ? 'reserved' : 'none');
  const deltas = new Map<string, number>();
  if (seats.size && capacity === 'reserved' && !wantSeats) {
    for (const [eventId, n] of seats) deltas.set(eventId, -n);
    capacity = 'released';
  } else if (seats.size && (capacity === 'released' || capacity === 'unavailable') && wantSeats && isPaid(o)) {
    const eventSnaps = await Promise.all([...seats.keys()].map((eventId) => tx.get(db.doc(events.docPath({ eventId })))));
    if (roomFor(seats, eventSnaps)) {
      for (const [eventId, n] of seats) deltas.set(eventId, n);
      capacity = 'reserved';
    } else if (capacity !== 'unavailable') {
      capacity = 'unavailable';
      o.attention = attention(o, 'paid after its seats were released and the event is now full: refund or add capacity');
    }
  } else if (capacity === 'unavailable' && !wantSeats) {
    capacity = 'released';
  }
  o.capacity_state = capacity;
  return deltas;
}

/** The coupon use: counted once when paid; a held use is given back when the order fails or expires. */
function settleCoupon(o: OrderDoc): CouponDelta | null {
  if (!o.coupon_id) return null;
  const state = o.coupon_state ?? 'none';
  if (isPaid(o) && state !== 'used') {
    o.coupon_state = 'used';
    return { uses: 1, reserved: state === 'reserved' ? -1 : 0 };
  }
  if (!isPaid(o) && (o.status === 'failed' || o.status === 'expired') && state === 'reserved') {
    o.coupon_state = 'released';
    return { uses: 0, reserved: -1 };
  }
  return null;
}

/** Counters are increments, not read-modify-writes, so that concurrent orders do not conflict. */
function writeCounters(tx: Transaction, db: Firestore, o: OrderDoc, seatDeltas: ReadonlyMap<string, number>, coupon: CouponDelta | null, now: Timestamp): void {
  for (const [eventId, delta] of seatDeltas) {
    tx.update(db.doc(events.docPath({ eventId })), { registered_count: FieldValue.increment(delta), updated_at: now });
  }
  if (coupon && o.coupon_id) {
    const update: Record<string, FieldValue> = {};
    if (coupon.uses) update.uses_count = FieldValue.increment(coupon.uses);
    if (coupon.reserved) update.reserved_count = FieldValue.increment(coupon.reserved);
    tx.update(db.doc(coupons.docPath({ couponId: o.coupon_id })), update);
  }
}

/**
 * Apply facts to an order inside a transaction: reads the order (and, when a late payment needs its
 * seats back, the events), then writes the order and every side effect that its new state calls for.
 * The caller must have done all of its own reads first (Firestore transactions read before writing).
 */
export async function applyOrderFacts(tx: Transaction, db: Firestore, orderId: string, facts: readonly OrderFact[], nowDate: Date): Promise<FactsOutcome> {
  const ref = orderRef(db, orderId);
  const before = (await tx.get(ref)).data();
  if (!before) return { found: false, before: null, after: null };
  const now = Timestamp.fromDate(nowDate);
  const o = foldFacts(before, facts, now);
  const items = orderItems(o);
  const seatDeltas = await settleSeats(tx, db, o, seatsByEvent(items));
  const coupon = settleCoupon(o);
  // Entitlements of its offers: granted with the payment, revoked or reduced by refunds (reads first).
  const entitlementWrites = entitlementsMayChange(before, o) ? await planEntitlements(tx, db, orderId, o, now) : null;
  // The buyer's open referral completes with their first paid order (a read; written with the payment).
  const paidNow = isPaid(o) && !isPaid(before);
  const referral = paidNow && o.user_id && o.status !== 'refunded' ? await readReferralConversion(tx, db, o.user_id) : null;

  // ---- writes ----
  o.updated_at = now;
  tx.set(ref, o);
  entitlementWrites?.(tx);
  writeCounters(tx, db, o, seatDeltas, coupon, now);
  if (o.status !== before.status || o.capacity_state !== before.capacity_state) writeRegistrationsAndBooking(tx, db, o, items, now);
  writePaymentEffects(tx, db, { orderId, o, before, facts, items, referral, now });
  return { found: true, before: before.status, after: o.status, order: o };
}
