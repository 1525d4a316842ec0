import { submitLead as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { submitLead as handler, SUBMIT_LEAD_LIMITS } from '../leads/submit.js';
import { leadDeps, LEAD_SECRETS } from './leads-config.js';

/** `submitLead`: a public lead form, folded into the one lead of its e-mail; an unconfirmed address is asked to confirm (public, App Check when enforced, limited per IP and address). */
export const submitLead = validatedOnCall(
  contract,
  handler,
  { cors: true, secrets: LEAD_SECRETS, timeoutSeconds: 30, rateLimit: SUBMIT_LEAD_LIMITS },
  leadDeps,
);
