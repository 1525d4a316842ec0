import { createPost as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { accountLookupDeps } from '../core/accounts.js';
import { createPost as handler, POST_LIMITS } from '../community/posts.js';

/** `createPost`: a member's community post, through the posting limits and the ban and disabled checks. */
export const createPost = validatedOnCall(contract, handler, { cors: true, timeoutSeconds: 20, rateLimit: POST_LIMITS }, accountLookupDeps);
