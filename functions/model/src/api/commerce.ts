import { z } from 'zod';
import { currencyCode, moneyMinor } from '../primitives.js';
import { orderStatus } from '../collections/commerce.js';
import { defineCallable } from './contract.js';
import { docIdInput, httpUrlInput, idempotencyKeyInput, isoTime, nextPageToken } from './common.js';

const checkoutItemInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('offer'), offer_id: docIdInput, quantity: z.int().min(1).max(10).default(1) }),
  z.strictObject({
    kind: z.literal('event_ticket'),
    event_id: docIdInput,
    /** A price document of the event, or the tier (default "standard") and region to look one up. */
    price_id: docIdInput.optional(),
    tier: z.string().min(1).max(100).optional(),
    region: z.string().min(1).max(100).optional(),
    quantity: z.int().min(1).max(20).default(1),
  }),
  z.strictObject({
    kind: z.literal('session'),
    event_type_id: z.union([
      z.int().positive(),
      z
        .string()
        .regex(/^\d{1,12}$/)
        .transform(Number),
    ]),
  }),
]);

/** A guest's e-mail address as given: trimmed, lower-cased (the form Firebase Auth keeps, so it matches an account later). */
export const guestEmailInput = z
  .string()
  .trim()
  .toLowerCase()
  .max(320)
  .pipe(z.email({ message: 'must be an e-mail address' }));

/**
 * Coupon codes are matched as written (after trimming); when no coupon has exactly that code, its
 * upper-case form is tried (codes made through saveCoupon are stored upper-case). Never "the first
 * of several": a code that two coupons share is refused.
 */
export const COUPON_CASE_RULE = 'exact, then upper-case';

export const createCheckoutInput = z
  .strictObject({
    items: z.array(checkoutItemInput).min(1).max(20),
    provider: z.enum(['stripe', 'airwallex']),
    success_url: httpUrlInput,
    cancel_url: httpUrlInput,
    /** Which of an event's prices to use when it has several currencies. */
    currency: currencyCode.optional(),
    /** Matched as written; when no coupon has that exact code, its upper-case form (see COUPON_CASE_RULE). */
    coupon_code: z.string().trim().min(1).max(64).optional(),
    customer_name: z.string().trim().min(1).max(200).optional(),
    /**
     * Guests only (signed out): where the receipt and the manage link go. Stored lower-case. A
     * signed-in caller's address is the account's verified e-mail, never this field.
     */
    customer_email: guestEmailInput.optional(),
    /** Same key, same order: a retried call returns the checkout it already made. */
    idempotency_key: idempotencyKeyInput.optional(),
  })
  .refine((v) => v.items.filter((i) => i.kind === 'session').length <= 1, { message: 'at most one session per order', path: ['items'] });

export const checkoutTotals = z.strictObject({
  subtotal_minor: moneyMinor,
  discount_minor: moneyMinor,
  tax_minor: moneyMinor,
  total_minor: moneyMinor,
});

export const checkoutResult = checkoutTotals.extend({
  order_id: z.string(),
  order_number: z.string(),
  status: orderStatus,
  provider: z.enum(['stripe', 'airwallex']),
  currency: currencyCode,
  /** Send the buyer to `url` (Stripe Checkout). */
  stripe: z.strictObject({ session_id: z.string(), url: z.string().nullable() }).optional(),
  /** Confirm with Airwallex's payment element (`amount` in major units, exact). */
  airwallex: z.strictObject({ intent_id: z.string(), client_secret: z.string(), amount: z.string(), currency: currencyCode }).optional(),
  /** A paid session: book it on Cal.com with this token in the booking's metadata. */
  booking: z.strictObject({ id: z.string(), booking_token: z.string() }).optional(),
});

export const createCheckout = defineCallable({
  name: 'createCheckout',
  access: 'public',
  description:
    'Prices the items from Firestore, applies the coupon, reserves seats and the coupon use, creates the order, and opens Stripe Checkout or an Airwallex payment intent. Signed in: the verified account e-mail; signed out (a guest): customer_email and customer_name, rate-limited.',
  input: createCheckoutInput,
  output: checkoutResult,
});

/** Why a coupon does not apply to a cart. */
export const COUPON_PROBLEMS = [
  'unknown',
  'inactive',
  'not_yet_valid',
  'expired',
  'used_up',
  'wrong_currency',
  'below_minimum',
  'misconfigured',
  /** A coupon made for one account (a referral reward) used by another, or by a guest. */
  'not_yours',
] as const;
export const couponProblemCode = z.enum(COUPON_PROBLEMS);
export type CouponProblemCode = z.infer<typeof couponProblemCode>;

