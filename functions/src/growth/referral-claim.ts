/**
 * Linking a referee to a referrer: one function for every path that links (the `claimReferral`
 * callable, and `ensureProfile` with the code given at sign-up), run inside the caller's
 * transaction. The rules, each checked on data read in that transaction:
 *   - the code exists; it is not the referee's own;
 *   - the referee has no referrer yet (a repeat of the same link is answered as done, not twice);
 *   - at most REFERRAL_CLAIM_DAYS after the referee signed up;
 *   - no loop: the referee is not among the referrer's own referrers (the chain is walked up;
 *     two people claiming each other's codes at once conflict on the documents both read, and
 *     the retried transaction sees the first link).
 * The link: referral_accounts/{referee}.referred_by, and users/{referrer}/referrals/{referee}
 * (status `signed_up`), completed by the referee's first paid order (referral-conversion.ts).
 */
import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { REFERRAL_CLAIM_DAYS, REFERRAL_STATUS, referrals } from '@zhengrowth/model';
import { txCreate } from '../core/firestore.js';
import { accountRef, codeRef, readAccount } from './referral-codes.js';

export interface ReferralClaimInput {
  refereeUid: string;
  /** The referee's e-mail (users/{referrer}/referrals keeps it, as zg_referrals.referee_email). */
  refereeEmail: string | null;
  /** As typed: trimmed and upper-cased here. */
  code: string;
  /** When the referee's account was made (Firebase Auth's creation time). */
  signedUpAt: Date;
  now: Date;
}

export type ReferralRefusal = 'unknown_code' | 'own_code' | 'already_referred' | 'too_late' | 'loop';

export type ReferralClaimResult = { ok: true; referrerId: string; referralId: string; already: boolean } | { ok: false; reason: ReferralRefusal };

export interface ReferralClaimPlan {
  result: ReferralClaimResult;
  /** The link's writes (nothing for a refusal or a repeat). A write of the caller's transaction. */
  write(): void;
}

/** Up to this many referrers up the chain are checked for a loop (the chain is a path: one referrer each). */
const MAX_CHAIN = 50;

export const referralRef = (db: Firestore, referrerId: string, referralId: string) =>
  db.doc(referrals.docPath({ uid: referrerId, referralId })).withConverter(referrals.converter);

const refuse = (reason: ReferralRefusal): ReferralClaimPlan => ({ result: { ok: false, reason }, write: () => undefined });

/** The reads and the decision; `write()` then links. For callers that have reads of their own to finish first. */
export async function planReferralClaim(tx: Transaction, db: Firestore, input: ReferralClaimInput): Promise<ReferralClaimPlan> {
  const code = input.code.trim().toUpperCase();
  const owner = code ? (await tx.get(codeRef(db, code))).data() : undefined;
  if (!owner) return refuse('unknown_code');
  const referrerId = owner.user_id;
  if (referrerId === input.refereeUid) return refuse('own_code');
  const referee = await readAccount(tx, db, input.refereeUid, input.now);
  if (referee.account.referred_by) {
    if (referee.account.referred_by !== referrerId) return refuse('already_referred');
    return { result: { ok: true, referrerId, referralId: referee.account.referral_id ?? input.refereeUid, already: true }, write: () => undefined };
  }
  if (input.now.getTime() - input.signedUpAt.getTime() > REFERRAL_CLAIM_DAYS * 86_400_000) return refuse('too_late');
  let up: string | null = referrerId;
  for (let hops = 0; up && hops < MAX_CHAIN; hops++) {
    up = (await tx.get(accountRef(db, up))).data()?.referred_by ?? null;
    if (up === input.refereeUid) return refuse('loop');
  }
  const referralId = input.refereeUid;
  const now = Timestamp.fromDate(input.now);
  return {
    result: { ok: true, referrerId, referralId, already: false },
    write: () => {
      referee.write({ referred_by: referrerId, referral_id: referralId, linked_at: now });
      txCreate(tx, referralRef(db, referrerId, referralId), {
        referrer_id: referrerId,
        referee_email: input.refereeEmail ?? '',
        referee_id: input.refereeUid,
        status: REFERRAL_STATUS.linked,
        reward_amount_minor: null,
        currency: null,
        reward_claimed: false,
        created_at: now,
        completed_at: null,
      });
    },
  };
}

/** Plans and writes the link in the caller's transaction; a refusal writes nothing and says why. */
export async function claimReferralCode(tx: Transaction, db: Firestore, input: ReferralClaimInput): Promise<ReferralClaimResult> {
  const plan = await planReferralClaim(tx, db, input);
  plan.write();
  return plan.result;
}
