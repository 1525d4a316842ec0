/**
 * Referrals against the Firestore and Auth emulators: codes, linking (self-claim, double claim,
 * late claim, loops, two people claiming each other at once), completion in the payment
 * transaction, and the reward claimed exactly once as a single-use coupon that checkout accepts.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimReferral as claimReferralContract,
  claimReferralReward as claimReferralRewardContract,
  coupons,
  domainEvents,
  ensureProfile as ensureProfileContract,
  getMyReferralCode as getMyReferralCodeContract,
  inbox,
  REFERRAL_CLAIM_DAYS,
  referrals,
  users,
} from '@zhengrowth/model';
import { ensureProfileHandler } from '../src/accounts/ensure.js';
import { claimReferralCode } from '../src/growth/referral-claim.js';
import { claimReferral, claimReferralReward, getMyReferralCode } from '../src/growth/referrals.js';
import { applyOrderFacts } from '../src/payments/state.js';
import { checkout, seedOffer, testEnv, type TestEnv } from './support/env.js';
import { call, growthWorld, member, refusal, type Auth, type GrowthWorld } from './support/growth.js';

let env: TestEnv;
let w: GrowthWorld;
beforeAll(async () => {
  env = await testEnv('referrals');
  w = growthWorld('referrals', env.fb);
});
afterAll(async () => {
  await env?.close();
});

const codeOf = async (who: Auth) => (await call(getMyReferralCodeContract, getMyReferralCode, w.deps, who, {})).code;
const claim = (who: Auth, code: string) => call(claimReferralContract, claimReferral, w.deps, who, { code });
const reward = (who: Auth, referralId: string) => call(claimReferralRewardContract, claimReferralReward, w.deps, who, { referral_id: referralId });

async function referralsOf(uid: string) {
  return (await w.db.collection(referrals.collectionPath({ uid })).withConverter(referrals.converter).get()).docs.map((d) => ({ id: d.id, ...d.data() }));
}

/** A paid order of `who` (an offer through checkout, then the provider's payment fact in a transaction). */
async function paidOrder(who: Auth, priceMinor: number, currency = 'USD', coupon?: string): Promise<string> {
  const offerId = await seedOffer(env.db, { price_minor: priceMinor, currency });
  const res = await checkout(env.deps(), who, {
    provider: 'stripe',
    items: [{ kind: 'offer', offer_id: offerId }],
    ...(coupon ? { coupon_code: coupon } : {}),
  });
  await env.db.runTransaction((tx) =>
    applyOrderFacts(
      tx,
      env.db,
      res.order_id,
      [{ kind: 'paid', provider: 'stripe', paymentObjectId: `pi_${res.order_id}`, amountMinor: res.total_minor, currency }],
      new Date(),
    ),
  );
  return res.order_id;
}

describe('referral codes', () => {
  it('every user has one code: stable, random, unique, of an unambiguous alphabet', async () => {
    const [a, b] = await Promise.all([member(w), member(w)]);
    const codeA = await codeOf(a);
    expect(codeA).toMatch(/^[A-HJKMNP-Z2-9]{10}$/);
    expect(await codeOf(a)).toBe(codeA);
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => codeOf(b)));
    expect(new Set(concurrent).size).toBe(1);
    expect(concurrent[0]).not.toBe(codeA);
    expect(await call(getMyReferralCodeContract, getMyReferralCode, w.deps, a, {})).toEqual({ code: codeA, referred: false });
  });
});

