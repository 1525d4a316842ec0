import type { Firestore, Timestamp, Transaction } from 'firebase-admin/firestore';
import { auditLog, type AuditEntryDoc, type JsonValue } from '@zhengrowth/model';
import { txSet } from '../core/firestore.js';

/** Records an admin's (or the system's) action on an account, in the transaction that makes the change. */
export function recordAudit(
  tx: Transaction,
  db: Firestore,
  entry: { action: AuditEntryDoc['action']; actor: string | null; subject: string; before: JsonValue; after: JsonValue },
  now: Timestamp,
): void {
  const ref = db.collection(auditLog.collectionPath({})).withConverter(auditLog.converter).doc();
  txSet(tx, ref, { action: entry.action, actor_uid: entry.actor, subject_uid: entry.subject, at: now, before: entry.before, after: entry.after });
}
