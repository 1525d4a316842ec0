import { listOrders as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { defaultDeps } from '../core/deps.js';
import { listOrders as handler } from '../checkout/orders.js';

/** `listOrders` (admins): orders newest first, optionally by status, paged. */
export const listOrders = validatedOnCall(contract, handler, { cors: true, timeoutSeconds: 30 }, defaultDeps);
