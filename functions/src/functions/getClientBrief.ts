import { getClientBrief as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { getClientBrief as handler } from '../ai/brief.js';
import { aiDeps } from '../ai/wiring.js';
import { AI_CALLABLE_OPTIONS, aiConfig } from './ai-config.js';

/** `getClientBrief`: a coach's brief on one of their own clients. */
export const getClientBrief = validatedOnCall(contract, handler, { ...AI_CALLABLE_OPTIONS, rateLimit: { uid: { max: 30, per_seconds: 600 } } }, () =>
  aiDeps(aiConfig),
);
