/** Pure pieces: exact percentages, JSON numbers kept as text, pricing, and the order state machine. */
import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import type { CouponDoc, OrderDoc, OrderItem } from '@zhengrowth/model';
import { computeTotals, couponDiscount, couponVerdict, stripeLines } from '../src/checkout/pricing.js';
import { parseJsonNumbersAsText, RawDecimal, stringifyWithDecimals } from '../src/payments/json-exact.js';
import { percentOf } from '../src/payments/money.js';
import { newOrderId, orderNumberFor } from '../src/shared/orders.js';
import { foldFacts, statusRank, type OrderFact } from '../src/payments/fold.js';

describe('percentOf', () => {
  it.each([
    [999, '12.5', 125], // 124.875
    [2997, '8.25', 247], // 247.2525
    [1000, '0', 0],
    [1, '50', 1], // 0.5 rounds up
    [3, '50', 2], // 1.5 rounds up
    [12345, '10', 1235], // 1234.5 (KWD fils)
    [5000, '100', 5000],
    [Number.MAX_SAFE_INTEGER, '100', Number.MAX_SAFE_INTEGER],
  ])('%d at %s percent is %d minor units', (amount, pct, want) => {
    expect(percentOf(amount, pct)).toBe(want);
  });

  it('refuses what is not a percentage', () => {
    expect(() => percentOf(100, '101')).toThrow(/above 100/);
    expect(() => percentOf(100, '-5')).toThrow(/not a percentage/);
    expect(() => percentOf(100, '1e2')).toThrow(/not a percentage/);
    expect(() => percentOf(1.5, '10')).toThrow(/non-negative amount/);
  });
});

describe('JSON numbers as text', () => {
  it('keeps every digit a float would lose', () => {
    const parsed = parseJsonNumbersAsText('{"a": 9007199254740993, "b": [16.66, -0.10, 1e3], "s": "12.5 \\" 7", "t": true, "n": null}');
    expect(parsed).toEqual({ a: '9007199254740993', b: ['16.66', '-0.10', '1e3'], s: '12.5 " 7', t: true, n: null });
    expect(() => parseJsonNumbersAsText('{"a": 1,')).toThrow(SyntaxError);
  });

  it('writes exact decimals as bare JSON numbers', () => {
    expect(stringifyWithDecimals({ amount: new RawDecimal('12.345'), currency: 'KWD', n: [new RawDecimal('5000')] })).toBe(
      '{"amount":12.345,"currency":"KWD","n":[5000]}',
    );
    expect(() => new RawDecimal('1e5')).toThrow();
  });
});

describe('pricing', () => {
  const coupon = (c: Partial<CouponDoc>): CouponDoc => ({
    code: 'X',
    discount_type: 'percent',
    discount_percent: '10',
    discount_amount_minor: null,
    currency: null,
    max_uses: null,
    uses_count: 0,
    valid_from: null,
    valid_until: null,
    active: true,
    metadata: null,
    created_at: null,
    reserved_count: 0,
    ...c,
  });
  const now = new Date('2026-06-01T00:00:00Z');

  it('checks coupons: window, uses (held ones included), currency, minimum', () => {
    const problem = (c: CouponDoc, currency = 'USD', subtotal = 1000, buyer: string | null = 'buyer-1') => couponVerdict(c, now, currency, subtotal, buyer);
    // A coupon made for one account (a referral reward) is only that account's.
    const reward = coupon({ metadata: { kind: 'referral_reward', referral_id: 'r1', owner_uid: 'referrer-1' } });
    expect(problem(reward, 'USD', 1000, 'referrer-1')).toBeNull();
    expect(problem(reward, 'USD', 1000, 'someone-else')?.code).toBe('not_yours');
    expect(problem(reward, 'USD', 1000, null)?.code).toBe('not_yours');
    expect(problem(coupon({}))).toBeNull();
    expect(problem(coupon({ max_uses: 2, uses_count: 1, reserved_count: 1 }))).toEqual({ code: 'used_up', message: 'this coupon has been used up' });
    expect(problem(coupon({ valid_until: Timestamp.fromDate(now) }))?.code).toBe('expired');
    expect(problem(coupon({ valid_from: Timestamp.fromMillis(now.getTime() + 1) }))?.code).toBe('not_yet_valid');
    expect(problem(coupon({ active: false }))?.code).toBe('inactive');
    const eur = problem(coupon({ discount_type: 'fixed', discount_percent: null, discount_amount_minor: 500, currency: 'EUR' }));
    expect(eur?.code).toBe('wrong_currency');
    expect(eur?.message).toMatch(/EUR/);
    const minimum = coupon({ currency: 'USD', metadata: { min_subtotal_minor: 5000 } });
    expect(problem(minimum, 'USD', 4999)).toEqual({ code: 'below_minimum', message: 'this coupon needs an order of at least 50.00 USD' });
    expect(problem(minimum, 'USD', 5000)).toBeNull();
    expect(problem(minimum, 'JPY', 9000)?.code).toBe('wrong_currency');
    expect(couponDiscount(coupon({ discount_type: 'fixed', discount_percent: null, discount_amount_minor: 5000, currency: 'USD' }), 1200)).toBe(1200);
  });

  it('totals and Stripe lines always agree', () => {
    const items: OrderItem[] = [
      { kind: 'offer', ref_id: 'a', title: 'A', quantity: 2, unit_amount_minor: 999, amount_minor: 1998, currency: 'USD' },
      { kind: 'offer', ref_id: 'b', title: 'B', quantity: 1, unit_amount_minor: 1, amount_minor: 1, currency: 'USD' },
    ] satisfies OrderItem[];
    for (const [discount, tax] of [
      [0, '0'],
      [0, '7.5'],
      [333, '7.5'],
    ] as const) {
      const t = computeTotals(items, discount, tax);
      const lines = stripeLines('ZG-1', items, t);
      expect(lines.reduce((s, l) => s + l.unitAmountMinor * l.quantity, 0)).toBe(t.total_minor);
    }
  });
});

