import { randomBytes, createHash } from 'node:crypto';
import type { DocumentReference, Firestore } from 'firebase-admin/firestore';
import { z } from 'zod';
import { currencyCode, moneyMinor, orders, type OrderDoc, type TimestampLike } from '@zhengrowth/model';

/** Order statuses this codebase writes (migrated orders may hold others; see isPaidLegacy). */
export const ORDER_STATUSES = ['pending', 'failed', 'expired', 'paid', 'partially_refunded', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** One line of `orders.items` as checkout writes it (the model stores items as JSON). */
export const orderItemSchema = z.strictObject({
  kind: z.enum(['offer', 'event_ticket', 'session']),
  /** offers / events / cal_event_types document id. */
  ref_id: z.string(),
  title: z.string(),
  quantity: z.int().min(1),
  unit_amount_minor: moneyMinor,
  amount_minor: moneyMinor,
  currency: currencyCode,
  // event tickets
  price_id: z.string().optional(),
  tier: z.string().nullable().optional(),
  region: z.string().nullable().optional(),
  registration_ids: z.array(z.string()).optional(),
  // paid sessions
  event_type_id: z.int().optional(),
  booking_id: z.string().optional(),
});
export type OrderItem = z.infer<typeof orderItemSchema>;
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

/** What the buyer and admins see of an order: JSON-safe (times as ISO strings), no internals. */
export interface OrderView {
  id: string;
  order_number: string;
  status: string | null;
  user_id: string | null;
  customer_email: string;
  customer_name: string | null;
  items: unknown;
  currency: string;
  subtotal_minor: number;
  discount_minor: number;
  tax_minor: number;
  total_minor: number;
  paid_minor: number | null;
  refunded_minor: number;
  payment_provider: string | null;
  coupon_id: string | null;
  booking_id: string | null;
  checkout_url: string | null;
  attention: string | null;
  created_at: string | null;
  updated_at: string | null;
  paid_at: string | null;
}

const iso = (t: TimestampLike | null | undefined): string | null => (t ? t.toDate().toISOString() : null);

export function orderView(id: string, o: OrderDoc): OrderView {
  return {
    id,
    order_number: o.order_number,
    status: o.status,
    user_id: o.user_id,
    customer_email: o.customer_email,
    customer_name: o.customer_name,
    items: o.items,
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
