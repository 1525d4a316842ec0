import { completeSocialConnect as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { completeSocialConnect as handler } from '../social/complete.js';
import { socialDeps } from '../social/wiring.js';
import { SOCIAL_SECRETS, socialConfig } from './social-config.js';

/** `completeSocialConnect`: attaches a granted account to the user who started the connect, and to nobody else. */
export const completeSocialConnect = validatedOnCall(
  contract,
  handler,
  { cors: true, secrets: SOCIAL_SECRETS, timeoutSeconds: 30, rateLimit: { uid: { max: 20, per_seconds: 3600 } } },
  () => socialDeps(socialConfig),
);
