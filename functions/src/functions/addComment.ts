import { addComment as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { accountLookupDeps } from '../core/accounts.js';
import { addComment as handler, COMMENT_LIMITS } from '../community/posts.js';

/** `addComment`: a comment or a reply (parent_id on the same post), through the posting limits and the ban and disabled checks. */
export const addComment = validatedOnCall(contract, handler, { cors: true, timeoutSeconds: 20, rateLimit: COMMENT_LIMITS }, accountLookupDeps);
