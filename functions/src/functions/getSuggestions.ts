import { getSuggestions as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { getSuggestions as handler } from '../ai/suggestions.js';
import { aiDeps } from '../ai/wiring.js';
import { AI_CALLABLE_OPTIONS, aiConfig } from './ai-config.js';

/** `getSuggestions`: the caller's own data in, suggestions in their language out (cached; stale or unavailable when the model fails). */
export const getSuggestions = validatedOnCall(contract, handler, { ...AI_CALLABLE_OPTIONS, rateLimit: { uid: { max: 30, per_seconds: 600 } } }, () =>
  aiDeps(aiConfig),
);
