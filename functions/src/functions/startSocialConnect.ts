import { startSocialConnect as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { startSocialConnect as handler } from '../social/connect.js';
import { socialDeps } from '../social/wiring.js';
import { SOCIAL_SECRETS, socialConfig } from './social-config.js';

/** `startSocialConnect`: the platform's OAuth page with a signed, single-use state. */
export const startSocialConnect = validatedOnCall(
  contract,
  handler,
  { cors: true, secrets: SOCIAL_SECRETS, timeoutSeconds: 30, rateLimit: { uid: { max: 20, per_seconds: 3600 } } },
  () => socialDeps(socialConfig),
);
