import { markInboxRead as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { defaultDeps } from '../core/deps.js';
import { markRead } from '../messaging/inbox.js';

/** `markInboxRead`: marks the caller's inbox items read (ids, or all). */
export const markInboxRead = validatedOnCall(contract, markRead, { cors: true, timeoutSeconds: 60 }, defaultDeps);
