import { onSchedule } from 'firebase-functions/v2/scheduler';
import { runAnalyticsDaily } from '../analytics/rollup.js';
import { analyticsDeps } from './analytics-config.js';
import { MAX_INSTANCES } from '../core/instances.js';

/** `analyticsDaily`: at 00:30 UTC, yesterday's rollup (and any missing of the week), then retention deletes. */
export const analyticsDaily = onSchedule(
  { schedule: '30 0 * * *', timeZone: 'Etc/UTC', maxInstances: MAX_INSTANCES.schedule, timeoutSeconds: 540, memory: '1GiB', retryCount: 1 },
  async () => {
    await runAnalyticsDaily(analyticsDeps());
  },
);