describe('order ids and numbers', () => {
  it('are readable, unambiguous, and stable for an idempotency key', () => {
    const id = newOrderId();
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
    expect(orderNumberFor('7KQ2MX9D4TPA')).toBe('ZG-7KQ2-MX9D-4TPA');
    expect(newOrderId({ uid: 'u1', key: 'k1234567' })).toBe(newOrderId({ uid: 'u1', key: 'k1234567' }));
    expect(newOrderId({ uid: 'u1', key: 'k1234567' })).not.toBe(newOrderId({ uid: 'u2', key: 'k1234567' }));
  });
});

describe('the order state machine', () => {
  const t = Timestamp.fromMillis(1_800_000_000_000);
  const pending: OrderDoc = {
    order_number: 'ZG-TEST',
    user_id: 'u1',
    customer_email: 'a@example.com',
    customer_name: null,
    items: [],
    subtotal_minor: 1000,
    tax_minor: 0,
    total_minor: 1000,
    currency: 'USD',
    payment_provider: 'stripe',
    payment_id: 'cs_1',
    status: 'pending',
    metadata: null,
    created_at: t,
    updated_at: t,
    refunded_minor: 0,
    refunds: {},
    paid_at: null,
    failed_at: null,
    expired_at: null,
  };
  const paid: OrderFact = { kind: 'paid', provider: 'stripe', paymentObjectId: 'pi_1', amountMinor: 1000, currency: 'usd' };
  const refund = (amount: number): OrderFact => ({
    kind: 'refund',
    provider: 'stripe',
    entryId: 'charge:ch_1',
    amountMinor: amount,
    status: 'succeeded',
    cumulative: true,
    payment: { paymentObjectId: 'pi_1', amountMinor: 1000, currency: 'usd' },
  });
  const facts: Record<string, OrderFact> = {
    paid,
    failed: { kind: 'failed', provider: 'stripe', reason: 'card_declined' },
    expired: { kind: 'expired' },
    partial: refund(400),
    full: refund(1000),
  };

  /** Every ordering of every pair (and triple) ends in the same status as the facts' best rank. */
  it.each([
    [['paid', 'expired'], 'paid'],
    [['expired', 'paid'], 'paid'],
    [['failed', 'expired'], 'failed'],
    [['expired', 'failed'], 'expired'],
    [['full', 'paid'], 'refunded'],
    [['paid', 'full'], 'refunded'],
    [['partial', 'paid'], 'partially_refunded'],
    [['full', 'partial'], 'refunded'],
    [['partial', 'full', 'partial'], 'refunded'],
    [['failed', 'paid', 'partial', 'expired'], 'partially_refunded'],
  ])('%j → %s', (names, want) => {
    let o = pending;
    let rank = 0;
    for (const n of names) {
      o = foldFacts(o, [facts[n]!], t);
      // Never backwards, at every step.
      expect(statusRank(o.status)).toBeGreaterThanOrEqual(rank);
      rank = statusRank(o.status);
    }
    expect(o.status).toBe(want);
    if (names.some((n) => n === 'paid' || n === 'partial' || n === 'full')) expect(o.paid_minor).toBe(1000);
  });
});
