/**
 * setUserRoles (admins): the roles of an account in all three places at once — users/{uid}.roles
 * and role_grants with an audit entry in one transaction, then the roles claim, then the refresh
 * tokens revoked so that the user's apps must sign in again and get the new claim. A call that
 * changes nothing records nothing (a retried call adds no audit entry) but still checks the claim.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import type { UserRecord } from 'firebase-admin/auth';
import type { setUserRoles as contract } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { txSet, runTx } from '../core/firestore.js';
import { assertAnotherAdmin } from './admins.js';
import { recordAudit } from './audit.js';
import { syncRolesClaim } from './claims.js';
import { isUserNotFound, type AccountDeps } from './deps.js';
import { createProfileOnce, factsOf, userRef } from './profile.js';
import { grantsFor, normalizeRoles, sameRoles } from './roles.js';

/** The Auth user, or not-found (nothing written). */
export async function existingUser(deps: AccountDeps, uid: string): Promise<UserRecord> {
  try {
    return await deps.auth.getUser(uid);
  } catch (err) {
    if (isUserNotFound(err)) throw new HttpsError('not-found', `no user ${uid}`);
    throw err;
  }
}

export const setUserRolesHandler: CallableHandler<typeof contract, AccountDeps> = async (input, admin, deps) => {
  const roles = normalizeRoles(input.roles);
  const record = await existingUser(deps, input.uid);
  // An account whose sign-up trigger has not run yet gets its profile first.
  const ref = userRef(deps.db, input.uid);
  if (!(await ref.get()).exists) await createProfileOnce(deps, factsOf(record), {}, 'set_user_roles');
  const now = Timestamp.fromDate(deps.now());
  const { before, changed } = await runTx(deps.db, async (tx) => {
    const doc = (await tx.get(ref)).data();
    if (!doc) throw new HttpsError('not-found', `no profile for ${input.uid} (its deletion has begun)`);
    if (sameRoles(doc.roles, roles)) return { before: doc.roles, changed: false };
    if (doc.roles.includes('admin') && !roles.includes('admin')) await assertAnotherAdmin(tx, deps.db, input.uid);
    txSet(tx, ref, { ...doc, roles, role_grants: grantsFor(roles, doc.role_grants, now), updated_at: now });
    recordAudit(tx, deps.db, { action: 'set_roles', actor: admin.uid, subject: input.uid, before: doc.roles, after: roles }, now);
    return { before: doc.roles, changed: true };
  });
  const claimChanged = await syncRolesClaim(deps, input.uid);
  if (changed || claimChanged) await deps.auth.revokeRefreshTokens(input.uid);
  return { uid: input.uid, roles, before, changed };
};
