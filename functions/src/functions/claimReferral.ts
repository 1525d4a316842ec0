import { claimReferral as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { accountLookupDeps } from '../core/accounts.js';
import { claimReferral as handler } from '../growth/referrals.js';

/** `claimReferral`: link the caller to a referrer's code, once, within 7 days of sign-up. Limited per user (codes are not to be guessed). */
export const claimReferral = validatedOnCall(
  contract,
  handler,
  { cors: true, timeoutSeconds: 20, rateLimit: { uid: { max: 10, per_seconds: 3600 } } },
  accountLookupDeps,
);
