import { scheduleSocialPost as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { scheduleSocialPost as handler } from '../social/posts.js';
import { socialDeps } from '../social/wiring.js';
import { SOCIAL_SECRETS, socialConfig } from './social-config.js';

/** `scheduleSocialPost`: schedule or reschedule one of the caller's posts until the publisher takes it. */
export const scheduleSocialPost = validatedOnCall(contract, handler, { cors: true, secrets: SOCIAL_SECRETS, timeoutSeconds: 30 }, () =>
  socialDeps(socialConfig),
);
