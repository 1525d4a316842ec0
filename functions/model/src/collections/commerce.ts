import { z } from 'zod';
import { clientWriteSchema, settingsJson, text } from '../client-writes.js';
import { defineCollection } from '../collection.js';
import { currencyCode, decimalString, id, int, json, moneyMinor, timestamp, uid } from '../primitives.js';

/** Order statuses checkout and the payment webhooks write (migrated orders may hold others: see orderStatusOf). */
export const ORDER_STATUSES = ['pending', 'failed', 'expired', 'paid', 'partially_refunded', 'refunded'] as const;
export const orderStatus = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof orderStatus>;

/** Statuses the old (Supabase) system used, by what they mean now. */
const LEGACY_STATUS: Readonly<Record<string, OrderStatus>> = { completed: 'paid', succeeded: 'paid' };

/** An order's status as one of ORDER_STATUSES, or null when a migrated order holds a status of no known meaning. */
export function orderStatusOf(status: string | null): OrderStatus | null {
  if (status === null) return null;
  const known = orderStatus.safeParse(status);
  return known.success ? known.data : (LEGACY_STATUS[status] ?? null);
}

/** One line of `orders.items` as checkout writes it (migrated orders hold their own JSON shape). */
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
  /** An offer's terms as they were bought (a later edit of the offer changes nothing already sold). */
  grants: z
    .strictObject({
      sessions: z.int().min(0),
      duration_weeks: z.int().min(0).nullable(),
      lesson_access: z.array(z.string()),
      partial_refund: z.enum(['keep', 'prorate']),
    })
    .optional(),
});
export type OrderItem = z.infer<typeof orderItemSchema>;

export const orderSchema = z.strictObject({
  order_number: z.string(),
  user_id: uid.nullable(),
  customer_email: z.string(),
  customer_name: z.string().nullable(),
  items: json,
  subtotal_minor: moneyMinor,
  tax_minor: moneyMinor.nullable(),
  total_minor: moneyMinor,
  currency: currencyCode,
  payment_provider: z.string().nullable(),
  payment_id: z.string().nullable(),
  status: z.string().nullable(),
  metadata: json.nullable(),
  created_at: timestamp.nullable(),
  updated_at: timestamp.nullable(),
  // Fields written by checkout and the payment webhooks (absent on migrated orders).
  /** The applied coupon (coupons document id) and the discount it gave, in minor units. */
  coupon_id: id.nullable().optional(),
  discount_minor: moneyMinor.optional(),
  /** Where the coupon use stands: held by this pending order, given back, or counted in uses_count. */
  coupon_state: z.enum(['none', 'reserved', 'released', 'used']).optional(),
  /** Event seats of this order: held (counted in registered_count), given back, or no longer available. */
  capacity_state: z.enum(['none', 'reserved', 'released', 'unavailable']).optional(),
  /** The paid session booking (bookings document id) this order pays for. */
  booking_id: id.nullable().optional(),
  /** Stripe PaymentIntent id (payment_id holds the Checkout Session id); for Airwallex the same as payment_id. */
  payment_intent_id: z.string().nullable().optional(),
  /** What the provider reported paid, and refunded so far (never decreases). */
  paid_minor: moneyMinor.optional(),
  refunded_minor: moneyMinor.optional(),
  /** Provider refunds by id: charge totals (Stripe) or single refunds (Airwallex); `counts` says whether it is in refunded_minor. */
  refunds: z
    .record(
      z.string(),
      z.strictObject({
        provider: z.string(),
        amount_minor: moneyMinor,
        status: z.string(),
        counts: z.boolean(),
        request_key: z.string().nullable(),
        updated_at: timestamp.nullable(),
      }),
    )
    .optional(),
  paid_at: timestamp.nullable().optional(),
  failed_at: timestamp.nullable().optional(),
  expired_at: timestamp.nullable().optional(),
  /** When checkout stops accepting payment (the provider session's expiry). */
  expires_at: timestamp.nullable().optional(),
  /** The provider's hosted checkout page (Stripe), for an idempotent retry of createCheckout. */
  checkout_url: z.string().nullable().optional(),
  /** Set when a fact needs a person: a payment after the seats were given back, a refund that failed after acceptance. */
  attention: z.string().nullable().optional(),
  /** Chargebacks by Stripe dispute id; `disputed` is true while one is open. Money state is not changed by them. */
  disputes: z
    .record(
      z.string(),
      z.strictObject({
        status: z.string(),
        reason: z.string().nullable(),
        amount_minor: moneyMinor,
        opened_at: timestamp.nullable(),
        closed_at: timestamp.nullable(),
      }),
    )
    .optional(),
  disputed: z.boolean().optional(),
  /** Where the entitlements of its offers stand: none yet (or no offer, or a guest not joined yet), granted, reduced, revoked. */
  entitlement_state: z.enum(['none', 'granted', 'reduced', 'revoked']).optional(),
});
export type OrderDoc = z.infer<typeof orderSchema>;
export const orders = defineCollection({
  collection: 'orders',
  idParam: 'orderId',
  schema: orderSchema,
  sources: ['express_orders'],
  access: 'owner',
  idFrom: 'express_orders.id',
  description: 'Checkout orders; the buyer reads, only the server writes (checkout and payment webhooks).',
});

export const paymentSchema = z.strictObject({
  user_id: uid.nullable(),
  order_id: id.nullable(),
  amount_minor: moneyMinor,
  currency: currencyCode,
  provider: z.string(),
  provider_id: z.string().nullable(),
  status: z.string().nullable(),
  metadata: json.nullable(),
  created_at: timestamp.nullable(),
});
export type PaymentDoc = z.infer<typeof paymentSchema>;
export const payments = defineCollection({
  collection: 'payments',
  idParam: 'paymentId',
  schema: paymentSchema,
  sources: ['payments'],
  access: 'server-only',
  idFrom: 'payments.id',
  description: 'Payment transactions as the providers reported them; Admin SDK only.',
});

export const couponSchema = z.strictObject({
  code: z.string(),
  discount_type: z.enum(['percent', 'fixed']),
  /** discount_value of a 'percent' coupon, exact ("12.5" means 12.5 %); null for 'fixed'. */
  discount_percent: decimalString.nullable(),
  /** discount_value of a 'fixed' coupon in minor units of `currency`; null for 'percent'. */
  discount_amount_minor: moneyMinor.nullable(),
  currency: currencyCode.nullable(),
  max_uses: int.nullable(),
  uses_count: int.nullable(),
  valid_from: timestamp.nullable(),
  valid_until: timestamp.nullable(),
  active: z.boolean().nullable(),
  metadata: json.nullable(),
  created_at: timestamp.nullable(),
  /** Uses held by pending checkouts (released on expiry or failure, moved to uses_count on payment). */
  reserved_count: int.optional(),
});
export type CouponDoc = z.infer<typeof couponSchema>;
export const coupons = defineCollection({
  collection: 'coupons',
  idParam: 'couponId',
  schema: couponSchema,
  sources: ['coupons'],
  access: 'staff',
  idFrom: 'coupons.id',
  description: 'Discount codes; admins manage them, checkout applies them on the server.',
  clientWrite: clientWriteSchema(couponSchema, { code: text(50), discount_percent: decimalString.max(20).nullable(), metadata: settingsJson.nullable() }),
});
