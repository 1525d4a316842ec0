/** Admins hear of a failed backup in their inbox (one item per day and admin, whatever retried). */
import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { usersWithRole } from '@zhengrowth/model';
import { buildQuery } from '../core/query.js';
import { notifyInbox } from '../shared/outbox.js';

/** The admins to tell, read before the transaction that records the failure. */
export async function adminUids(db: Firestore): Promise<string[]> {
  return (await buildQuery(db, usersWithRole, ['admin']).limit(50).select().get()).docs.map((d) => d.id);
}

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
