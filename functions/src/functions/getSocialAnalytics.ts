import { getSocialAnalytics as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { defaultDeps } from '../core/deps.js';
import { getSocialAnalytics as handler } from '../social/analytics.js';

/** `getSocialAnalytics`: the caller's post metrics between from and to. */
export const getSocialAnalytics = validatedOnCall(contract, handler, { cors: true, timeoutSeconds: 30 }, defaultDeps);
