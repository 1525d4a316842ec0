import { toggleLike as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { accountLookupDeps } from '../core/accounts.js';
import { toggleLike as handler } from '../community/likes.js';

/** `toggleLike`: like or unlike a post or comment; the counter moves in the same transaction. */
export const toggleLike = validatedOnCall(
  contract,
  handler,
  { cors: true, timeoutSeconds: 20, rateLimit: { uid: { max: 120, per_seconds: 60 } } },
  accountLookupDeps,
);
