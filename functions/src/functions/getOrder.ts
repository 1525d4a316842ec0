import { getOrder as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { defaultDeps } from '../core/deps.js';
import { getOrder as handler } from '../checkout/orders.js';

/** `getOrder`: the buyer's own order (admins: any order). */
export const getOrder = validatedOnCall(contract, handler, { cors: true, timeoutSeconds: 20 }, defaultDeps);
