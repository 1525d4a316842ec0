/**
 * quoteCheckout against createCheckout (a property test over random carts and coupons), disputes
 * and failed refunds from Stripe, the receipt PDF callable, and the uniqueness of coupon codes and
 * the other seed-unique values through the admin callables.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractText, getDocumentProxy } from 'unpdf';
import {
  coupons,
  getReceiptPdf as receiptContract,
  orders,
  quoteCheckout as quoteContract,
  saveCoupon as saveCouponContract,
  saveI18nEntry as saveI18nContract,
  saveSocialTemplate as saveTemplateContract,
} from '@zhengrowth/model';
import { quoteCheckout } from '../src/checkout/quote.js';
import { saveCoupon, saveI18nEntry, saveSocialTemplate } from '../src/catalog/save.js';
import { getReceiptPdf } from '../src/receipts/receipt.js';
import { admin, buyer, checkout, put, seedCoupon, seedEvent, seedOffer, seedUser, testEnv, uniq, URLS, type TestEnv } from './support/env.js';
import { call, deliverStripe, inboxOf, refusal, sessionCompleted, stripeEvent } from './support/flows.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv('commerce-x');
});
afterAll(async () => {
  await env?.close();
});

/** A small deterministic generator (the same cases every run; the seed is printed on failure). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('quoteCheckout', () => {
  it('equals what createCheckout then charges for the same input, over random carts and coupons; reserves nothing', { timeout: 900_000 }, async () => {
    const r = rng(20261130);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
    const offerIds = await Promise.all([1999, 4999, 12345, 1].map((p) => seedOffer(env.db, { price_minor: p, currency: 'USD' })));
    const { eventId } = await seedEvent(env.db, { capacity: null, prices: [{ currency: 'USD', amount_minor: 2500 }] });
    const couponCodes = [
      (await seedCoupon(env.db, { discount_type: 'percent', discount_percent: '12.5' })).code,
      (await seedCoupon(env.db, { discount_type: 'fixed', discount_amount_minor: 700, currency: 'USD' })).code,
      (await seedCoupon(env.db, { discount_type: 'fixed', discount_amount_minor: 700, currency: 'EUR' })).code,
      (await seedCoupon(env.db, { discount_type: 'percent', discount_percent: '30', currency: 'USD', metadata: { min_subtotal_minor: 10_000 } })).code,
      (await seedCoupon(env.db, { discount_type: 'percent', discount_percent: '5', valid_until: null, active: false })).code,
    ];
    for (let i = 0; i < 25; i++) {
      const items = Array.from({ length: 1 + Math.floor(r() * 3) }, () =>
        r() < 0.7
          ? { kind: 'offer' as const, offer_id: pick(offerIds), quantity: 1 + Math.floor(r() * 3) }
          : { kind: 'event_ticket' as const, event_id: eventId, quantity: 1 + Math.floor(r() * 2) },
      );
      const coupon = r() < 0.7 ? pick(couponCodes) : undefined;
      const tax = pick(['0', '8.25', '20']);
      const input = { provider: 'airwallex' as const, items, ...URLS, ...(coupon ? { coupon_code: r() < 0.3 ? coupon.toLowerCase() : coupon } : {}) };
      const deps = env.deps({ taxRatePercent: tax });
      const before = (await env.db.doc(`events/${eventId}`).get()).get('registered_count') as number;
      const q = await call(quoteContract, quoteCheckout, deps, null, input);
      expect((await env.db.doc(`events/${eventId}`).get()).get('registered_count'), `case ${i}: the quote reserved seats`).toBe(before);
      if (q.coupon && !q.coupon.applied) {
        expect(q.coupon.problem, `case ${i}`).not.toBeNull();
        const refused = await refusal(checkout(deps, buyer(), input));
        expect([refused.code, refused.message], `case ${i}`).toEqual(['failed-precondition', q.coupon.message]);
        continue;
      }
      const charged = await checkout(deps, buyer(), input);
      const pick4 = (x: { subtotal_minor: number; discount_minor: number; tax_minor: number; total_minor: number }) => [
        x.subtotal_minor,
        x.discount_minor,
        x.tax_minor,
        x.total_minor,
      ];
      expect(pick4(charged), `case ${i}: ${JSON.stringify(input)} tax ${tax}`).toEqual(pick4(q));
    }
  });

  it('says why a coupon does not apply: unknown, expired, used up, wrong currency, below minimum', async () => {
    const offerId = await seedOffer(env.db, { price_minor: 5000, currency: 'USD' });
    const quote = (code: string) =>
      call(quoteContract, quoteCheckout, env.deps(), null, { provider: 'stripe', ...URLS, items: [{ kind: 'offer', offer_id: offerId }], coupon_code: code });
    const expired = await seedCoupon(env.db, {
      discount_type: 'percent',
      discount_percent: '10',
      valid_until: (await import('firebase-admin/firestore')).Timestamp.fromMillis(Date.now() - 1000),
    });
    const usedUp = await seedCoupon(env.db, { discount_type: 'percent', discount_percent: '10', max_uses: 1, uses_count: 1 });
    const eur = await seedCoupon(env.db, { discount_type: 'fixed', discount_amount_minor: 100, currency: 'EUR' });
    const min = await seedCoupon(env.db, { discount_type: 'percent', discount_percent: '10', currency: 'USD', metadata: { min_subtotal_minor: 9000 } });
    expect((await quote('NO-SUCH-CODE')).coupon).toMatchObject({ applied: false, problem: 'unknown' });
    expect((await quote(expired.code)).coupon).toMatchObject({ applied: false, problem: 'expired' });
    expect((await quote(usedUp.code)).coupon).toMatchObject({ applied: false, problem: 'used_up' });
    expect((await quote(eur.code)).coupon).toMatchObject({ applied: false, problem: 'wrong_currency' });
    const below = await quote(min.code);
    expect(below.coupon).toMatchObject({ applied: false, problem: 'below_minimum', message: 'this coupon needs an order of at least 90.00 USD' });
    expect([below.discount_minor, below.total_minor]).toEqual([0, 5000]);
  });
});

describe('Stripe disputes and failed refunds', () => {
  it('a dispute opened then closed flags the order and tells admins, never moving its money state', async () => {
    const boss = admin();
    await seedUser(env.db, boss);
    await env.db.doc(`users/${boss.uid}`).set({ roles: ['admin'] }, { merge: true });
    const offerId = await seedOffer(env.db, { price_minor: 8000, currency: 'USD' });
    const res = await checkout(env.deps(), buyer(), { provider: 'stripe', items: [{ kind: 'offer', offer_id: offerId }] });
    await deliverStripe(env, sessionCompleted(res));
    const dispute = (status: string) => ({
      id: `du_${res.order_id}`,
      object: 'dispute',
      amount: 8000,
      currency: 'usd',
      charge: `ch_${res.order_id}`,
      payment_intent: `pi_${res.order_id}`,
      reason: 'fraudulent',
      status,
    });
    expect((await deliverStripe(env, stripeEvent('charge.dispute.created', dispute('needs_response')))).body.outcome).toBe('applied');
    const order = async () =>
      (
        await env.db
          .doc(orders.docPath({ orderId: res.order_id }))
          .withConverter(orders.converter)
          .get()
      ).data();
    let o = await order();
    expect([o?.status, o?.disputed, o?.refunded_minor, o?.attention]).toEqual(['paid', true, 0, `dispute du_${res.order_id} opened (fraudulent)`]);
    await deliverStripe(env, stripeEvent('charge.dispute.closed', dispute('lost')));
    // A late "created" after the close does not reopen it.
    await deliverStripe(env, stripeEvent('charge.dispute.created', dispute('needs_response')));
    o = await order();
    expect([o?.status, o?.disputed, o?.disputes?.[`du_${res.order_id}`]?.status]).toEqual(['paid', false, 'lost']);
    const titles = (await inboxOf(env.db, boss.uid)).map((i) => i.title);
    expect(titles).toEqual(expect.arrayContaining(['Payment disputed', 'Dispute closed']));
  });

  it('a refund that fails is marked failed on the order and told to admins; refunded_minor never goes back', async () => {
    const boss = admin();
    await seedUser(env.db, boss);
    await env.db.doc(`users/${boss.uid}`).set({ roles: ['admin'] }, { merge: true });
    const offerId = await seedOffer(env.db, { price_minor: 6000, currency: 'USD' });
    const res = await checkout(env.deps(), buyer(), { provider: 'stripe', items: [{ kind: 'offer', offer_id: offerId }] });
    await deliverStripe(env, sessionCompleted(res));
    const refund = (status: string) => ({
      id: `re_${res.order_id}`,
      object: 'refund',
      amount: 6000,
      currency: 'usd',
      status,
      failure_reason: status === 'failed' ? 'expired_or_canceled_card' : null,
      payment_intent: `pi_${res.order_id}`,
      metadata: { order_id: res.order_id },
    });
    await deliverStripe(env, stripeEvent('charge.refund.updated', refund('succeeded')));
    await deliverStripe(env, stripeEvent('charge.refund.updated', refund('failed')));
    const o = (
      await env.db
        .doc(orders.docPath({ orderId: res.order_id }))
        .withConverter(orders.converter)
        .get()
    ).data();
    expect(o?.refunds?.[`re_${res.order_id}`]?.status).toBe('failed');
    expect([o?.status, o?.refunded_minor]).toEqual(['paid', 0]);
    expect(o?.attention).toMatch(/refund re_\w+ failed \(expired_or_canceled_card\)/);
    expect((await inboxOf(env.db, boss.uid)).map((i) => i.title)).toContain('Refund failed');
  });
});

describe('getReceiptPdf', () => {
  it('renders the owner’s receipt (parsed back: order number, total); someone else gets not-found, admins get it', async () => {
    const owner = buyer();
    await seedUser(env.db, owner);
    const offerId = await seedOffer(env.db, { price_minor: 2_500_00, currency: 'USD', title: '成长计划' });
    const res = await checkout(env.deps(), owner, { provider: 'stripe', items: [{ kind: 'offer', offer_id: offerId }], customer_name: '王小明' });
    await deliverStripe(env, sessionCompleted(res));
    const deps = { ...env.deps(), business: { name: 'ZhenGrowth Ltd', address: 'Hong Kong', taxId: '', email: 'billing@zhengrowth.test' } };
    const out = await call(receiptContract, getReceiptPdf, deps, owner, { receipt_id: res.order_id });
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(Buffer.from(out.pdf_base64, 'base64'))), { mergePages: true });
    expect(text).toContain(res.order_number);
    expect(text).toContain('$2,500.00');
    expect(text).toContain('王小明');
    expect((await refusal(call(receiptContract, getReceiptPdf, deps, buyer(), { receipt_id: res.order_id, user_id: owner.uid }))).code).toBe('not-found');
    expect((await call(receiptContract, getReceiptPdf, deps, admin(), { receipt_id: res.order_id, user_id: owner.uid })).filename).toBe(
      `receipt-${res.order_number}.pdf`,
    );
  });
});

describe('unique values through the admin callables', () => {
  it('coupon codes: stored upper-case, unique (a migrated coupon included), 10 concurrent creates → one; a rename frees the old code; checkout finds the code in any case', async () => {
    const boss = admin();
    const code = uniq('SPRING').toUpperCase();
    const save = (data: Record<string, unknown>) =>
      call(saveCouponContract, saveCoupon, env.deps(), boss, { discount_type: 'percent', discount_percent: '10', ...data });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => save({ code: code.toLowerCase() })));
    const ok = results.filter((x) => x.status === 'fulfilled');
    expect(ok).toHaveLength(1);
    expect(results.filter((x) => x.status === 'rejected').map((x) => (x.reason as { code?: string }).code)).toEqual(Array(9).fill('already-exists'));
    const id = (ok[0] as PromiseFulfilledResult<{ id: string }>).value.id;
    expect((await env.db.doc(coupons.docPath({ couponId: id })).get()).get('code')).toBe(code);
    // A migrated coupon (no index entry) holds its code too.
    const legacy = await seedCoupon(env.db, { discount_type: 'percent', discount_percent: '5', code: uniq('LEGACY').toUpperCase() });
    expect((await refusal(save({ code: legacy.code }))).code).toBe('already-exists');
    // Renaming frees the old code for another coupon; the counters stay checkout's.
    await save({ id, code: `${code}-NEW`, max_uses: 5 });
    expect((await save({ code })).id).not.toBe(id);
    expect((await refusal(save({ id: 'no-such-coupon', code: uniq('X').toUpperCase() }))).code).toBe('not-found');
    expect(
      (await refusal(call(saveCouponContract, saveCoupon, env.deps(), buyer(), { code: 'X1', discount_type: 'percent', discount_percent: '1' }))).code,
    ).toBe('permission-denied');
    const offerId = await seedOffer(env.db, { price_minor: 1000, currency: 'USD' });
    const quote = await call(quoteContract, quoteCheckout, env.deps(), null, {
      provider: 'stripe',
      ...URLS,
      items: [{ kind: 'offer', offer_id: offerId }],
      coupon_code: `${code.toLowerCase()}-new`,
    });
    expect(quote.coupon).toMatchObject({ code: `${code}-NEW`, applied: true });
  });

  it('i18n (lang, ns, key) and social templates (platform, locale, name; no locale counts as one value) stay unique', async () => {
    const boss = admin();
    const key = uniq('k');
    await call(saveI18nContract, saveI18nEntry, env.deps(), boss, { lang: 'en', ns: 'common', key, value: 'Hello' });
    expect((await refusal(call(saveI18nContract, saveI18nEntry, env.deps(), boss, { lang: 'en', ns: 'common', key, value: 'Hi' }))).code).toBe(
      'already-exists',
    );
    await call(saveI18nContract, saveI18nEntry, env.deps(), boss, { lang: 'zh-CN', ns: 'common', key, value: '你好' });
    const name = uniq('teaser');
    await call(saveTemplateContract, saveSocialTemplate, env.deps(), boss, { platform: 'x', locale: null, name, template: '{{title}}' });
    expect(
      (await refusal(call(saveTemplateContract, saveSocialTemplate, env.deps(), boss, { platform: 'x', locale: null, name, template: 'again' }))).code,
    ).toBe('already-exists');
    await put(env.db.doc('blog_templates/legacy-' + name).withConverter((await import('@zhengrowth/model')).blogTemplates.converter), {
      platform: 'linkedin',
      locale: 'en',
      name,
      template: 't',
      variables: null,
      active: true,
      created_at: null,
    });
    expect(
      (await refusal(call(saveTemplateContract, saveSocialTemplate, env.deps(), boss, { platform: 'linkedin', locale: 'en', name, template: 'dup' }))).code,
    ).toBe('already-exists');
  });
});
