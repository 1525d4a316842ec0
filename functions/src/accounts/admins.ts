import type { Firestore, Transaction } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { usersWithRole } from '@zhengrowth/model';
import { buildQuery } from '../core/query.js';

/**
 * Refuses a change that would leave no admin: `uid` is losing the role (or the account). Read in
 * the caller's transaction, so two admins demoting each other at once cannot both succeed.
 */
export async function assertAnotherAdmin(tx: Transaction, db: Firestore, uid: string): Promise<void> {
  const admins = await tx.get(buildQuery(db, usersWithRole, ['admin']).limit(2));
  if (!admins.docs.some((d) => d.id !== uid)) throw new HttpsError('failed-precondition', 'this is the last admin: make someone else an admin first');
}
