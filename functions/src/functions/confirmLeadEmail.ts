import { confirmLeadEmail as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { confirmLeadEmail as handler, CONFIRM_LEAD_LIMITS } from '../leads/confirm.js';
import { leadDeps, LEAD_SECRETS } from './leads-config.js';

/** `confirmLeadEmail`: the signed link of a lead's confirmation e-mail (double opt-in); the lead's funnels start (public, rate-limited). */
export const confirmLeadEmail = validatedOnCall(
  contract,
  handler,
  { cors: true, secrets: LEAD_SECRETS, timeoutSeconds: 30, rateLimit: CONFIRM_LEAD_LIMITS },
  leadDeps,
);
