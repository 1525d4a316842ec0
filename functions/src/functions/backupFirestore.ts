import { onSchedule } from 'firebase-functions/v2/scheduler';
import { runDailyBackup } from '../backups/run.js';
import { backupDeps } from './backups-config.js';
import { MAX_INSTANCES } from '../core/instances.js';

/** `backupFirestore`: at 02:00 UTC, export Firestore to the backup bucket and prune old exports (retried once on failure). */
export const backupFirestore = onSchedule(
  { schedule: '0 2 * * *', timeZone: 'Etc/UTC', maxInstances: MAX_INSTANCES.schedule, timeoutSeconds: 540, retryCount: 1 },
  async () => {
    await runDailyBackup(backupDeps());
  },
);
