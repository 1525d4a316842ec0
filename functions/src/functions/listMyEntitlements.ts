import { listMyEntitlements as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { defaultDeps } from '../core/deps.js';
import { listMyEntitlements as handler } from '../entitlements/list.js';

/** `listMyEntitlements`: the caller's entitlements (session credits left, lesson access, until when). */
export const listMyEntitlements = validatedOnCall(contract, handler, { cors: true, timeoutSeconds: 20 }, defaultDeps);
