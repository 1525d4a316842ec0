import { submitLead as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { defaultDeps } from '../core/deps.js';
import { submitLead as handler, SUBMIT_LEAD_LIMITS } from '../leads/submit.js';

/** `submitLead`: a public lead form, folded into the one lead of its e-mail (public, App Check when enforced, limited per IP). */
export const submitLead = validatedOnCall(contract, handler, { cors: true, timeoutSeconds: 30, rateLimit: SUBMIT_LEAD_LIMITS }, defaultDeps);
