import { claimReferralReward as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { accountLookupDeps } from '../core/accounts.js';
import { claimReferralReward as handler } from '../growth/referrals.js';

/** `claimReferralReward`: a converted referral's reward as a single-use coupon, exactly once. */
export const claimReferralReward = validatedOnCall(contract, handler, { cors: true, timeoutSeconds: 20 }, accountLookupDeps);
