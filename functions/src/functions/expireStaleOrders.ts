import { onSchedule } from 'firebase-functions/v2/scheduler';
import { defaultDeps } from '../core/deps.js';
import { expireStaleOrders as handler } from '../payments/expire.js';

/** `expireStaleOrders`: every 15 minutes, give back the seats and coupon uses of abandoned checkouts. */
export const expireStaleOrders = onSchedule({ schedule: 'every 15 minutes', timeZone: 'Etc/UTC', timeoutSeconds: 300, retryCount: 0 }, async () => {
  await handler(defaultDeps());
});
