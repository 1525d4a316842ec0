import { validatedOnCall } from '../core/callable.js';
import { listOrders as handler, listOrdersInput } from '../checkout/orders.js';

/** `listOrders` (admins): orders newest first, optionally by status, paged. */
export const listOrders = validatedOnCall('listOrders', listOrdersInput, handler, { cors: true, timeoutSeconds: 30 });
