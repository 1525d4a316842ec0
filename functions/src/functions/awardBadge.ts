import { awardBadge as contract } from '@zhengrowth/model';
import { awardBadge as handler } from '../badges/award.js';
import { validatedOnCall } from '../core/callable.js';
import { accountLookupDeps } from '../core/accounts.js';

/** `awardBadge`: an admin awards a badge by hand, exactly once per user and badge. */
export const awardBadge = validatedOnCall(contract, handler, { cors: true, timeoutSeconds: 20 }, accountLookupDeps);
