/** Admins hear of a failed backup in their inbox (one item per day and admin, whatever retried). */
import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { notifyInbox } from '../shared/outbox.js';

export function alertBackupFailed(tx: Transaction, db: Firestore, admins: readonly string[], day: string, reason: string, now: Timestamp): void {
  for (const uid of admins) {
    notifyInbox(
      tx,
      db,
      uid,
      `backup-failed-${day}`,
      {
        type: 'system',
        title: `Firestore backup of ${day} failed`,
        message: `The daily export did not complete: ${reason.slice(0, 500)}. Check the backupFirestore logs; the next run tries again.`,
        metadata: { day },
        expires_at: Timestamp.fromMillis(now.toMillis() + 30 * 86_400_000),
      },
      now,
    );
  }
}
