import { generateSocialDrafts as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { generateSocialDrafts as handler } from '../ai/drafts.js';
import { aiDeps } from '../ai/wiring.js';
import { AI_CALLABLE_OPTIONS, aiConfig } from './ai-config.js';

/** `generateSocialDrafts`: (admins) a published blog post as drafts per platform, never published. */
export const generateSocialDrafts = validatedOnCall(contract, handler, { ...AI_CALLABLE_OPTIONS, rateLimit: { uid: { max: 30, per_seconds: 600 } } }, () =>
  aiDeps(aiConfig),
);
