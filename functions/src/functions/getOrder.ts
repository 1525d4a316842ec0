import { validatedOnCall } from '../core/callable.js';
import { getOrder as handler, getOrderInput } from '../checkout/orders.js';

/** `getOrder`: the buyer's own order (admins: any order). */
export const getOrder = validatedOnCall('getOrder', getOrderInput, handler, { cors: true, timeoutSeconds: 20 });
