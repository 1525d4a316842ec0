/**
 * Pricing: every amount comes from Firestore, never from the client. Plain functions over the
 * documents a checkout transaction has read, so that the rules are testable on their own.
 */
import { HttpsError } from 'firebase-functions/v2/https';
import { fromMinorUnits, type CouponDoc, type CouponProblemCode } from '@zhengrowth/model';
import { exponentOf, percentOf } from '../payments/money.js';
import type { CheckoutLine } from '../payments/providers.js';
import type { OrderItem } from '@zhengrowth/model';

export interface Totals {
  subtotal_minor: number;
  discount_minor: number;
  tax_minor: number;
  total_minor: number;
}

export interface CouponVerdict {
  code: CouponProblemCode;
  message: string;
}

/**
 * A coupon's minimum order, from its metadata (the seed's "additional rules"):
 * `{"min_subtotal_minor": 5000}`, in the coupon's currency (a coupon with a minimum and no currency
 * applies to no order).
 */
function minimumOf(c: CouponDoc): number | null {
  const m = c.metadata;
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return null;
  const v = m.min_subtotal_minor;
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : null;
}

/** The one account a coupon was made for (a referral reward: metadata.owner_uid), or null for anyone's. */
export function couponOwner(c: CouponDoc): string | null {
  const meta = c.metadata;
  const owner = meta && typeof meta === 'object' && !Array.isArray(meta) ? meta.owner_uid : undefined;
  return typeof owner === 'string' && owner ? owner : null;
}

/** Why a coupon does not apply to this buyer's cart of this currency and subtotal now, or null when it does. */
export function couponVerdict(c: CouponDoc, now: Date, currency: string, subtotalMinor: number, buyerUid: string | null): CouponVerdict | null {
  const no = (code: CouponProblemCode, message: string): CouponVerdict => ({ code, message });
  const owner = couponOwner(c);
  if (owner !== null && owner !== buyerUid) return no('not_yours', 'this coupon belongs to another account: sign in as its owner to use it');
  if (c.active === false) return no('inactive', 'this coupon is not active');
  if (c.valid_from && c.valid_from.toMillis() > now.getTime()) return no('not_yet_valid', 'this coupon is not valid yet');
  if (c.valid_until && c.valid_until.toMillis() <= now.getTime()) return no('expired', 'this coupon has expired');
  if (c.max_uses !== null && (c.uses_count ?? 0) + (c.reserved_count ?? 0) >= c.max_uses) return no('used_up', 'this coupon has been used up');
  if (c.discount_type === 'fixed') {
    if (c.discount_amount_minor === null) return no('misconfigured', 'this coupon has no amount');
    if (c.currency !== currency) return no('wrong_currency', `this coupon is for orders in ${c.currency ?? 'another currency'}`);
  } else if (c.discount_percent === null) {
    return no('misconfigured', 'this coupon has no percentage');
  }
  const minimum = minimumOf(c);
  if (minimum !== null) {
    if (c.currency !== currency) return no('wrong_currency', `this coupon is for orders in ${c.currency ?? 'another currency'}`);
    if (subtotalMinor < minimum) return no('below_minimum', `this coupon needs an order of at least ${fromMinorUnits(minimum, currency)} ${currency}`);
  }
  return null;
}

/** The discount of a valid coupon on a subtotal: a percentage rounded half up, or a fixed amount, never more than the subtotal. */
export function couponDiscount(c: CouponDoc, subtotalMinor: number): number {
  const raw = c.discount_type === 'percent' ? percentOf(subtotalMinor, c.discount_percent ?? '0') : (c.discount_amount_minor ?? 0);
  return Math.max(0, Math.min(raw, subtotalMinor));
}

/**
 * Subtotal, discount, tax and total in minor units. Tax policy: one rate (TAX_RATE_PERCENT,
 * default 0) added on top of the discounted subtotal, rounded half up to a minor unit.
 */
export function computeTotals(items: readonly Pick<OrderItem, 'amount_minor'>[], discountMinor: number, taxRatePercent: string): Totals {
  const subtotal = items.reduce((s, it) => s + it.amount_minor, 0);
  const discount = Math.min(discountMinor, subtotal);
  const tax = percentOf(subtotal - discount, taxRatePercent);
  return { subtotal_minor: subtotal, discount_minor: discount, tax_minor: tax, total_minor: subtotal - discount + tax };
}

/**
 * The Stripe line items of an order: one per item, plus a tax line; with a discount a single line
 * for the total (Stripe discounts need Stripe coupons). The lines always add up to the total.
 */
export function stripeLines(orderNumber: string, items: readonly OrderItem[], totals: Totals): CheckoutLine[] {
  if (totals.discount_minor > 0) {
    return [{ name: `ZhenGrowth order ${orderNumber}`, unitAmountMinor: totals.total_minor, quantity: 1 }];
  }
  const lines: CheckoutLine[] = items.map((it) => ({ name: it.title, unitAmountMinor: it.unit_amount_minor, quantity: it.quantity }));
  if (totals.tax_minor > 0) lines.push({ name: 'Tax', unitAmountMinor: totals.tax_minor, quantity: 1 });
  return lines;
}

/**
 * Stripe takes three-decimal currencies (KWD, BHD, JOD, OMR, TND) in minor units but only in
 * multiples of 10: refuse before anything is reserved rather than charge a rounded amount.
 */
export function checkStripeAmounts(currency: string, lines: readonly CheckoutLine[]): void {
  if (exponentOf(currency) !== 3) return;
  const bad = lines.find((l) => l.unitAmountMinor % 10 !== 0);
  if (bad) {
    throw new HttpsError(
      'failed-precondition',
      `Stripe charges ${currency} only in multiples of 0.010; ${bad.name} costs ${bad.unitAmountMinor} minor units. Pay with Airwallex or adjust the price.`,
    );
  }
}
