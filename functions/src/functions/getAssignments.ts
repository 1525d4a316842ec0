import { getAssignments as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { getAssignments as handler } from '../growth/experiments.js';
import { analyticsDeps } from './analytics-config.js';

/** `getAssignments`: sticky experiment variants for a user or an anonymous visitor (public, limited per IP). */
export const getAssignments = validatedOnCall(
  contract,
  handler,
  { cors: true, timeoutSeconds: 20, rateLimit: { ip: { max: 120, per_seconds: 60 } } },
  analyticsDeps,
);
