import { cancelSocialPost as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { cancelSocialPost as handler } from '../social/posts.js';
import { socialDeps } from '../social/wiring.js';
import { SOCIAL_SECRETS, socialConfig } from './social-config.js';

/** `cancelSocialPost`: cancel one of the caller's scheduled posts until the publisher takes it. */
export const cancelSocialPost = validatedOnCall(contract, handler, { cors: true, secrets: SOCIAL_SECRETS, timeoutSeconds: 30 }, () => socialDeps(socialConfig));
