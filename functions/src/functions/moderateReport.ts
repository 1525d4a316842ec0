import { moderateReport as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { accountLookupDeps } from '../core/accounts.js';
import { moderateReport as handler } from '../community/moderation.js';

/** `moderateReport`: coaches and admins decide a report (dismiss, hide, delete, warn) in one transaction. */
export const moderateReport = validatedOnCall(contract, handler, { cors: true, timeoutSeconds: 30 }, accountLookupDeps);
