/**
 * A referral completes on the referee's first paid order, inside the payment transaction
 * (payments/state.ts applyOrderFacts calls this): the referral becomes `converted` with its reward
 * (REFERRAL_REWARD_PERCENT of what the order paid, in the order's currency, whole minor units, at
 * least 1), a `referral_completed` domain event is recorded for the referrer (badges count it), and
 * the referrer is told. Later orders find the referral converted and change nothing.
 */
import type { Timestamp } from 'firebase-admin/firestore';
import { type Firestore, type Transaction } from 'firebase-admin/firestore';
import { REFERRAL_REWARD_PERCENT, REFERRAL_STATUS } from '@zhengrowth/model';
import { txMerge } from '../core/firestore.js';
import { recordDomainEvent } from '../shared/domain-events.js';
import { notifyInbox } from '../shared/outbox.js';
import { referralRef } from './referral-claim.js';
import { accountRef } from './referral-codes.js';

export interface ReferralConversion {
  /** The conversion's writes (a write of the caller's transaction). */
  complete(order: { orderId: string; currency: string; paidMinor: number }, now: Timestamp): void;
}

export function rewardFor(paidMinor: number): number {
  return Math.max(1, Math.floor((paidMinor * REFERRAL_REWARD_PERCENT) / 100));
}

/** Reads whether this buyer's referral is still open (reads only: call before the transaction's writes); null when nothing is to be done. */
export async function readReferralConversion(tx: Transaction, db: Firestore, buyerUid: string): Promise<ReferralConversion | null> {
  const account = (await tx.get(accountRef(db, buyerUid))).data();
  if (!account?.referred_by || !account.referral_id) return null;
  const referrerId = account.referred_by;
  const ref = referralRef(db, referrerId, account.referral_id);
  const referral = (await tx.get(ref)).data();
  if (!referral || referral.status === REFERRAL_STATUS.completed) return null;
  const referralId = account.referral_id;
  return {
    complete(order, now) {
      const reward = rewardFor(order.paidMinor);
      txMerge(tx, ref, { status: REFERRAL_STATUS.completed, completed_at: now, reward_amount_minor: reward, currency: order.currency, reward_claimed: false });
      recordDomainEvent(tx, db, { type: 'referral_completed', userId: referrerId, subjectId: referralId, data: { order_id: order.orderId } }, now);
      notifyInbox(
        tx,
        db,
        referrerId,
        `referral-${referralId}-converted`,
        {
          type: 'referral_converted',
          title: 'Your referral made a first purchase',
          message: 'Thank you for spreading the word: your reward is ready to claim.',
          action_url: '/account/referrals',
          metadata: { referral_id: referralId, reward_minor: reward, currency: order.currency },
        },
        now,
      );
    },
  };
}