export const quoteLine = z.strictObject({
  kind: z.enum(['offer', 'event_ticket', 'session']),
  ref_id: z.string(),
  title: z.string(),
  quantity: z.int(),
  unit_amount_minor: moneyMinor,
  amount_minor: moneyMinor,
});

export const quoteCheckout = defineCallable({
  name: 'quoteCheckout',
  access: 'public',
  description: 'What createCheckout would charge for the same input (the same pricing code), without reserving anything; says why a coupon does not apply.',
  input: createCheckoutInput,
  output: checkoutTotals.extend({
    currency: currencyCode,
    items: z.array(quoteLine),
    /** The coupon asked for: applied, or why not (the totals are then without it). */
    coupon: z.strictObject({ code: z.string(), applied: z.boolean(), problem: couponProblemCode.nullable(), message: z.string().nullable() }).nullable(),
  }),
});

export const getReceiptPdf = defineCallable({
  name: 'getReceiptPdf',
  access: 'signed-in',
  description: 'A receipt as a PDF (order number, items, amounts in the currency’s format, tax, payment method, business details); its owner and admins.',
  input: z.strictObject({
    receipt_id: docIdInput,
    /** Admins: the receipt's owner (default: the caller). */
    user_id: docIdInput.optional(),
  }),
  output: z.strictObject({ filename: z.string(), content_type: z.literal('application/pdf'), pdf_base64: z.string() }),
});

/** An order line as the buyer sees it; `kind: 'legacy'` for a migrated order's lines (their own shape, amounts when readable). */
export const orderLineView = z.strictObject({
  kind: z.enum(['offer', 'event_ticket', 'session', 'legacy']),
  ref_id: z.string().nullable(),
  title: z.string().nullable(),
  quantity: z.int().nullable(),
  unit_amount_minor: moneyMinor.nullable(),
  amount_minor: moneyMinor.nullable(),
  currency: currencyCode,
});
export type OrderLineView = z.infer<typeof orderLineView>;

export const orderView = z.strictObject({
  id: z.string(),
  order_number: z.string(),
  /** Null for a migrated order whose status has no known meaning (its text is in `status_text`). */
  status: orderStatus.nullable(),
  status_text: z.string().nullable(),
  user_id: z.string().nullable(),
  customer_email: z.string(),
  customer_name: z.string().nullable(),
  items: z.array(orderLineView),
  currency: currencyCode,
  subtotal_minor: moneyMinor,
  discount_minor: moneyMinor,
  tax_minor: moneyMinor,
  total_minor: moneyMinor,
  paid_minor: moneyMinor.nullable(),
  refunded_minor: moneyMinor,
  payment_provider: z.string().nullable(),
  coupon_id: z.string().nullable(),
  booking_id: z.string().nullable(),
  /** The provider's page, while the order is still pending. */
  checkout_url: z.string().nullable(),
  /** Set when a fact needs a person (an admin sees why). */
  attention: z.string().nullable(),
  created_at: isoTime.nullable(),
  updated_at: isoTime.nullable(),
  paid_at: isoTime.nullable(),
});
export type OrderView = z.infer<typeof orderView>;

export const getOrder = defineCallable({
  name: 'getOrder',
  access: 'signed-in',
  description: "The buyer's own order (admins: any order); someone else's order is not-found.",
  input: z.strictObject({ order_id: docIdInput }),
  output: orderView,
});

export const listOrders = defineCallable({
  name: 'listOrders',
  access: 'admin',
  description: 'Orders newest first, optionally of one status, a page at a time.',
  input: z
    .strictObject({
      status: z.string().min(1).max(40).optional(),
      limit: z.int().min(1).max(100).default(50),
      /** The last order id of the previous page. */
      page_token: docIdInput.optional(),
    })
    .default({ limit: 50 }),
  output: z.strictObject({ orders: z.array(orderView), next_page_token: nextPageToken }),
});

export const refundOrder = defineCallable({
  name: 'refundOrder',
  access: 'admin',
  description: 'Refunds all or part of a paid order through its provider; idempotent per request.',
  input: z.strictObject({
    order_id: docIdInput,
    /** Minor units; the whole refundable remainder when absent. */
    amount_minor: z.int().positive().optional(),
    /** Makes the request idempotent across retries (recommended for partial refunds). */
    request_id: idempotencyKeyInput.optional(),
  }),
  output: z.strictObject({
    order_id: z.string(),
    request_key: z.string(),
    amount_minor: moneyMinor,
    refund: z.strictObject({ id: z.string(), status: z.string() }).nullable(),
    order_status: orderStatus.nullable(),
    refunded_minor: moneyMinor,
  }),
});
