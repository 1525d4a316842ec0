import { addLead as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { addLead as handler } from '../leads/add.js';
import { leadDeps, LEAD_SECRETS } from './leads-config.js';

/** `addLead`: a lead entered by hand, folded like a public form, with who entered it in its history (staff). */
export const addLead = validatedOnCall(contract, handler, { cors: true, secrets: LEAD_SECRETS, timeoutSeconds: 30 }, leadDeps);
