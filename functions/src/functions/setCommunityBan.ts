import { setCommunityBan as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { accountLookupDeps } from '../core/accounts.js';
import { setCommunityBan as handler } from '../community/bans.js';

/** `setCommunityBan`: staff ban a member from writing in the community, or lift the ban. */
export const setCommunityBan = validatedOnCall(contract, handler, { cors: true, timeoutSeconds: 20 }, accountLookupDeps);
