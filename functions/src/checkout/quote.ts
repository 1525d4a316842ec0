/**
 * quoteCheckout: what createCheckout would charge for the same input, computed by the same
 * functions (priceCart, findCoupon, applyCoupon) from the same documents, and nothing reserved or
 * written. A coupon that does not apply is reported (why), and the totals are those without it.
 */
import type { CallableHandler } from '../core/callable.js';
import type { quoteCheckout as contract } from '@zhengrowth/model';
import type { PaymentDeps } from '../payments/deps.js';
import { applyCoupon, findCoupon, priceCart } from './cart.js';

export const quoteCheckout: CallableHandler<typeof contract, PaymentDeps> = async (input, caller, deps) => {
  const now = deps.now();
  const [cart, coupon] = await Promise.all([priceCart(deps.db, input, now), input.coupon_code ? findCoupon(deps.db, input.coupon_code) : null]);
  const { totals, problem } = applyCoupon(cart, coupon?.doc ?? null, now, deps.taxRatePercent, caller?.uid ?? null);
  const couponAnswer = input.coupon_code
    ? coupon
      ? { code: coupon.doc.code, applied: problem === null, problem: problem?.code ?? null, message: problem?.message ?? null }
      : { code: input.coupon_code, applied: false, problem: 'unknown' as const, message: 'unknown coupon code' }
    : null;
  return {
    ...totals,
    currency: cart.currency,
    items: cart.items.map((i) => ({
      kind: i.kind,
      ref_id: i.ref_id,
      title: i.title,
      quantity: i.quantity,
      unit_amount_minor: i.unit_amount_minor,
      amount_minor: i.amount_minor,
    })),
    coupon: couponAnswer,
  };
};
