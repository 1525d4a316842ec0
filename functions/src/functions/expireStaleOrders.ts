import { onSchedule } from 'firebase-functions/v2/scheduler';
import { expireStaleOrders as handler } from '../payments/expire.js';
import { paymentDeps } from '../payments/wiring.js';
import { fillFromWaitlist } from '../registrations/promote.js';
import { paymentConfig, PAYMENT_SECRETS } from './payments-config.js';
import { MAX_INSTANCES } from '../core/instances.js';

/**
 * `expireStaleOrders`: every 15 minutes, give back the seats and coupon uses of abandoned checkouts;
 * seats that come back go to the events' waitlists (a paid ticket gets a checkout link).
 */
export const expireStaleOrders = onSchedule(
  { schedule: 'every 15 minutes', timeZone: 'Etc/UTC', maxInstances: MAX_INSTANCES.schedule, timeoutSeconds: 300, retryCount: 0, secrets: PAYMENT_SECRETS },
  async () => {
    const deps = paymentDeps(paymentConfig);
    const report = await handler(deps);
    for (const eventId of report.freedEvents) await fillFromWaitlist(deps, eventId);
  },
);
