import { disconnectSocialAccount as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { disconnectSocialAccount as handler } from '../social/accounts.js';
import { socialDeps } from '../social/wiring.js';
import { SOCIAL_SECRETS, socialConfig } from './social-config.js';

/** `disconnectSocialAccount`: remove one of the caller's accounts, its tokens and its scheduled posts. */
export const disconnectSocialAccount = validatedOnCall(contract, handler, { cors: true, secrets: SOCIAL_SECRETS, timeoutSeconds: 30 }, () =>
  socialDeps(socialConfig),
);
