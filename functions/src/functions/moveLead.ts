import { moveLead as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { defaultDeps } from '../core/deps.js';
import { moveLead as handler } from '../leads/pipeline.js';

/** `moveLead`: a lead's stage through the pipeline's allowed moves, each in the lead's history (staff). */
export const moveLead = validatedOnCall(contract, handler, { cors: true, timeoutSeconds: 30 }, defaultDeps);
