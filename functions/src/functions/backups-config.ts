/** The daily Firestore backup's dependencies, from its params (core/params.ts; docs/commerce.md, "Backups"). */
import { BACKUP_BUCKET, BACKUP_RETENTION_DAYS, boundedParam, FIRESTORE_ADMIN_API_BASE, RETENTION_DAYS } from '../core/params.js';
import { bucket as storageBucket, projectId } from '../core/app.js';
import { defaultDeps } from '../core/deps.js';
import { firestoreExporter } from '../backups/exporter.js';
import type { BackupDeps } from '../backups/run.js';

export function backupDeps(): BackupDeps {
  const bucket = BACKUP_BUCKET.value().trim();
  if (!bucket) throw new Error('BACKUP_BUCKET is not set: the daily Firestore export has nowhere to go');
  const days = boundedParam(BACKUP_RETENTION_DAYS, RETENTION_DAYS);
  return {
    ...defaultDeps(),
    exporter: firestoreExporter({ projectId: projectId(), apiBase: FIRESTORE_ADMIN_API_BASE.value() }),
    bucket: storageBucket(bucket),
    retentionDays: days,
  };
}
