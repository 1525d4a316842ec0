/** The referral callables: the caller's code, linking to a referrer, and claiming a converted referral's reward. */
import { randomInt } from 'node:crypto';
import { HttpsError } from 'firebase-functions/v2/https';
import { Timestamp } from 'firebase-admin/firestore';
import {
  coupons,
  REFERRAL_CLAIM_DAYS,
  REFERRAL_STATUS,
  type claimReferral as claimReferralContract,
  type claimReferralReward as claimReferralRewardContract,
  type getMyReferralCode as getMyReferralCodeContract,
} from '@zhengrowth/model';
import type { AccountLookupDeps } from '../core/accounts.js';
import type { CallableHandler } from '../core/callable.js';
import { txCreate, txMerge, runTx } from '../core/firestore.js';
import { claimReferralCode, referralRef, type ReferralRefusal } from './referral-claim.js';
import { ensureReferralCode } from './referral-codes.js';

/** A reward coupon is valid this long after it is claimed. */
const REWARD_VALID_DAYS = 365;

const REFUSALS: Record<ReferralRefusal, () => HttpsError> = {
  unknown_code: () => new HttpsError('not-found', 'no such referral code'),
  own_code: () => new HttpsError('invalid-argument', 'code: that is your own referral code'),
  already_referred: () => new HttpsError('already-exists', 'you were already referred by someone else'),
  too_late: () => new HttpsError('failed-precondition', `referral codes can be claimed only within ${REFERRAL_CLAIM_DAYS} days of signing up`),
  loop: () => new HttpsError('failed-precondition', 'you referred this person (directly or through others): they cannot refer you'),
};

export const getMyReferralCode: CallableHandler<typeof getMyReferralCodeContract, AccountLookupDeps> = async (_input, me, deps) => {
  const account = await ensureReferralCode(deps.db, me.uid, deps.now());
  return { code: account.code, referred: account.referred_by !== null };
};

export const claimReferral: CallableHandler<typeof claimReferralContract, AccountLookupDeps> = async (input, me, deps) => {
  const account = await deps.accounts.get(me.uid);
  if (!account) throw new HttpsError('not-found', 'no such account');
  const result = await runTx(deps.db, (tx) =>
    claimReferralCode(tx, deps.db, {
      refereeUid: me.uid,
      refereeEmail: me.email ?? account.email ?? null,
      code: input.code,
      signedUpAt: account.createdAt,
      now: deps.now(),
    }),
  );
  if (!result.ok) throw REFUSALS[result.reason]();
  return { referral_id: result.referralId, status: REFERRAL_STATUS.linked };
};

function couponCode(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const part = () => Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return `REF-${part()}-${part()}-${part()}`;
}

/**
 * The reward as a single-use coupon (max_uses 1, a fixed amount in the order's currency), made in
 * the same transaction that marks the referral's reward claimed: exactly once. A repeated claim
 * answers the coupon already made. The coupon's id is derived from the referral, its code random.
 */
export const claimReferralReward: CallableHandler<typeof claimReferralRewardContract, AccountLookupDeps> = async (input, me, deps) => {
  const db = deps.db;
  const ref = referralRef(db, me.uid, input.referral_id);
  const couponRef = db.doc(coupons.docPath({ couponId: `referral-${me.uid}-${input.referral_id}` })).withConverter(coupons.converter);
  const now = Timestamp.fromDate(deps.now());
  return runTx(db, async (tx) => {
    const referral = (await tx.get(ref)).data();
    if (!referral) throw new HttpsError('not-found', 'no such referral');
    const existing = (await tx.get(couponRef)).data();
    if (referral.reward_claimed === true || existing) {
      if (!existing?.discount_amount_minor || !existing.currency) throw new HttpsError('failed-precondition', 'this reward was already claimed');
      return { coupon_code: existing.code, amount_minor: existing.discount_amount_minor, currency: existing.currency, already_claimed: true };
    }
    if (referral.status !== REFERRAL_STATUS.completed || !referral.reward_amount_minor || !referral.currency) {
      throw new HttpsError('failed-precondition', 'this referral has no reward yet: it comes with your friend’s first paid order');
    }
    const code = couponCode();
    txCreate(tx, couponRef, {
      code,
      discount_type: 'fixed',
      discount_percent: null,
      discount_amount_minor: referral.reward_amount_minor,
      currency: referral.currency,
      max_uses: 1,
      uses_count: 0,
      valid_from: now,
      valid_until: Timestamp.fromMillis(now.toMillis() + REWARD_VALID_DAYS * 86_400_000),
      active: true,
      metadata: { kind: 'referral_reward', referral_id: input.referral_id, owner_uid: me.uid },
      created_at: now,
      reserved_count: 0,
    });
    txMerge(tx, ref, { reward_claimed: true });
    return { coupon_code: code, amount_minor: referral.reward_amount_minor, currency: referral.currency, already_claimed: false };
  });
};
