import { logger } from 'firebase-functions/logger';
import { onSchedule } from 'firebase-functions/v2/scheduler';
import { runCalSync } from '../coaching/cal-sync.js';
import { calSyncDeps, CAL_SYNC_SECRETS } from './cal-config.js';
import { MAX_INSTANCES } from '../core/instances.js';

/** `syncCalEventTypesDaily`: every day at 03:15 UTC, Cal.com's event types into cal_event_types; a failure is recorded and told to the admins once. */
export const syncCalEventTypesDaily = onSchedule(
  { schedule: 'every day 03:15', timeZone: 'Etc/UTC', maxInstances: MAX_INSTANCES.schedule, secrets: CAL_SYNC_SECRETS, timeoutSeconds: 120, retryCount: 0 },
  async () => {
    const r = await runCalSync(calSyncDeps());
    if (r.ok) logger.info('Cal.com event types synced', { ...r.counts });
    else logger.warn('Cal.com event types not synced', { error: r.error.message, status: r.error.status });
  },
);
