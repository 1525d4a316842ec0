import { z } from 'zod';
import { defineCollection } from '../collection.js';
import { currencyCode, decimalString, id, int, json, moneyMinor, timestamp, uid } from '../primitives.js';

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
});
