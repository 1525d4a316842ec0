/** The admins to tell of something (a failed backup, a dispute, a failing sync): read before the transaction that tells them. */
import type { Firestore } from 'firebase-admin/firestore';
import { usersWithRole } from '@zhengrowth/model';
import { buildQuery } from '../core/query.js';

export async function adminUids(db: Firestore): Promise<string[]> {
  return (await buildQuery(db, usersWithRole, ['admin']).limit(50).select().get()).docs.map((d) => d.id);
}