describe('claiming a referral', () => {
  it('links once: never one’s own code, never a second referrer, a repeat of the same link changes nothing', async () => {
    const [alice, bob, carol] = await Promise.all([member(w), member(w), member(w)]);
    const [codeA, codeC] = [await codeOf(alice), await codeOf(carol)];
    expect(await refusal(claim(alice, codeA))).toBe('invalid-argument');
    expect(await refusal(claim(bob, 'NOSUCHCODE'))).toBe('not-found');
    expect(await claim(bob, codeA.toLowerCase())).toEqual({ referral_id: bob.uid, status: 'signed_up' });
    expect(await claim(bob, codeA)).toEqual({ referral_id: bob.uid, status: 'signed_up' });
    expect(await refusal(claim(bob, codeC))).toBe('already-exists');
    expect(await referralsOf(alice.uid)).toEqual([
      expect.objectContaining({
        id: bob.uid,
        referrer_id: alice.uid,
        referee_id: bob.uid,
        referee_email: bob.token.email,
        status: 'signed_up',
        reward_claimed: false,
      }),
    ]);
    expect(await referralsOf(carol.uid)).toEqual([]);
    expect((await call(getMyReferralCodeContract, getMyReferralCode, w.deps, bob, {})).referred).toBe(true);
  });

  it(`is refused more than ${REFERRAL_CLAIM_DAYS} days after sign-up`, async () => {
    const [alice, bob] = await Promise.all([member(w), member(w)]);
    const code = await codeOf(alice);
    w.clock.set(new Date(Date.now() + (REFERRAL_CLAIM_DAYS + 1) * 86_400_000));
    try {
      expect(await refusal(claim(bob, code))).toBe('failed-precondition');
    } finally {
      w.clock.set(new Date());
    }
    expect(await referralsOf(alice.uid)).toEqual([]);
    // Just inside the window it links.
    w.clock.set(new Date(Date.now() + (REFERRAL_CLAIM_DAYS - 1) * 86_400_000));
    try {
      await claim(bob, code);
    } finally {
      w.clock.set(new Date());
    }
  });

  it("the code given at sign-up keeps claimReferral's clock: days since the Auth account was made, not since its profile", async () => {
    const [alice, bob] = await Promise.all([member(w), member(w)]);
    const code = await codeOf(alice);
    const later = new Date(Date.now() + (REFERRAL_CLAIM_DAYS + 1) * 86_400_000);
    // A profile made long after its account (a migrated user's, one repaired after a failed trigger).
    await w.db.doc(users.docPath({ uid: bob.uid })).update({ created_at: Timestamp.fromDate(later) });
    const deps = { db: w.db, now: () => later, auth: env.fb.auth };
    await call(ensureProfileContract, ensureProfileHandler, deps, bob, { referral_code: code });
    expect(await referralsOf(alice.uid)).toEqual([]);
  });

  it('never makes a loop: not back to one’s referrer, nor up a chain; two people claiming each other at once: one link', async () => {
    const [a, b, c] = await Promise.all([member(w), member(w), member(w)]);
    await claim(b, await codeOf(a)); // a → b
    await claim(c, await codeOf(b)); // b → c
    expect(await refusal(claim(a, await codeOf(b)))).toBe('failed-precondition');
    expect(await refusal(claim(a, await codeOf(c)))).toBe('failed-precondition');
    const [x, y] = await Promise.all([member(w), member(w)]);
    const [cx, cy] = [await codeOf(x), await codeOf(y)];
    const outcomes = await Promise.allSettled([claim(x, cy), claim(y, cx)]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect([...(await referralsOf(x.uid)), ...(await referralsOf(y.uid))]).toHaveLength(1);
  });

  it('claimReferralCode is the one function ensureProfile calls in its own transaction: a refusal writes nothing', async () => {
    const [alice, newcomer] = await Promise.all([member(w), member(w)]);
    const code = await codeOf(alice);
    const now = new Date();
    const input = { refereeUid: newcomer.uid, refereeEmail: String(newcomer.token.email), code, signedUpAt: now, now };
    expect(await w.db.runTransaction((tx) => claimReferralCode(tx, w.db, { ...input, code: 'WRONGCODE1' }))).toEqual({ ok: false, reason: 'unknown_code' });
    expect(await w.db.runTransaction((tx) => claimReferralCode(tx, w.db, input))).toEqual({
      ok: true,
      referrerId: alice.uid,
      referralId: newcomer.uid,
      already: false,
    });
    expect(await w.db.runTransaction((tx) => claimReferralCode(tx, w.db, input))).toMatchObject({ ok: true, already: true });
    expect(await referralsOf(alice.uid)).toHaveLength(1);
  });
});

describe('completion and reward', () => {
  it('the first paid order converts the referral in the payment transaction; the reward is claimed once, as a single-use coupon', async () => {
    const [alice, bob] = await Promise.all([member(w), member(w)]);
    await claim(bob, await codeOf(alice));
    expect(await refusal(reward(alice, bob.uid))).toBe('failed-precondition');
    const first = await paidOrder(bob, 4999);
    const [converted] = await referralsOf(alice.uid);
    expect(converted).toMatchObject({ status: 'converted', reward_amount_minor: 499, currency: 'USD', reward_claimed: false });
    expect(converted?.completed_at).toBeInstanceOf(Timestamp);
    const event = (
      await w.db
        .doc(domainEvents.docPath({ eventId: `referral_completed:${bob.uid}:${alice.uid}` }))
        .withConverter(domainEvents.converter)
        .get()
    ).data();
    expect(event).toMatchObject({ type: 'referral_completed', user_id: alice.uid, subject_id: bob.uid, data: { order_id: first } });
    expect((await w.db.doc(inbox.docPath({ uid: alice.uid, itemId: `referral-${bob.uid}-converted` })).get()).exists).toBe(true);
    // A second order changes nothing.
    await paidOrder(bob, 100_000);
    expect((await referralsOf(alice.uid))[0]).toMatchObject({ reward_amount_minor: 499, completed_at: converted?.completed_at });

    // Claimed twice at once, and again: one coupon.
    expect(await refusal(reward(bob, bob.uid))).toBe('not-found');
    const claims = await Promise.all([reward(alice, bob.uid), reward(alice, bob.uid)]);
    expect(new Set(claims.map((c) => c.coupon_code)).size).toBe(1);
    expect(claims.map((c) => c.already_claimed).sort()).toEqual([false, true]);
    const again = await reward(alice, bob.uid);
    expect(again).toEqual({ coupon_code: claims[0]?.coupon_code, amount_minor: 499, currency: 'USD', already_claimed: true });
    const made = (await w.db.collection(coupons.collectionPath({})).withConverter(coupons.converter).get()).docs.filter(
      (d) => d.data().code === again.coupon_code,
    );
    expect(made).toHaveLength(1);
    expect(made[0]?.data()).toMatchObject({ discount_type: 'fixed', discount_amount_minor: 499, currency: 'USD', max_uses: 1, uses_count: 0, active: true });
    expect((await referralsOf(alice.uid))[0]?.reward_claimed).toBe(true);

    // Only the referrer's account redeems it: the referee (or anyone else, or a guest) is refused.
    const offerId = await seedOffer(env.db, { price_minor: 2000, currency: 'USD' });
    expect(
      await refusal(checkout(env.deps(), bob, { provider: 'stripe', items: [{ kind: 'offer', offer_id: offerId }], coupon_code: again.coupon_code })),
    ).toBe('failed-precondition');
    // Checkout takes it once.
    const order = await checkout(env.deps(), alice, { provider: 'stripe', items: [{ kind: 'offer', offer_id: offerId }], coupon_code: again.coupon_code });
    expect(order.discount_minor).toBe(499);
  });

  it('a buyer who was never referred converts nothing', async () => {
    const loner = await member(w);
    await paidOrder(loner, 1000);
    expect((await w.db.collection('domain_events').where('user_id', '==', loner.uid).get()).docs.map((d) => d.data().type as string)).toEqual(['purchase']);
  });
});
