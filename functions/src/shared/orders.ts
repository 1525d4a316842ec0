import { randomBytes, createHash } from 'node:crypto';
import type { DocumentReference, Firestore } from 'firebase-admin/firestore';
import { z } from 'zod';
import {
  orderItemSchema,
  orders,
  orderStatusOf,
  toMinorUnits,
  type OrderDoc,
  type OrderItem,
  type OrderLineView,
  type OrderView,
  type TimestampLike,
} from '@zhengrowth/model';

const orderItemsSchema = z.array(orderItemSchema);

/** The typed items of an order; a migrated order's items (another shape) hold no reservations: []. */
export function orderItems(order: Pick<OrderDoc, 'items'>): OrderItem[] {
  const parsed = orderItemsSchema.safeParse(order.items);
  return parsed.success ? parsed.data : [];
}

/** Seats per event held by an order's ticket items. */
export function seatsByEvent(items: readonly OrderItem[]): Map<string, number> {
  const seats = new Map<string, number>();
  for (const it of items) if (it.kind === 'event_ticket') seats.set(it.ref_id, (seats.get(it.ref_id) ?? 0) + it.quantity);
  return seats;
}

// Crockford base32 without I, L, O, U: readable aloud, unambiguous when typed.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(bytes: Uint8Array, length: number): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

const ORDER_ID_LENGTH = 12;

/**
 * A new order id: 12 Crockford base32 characters (60 bits). Random, or derived from the buyer and
 * the client's idempotency key so that a retried createCheckout finds the order it already made.
 */
export function newOrderId(idempotency?: { uid: string; key: string }): string {
  const bytes = idempotency ? createHash('sha256').update(`${idempotency.uid}\u0000${idempotency.key}`).digest() : randomBytes(10);
  return base32(bytes, ORDER_ID_LENGTH);
}

/**
 * The human-readable order number: "ZG-" and the order id in groups of four (ZG-7KQ2-MX9D-4TPA).
 * Unique because the document id is: no counter document for every checkout to fight over.
 */
export function orderNumberFor(orderId: string): string {
  return `ZG-${orderId.match(/.{1,4}/g)?.join('-') ?? orderId}`;
}

export function orderRef(db: Firestore, orderId: string): DocumentReference<OrderDoc> {
  return db.doc(orders.docPath({ orderId })).withConverter(orders.converter);
}

/** Statuses the old (Supabase) system used for a paid order. */
const LEGACY_PAID = new Set(['paid', 'completed', 'succeeded', 'partially_refunded', 'refunded']);

export function isPaid(order: Pick<OrderDoc, 'paid_at' | 'status'>): boolean {
  return Boolean(order.paid_at) || (order.status !== null && LEGACY_PAID.has(order.status) && order.paid_at === undefined);
}

const iso = (t: TimestampLike | null | undefined): string | null => (t ? t.toDate().toISOString() : null);

/** A migrated order's line, read as far as it can be: `{title, quantity, unit_amount (major units text), offer_id}`. */
const legacyLine = z.looseObject({
  offer_id: z.string().optional(),
  title: z.string().optional(),
  quantity: z.int().min(1).optional(),
  unit_amount: z.union([z.string(), z.number()]).optional(),
});

function minorOrNull(amount: string | number | undefined, currency: string): number | null {
  if (amount === undefined) return null;
  try {
    return toMinorUnits(amount, currency);
  } catch {
    return null;
  }
}

/** The lines of an order: checkout's items as they are, a migrated order's as far as they can be read. */
export function orderLines(o: Pick<OrderDoc, 'items' | 'currency'>): OrderLineView[] {
  const typed = orderItemsSchema.safeParse(o.items);
  if (typed.success) {
    return typed.data.map((it) => ({
      kind: it.kind,
      ref_id: it.ref_id,
      title: it.title,
      quantity: it.quantity,
      unit_amount_minor: it.unit_amount_minor,
      amount_minor: it.amount_minor,
      currency: it.currency,
    }));
  }
  if (!Array.isArray(o.items)) return [];
  return o.items.map((raw) => {
    const line = legacyLine.safeParse(raw);
    const l = line.success ? line.data : {};
    const unit = minorOrNull(l.unit_amount, o.currency);
    return {
      kind: 'legacy' as const,
      ref_id: l.offer_id ?? null,
      title: l.title ?? null,
      quantity: l.quantity ?? null,
      unit_amount_minor: unit,
      amount_minor: unit !== null && l.quantity !== undefined ? unit * l.quantity : null,
      currency: o.currency,
    };
  });
}

/** What the buyer and admins see of an order (the getOrder contract): JSON-safe, no internals. */
export function orderView(id: string, o: OrderDoc): OrderView {
  const status = orderStatusOf(o.status);
  return {
    id,
    order_number: o.order_number,
    status,
    status_text: status === null ? o.status : null,
    user_id: o.user_id,
    customer_email: o.customer_email,
    customer_name: o.customer_name,
    items: orderLines(o),
    currency: o.currency,
    subtotal_minor: o.subtotal_minor,
    discount_minor: o.discount_minor ?? 0,
    tax_minor: o.tax_minor ?? 0,
    total_minor: o.total_minor,
    paid_minor: o.paid_minor ?? null,
    refunded_minor: o.refunded_minor ?? 0,
    payment_provider: o.payment_provider,
    coupon_id: o.coupon_id ?? null,
    booking_id: o.booking_id ?? null,
    checkout_url: o.status === 'pending' ? (o.checkout_url ?? null) : null,
    attention: o.attention ?? null,
    created_at: iso(o.created_at),
    updated_at: iso(o.updated_at),
    paid_at: iso(o.paid_at),
  };
}
