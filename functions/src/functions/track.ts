import { track as contract } from '@zhengrowth/model';
import { track as handler, TRACK_LIMITS } from '../analytics/track.js';
import { validatedOnCall } from '../core/callable.js';
import { analyticsDeps } from './analytics-config.js';

/** `track`: batches of analytics events (public, App Check when enforced, limited per IP over sharded windows). */
export const track = validatedOnCall(contract, handler, { cors: true, timeoutSeconds: 30, rateLimit: TRACK_LIMITS }, analyticsDeps);
