import { onSchedule } from 'firebase-functions/v2/scheduler';
import { defaultDeps } from '../core/deps.js';
import { expireInboxItems as handler } from '../messaging/inbox.js';
import { MAX_INSTANCES } from '../core/instances.js';

/** `expireInboxItems`: daily, delete inbox items past their expires_at (production's TTL policy does it too, less promptly). */
export const expireInboxItems = onSchedule(
  { schedule: 'every day 03:30', timeZone: 'Etc/UTC', maxInstances: MAX_INSTANCES.schedule, timeoutSeconds: 540, retryCount: 0 },
  async () => {
    await handler(defaultDeps());
  },
);
