import { onSchedule } from 'firebase-functions/v2/scheduler';
import { defaultDeps } from '../core/deps.js';
import { sendReminders as handler } from '../messaging/reminders.js';
import { MAX_INSTANCES } from '../core/instances.js';

/** `sendReminders`: every 15 minutes, session reminders (24 h and 1 h before) and event reminders (24 h before). */
export const sendReminders = onSchedule(
  { schedule: 'every 15 minutes', timeZone: 'Etc/UTC', maxInstances: MAX_INSTANCES.schedule, timeoutSeconds: 300, retryCount: 0 },
  async () => {
    await handler(defaultDeps());
  },
);
