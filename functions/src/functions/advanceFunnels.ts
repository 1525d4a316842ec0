import { onSchedule } from 'firebase-functions/v2/scheduler';
import { defaultDeps } from '../core/deps.js';
import { advanceFunnels as handler } from '../funnels/advance.js';
import { MAX_INSTANCES } from '../core/instances.js';

/** `advanceFunnels`: every 10 minutes, the due stage of each funnel enrolment, each at most once. */
export const advanceFunnels = onSchedule(
  { schedule: 'every 10 minutes', timeZone: 'Etc/UTC', maxInstances: MAX_INSTANCES.schedule, timeoutSeconds: 540, retryCount: 0 },
  async () => {
    await handler(defaultDeps());
  },
);
