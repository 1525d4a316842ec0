/** Parameters of the daily Firestore backup, declared once (docs/commerce.md, "Backups"). */
import { defineString } from 'firebase-functions/params';
import { bucket as storageBucket, projectId } from '../core/app.js';
import { defaultDeps } from '../core/deps.js';
import { firestoreExporter } from '../backups/exporter.js';
import type { BackupDeps } from '../backups/run.js';

export const BACKUP_BUCKET = defineString('BACKUP_BUCKET', {
  default: '',
  description:
    'Cloud Storage bucket of the daily Firestore exports (firestore-exports/{YYYY-MM-DD}/); the service account needs the Cloud Datastore Import Export Admin role and write access to it',
});
export const BACKUP_RETENTION_DAYS = defineString('BACKUP_RETENTION_DAYS', {
  default: '30',
  description: 'Days of daily exports kept (older export folders are deleted after a successful start). 1 to 3650.',
});
export const FIRESTORE_ADMIN_API_BASE = defineString('FIRESTORE_ADMIN_API_BASE', {
  default: '',
  description: "Firestore Admin API origin (empty: Google's; a local stand-in in tests)",
});

export function backupDeps(): BackupDeps {
  const bucket = BACKUP_BUCKET.value().trim();
  if (!bucket) throw new Error('BACKUP_BUCKET is not set: the daily Firestore export has nowhere to go');
  const days = Number(BACKUP_RETENTION_DAYS.value());
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new Error('BACKUP_RETENTION_DAYS must be a whole number of days from 1 to 3650');
  return {
    ...defaultDeps(),
    exporter: firestoreExporter({ projectId: projectId(), apiBase: FIRESTORE_ADMIN_API_BASE.value() }),
    bucket: storageBucket(bucket),
    retentionDays: days,
  };
}
