import { getMyReferralCode as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { accountLookupDeps } from '../core/accounts.js';
import { getMyReferralCode as handler } from '../growth/referrals.js';

/** `getMyReferralCode`: the caller's referral code (made once, on first use if sign-up did not). */
export const getMyReferralCode = validatedOnCall(contract, handler, { cors: true, timeoutSeconds: 20 }, accountLookupDeps);
