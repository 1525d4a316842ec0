/**
 * deleteMyAccount and deleteUser: both need a sign-in within the last 5 minutes (of the user, of
 * the admin), then run the same deletion as the Auth onDelete trigger (./run.ts). Asking again for
 * an account already deleted answers as the first time did.
 */
import { HttpsError } from 'firebase-functions/v2/https';
import { accountDeletions, type deleteMyAccount, type deleteUser } from '@zhengrowth/model';
import type { CallableHandler } from '../../core/callable.js';
import { verifiedEmail } from '../../core/context.js';
import { recentlySignedIn } from '../../core/guards.js';
import { isUserNotFound } from '../deps.js';
import { userRef } from '../profile.js';
import { runDeletion, verifiedEmailOf, type DeletionDeps } from './run.js';

export const RECENT_SIGN_IN_MS = 5 * 60_000;

export const deleteMyAccountHandler: CallableHandler<typeof deleteMyAccount, DeletionDeps> = async (_input, me, deps) => {
  recentlySignedIn(me, deps.now(), RECENT_SIGN_IN_MS);
  const email = verifiedEmail(me)?.toLowerCase() ?? (await verifiedEmailOf(deps, me.uid));
  const done = await runDeletion(deps, me.uid, { reason: 'self', requestedBy: me.uid, verifiedEmail: email, keepLastAdmin: true });
  return { uid: me.uid, status: 'deleted', tombstone_id: done.tombstone_id };
};

/** Whether anything of the account is left to delete or was deleted: an Auth user, a profile, a deletion record. */
async function known(deps: DeletionDeps, uid: string): Promise<boolean> {
  const [authUser, profile, record] = await Promise.all([
    deps.auth.getUser(uid).then(
      () => true,
      (err: unknown) => {
        if (isUserNotFound(err)) return false;
        throw err;
      },
    ),
    userRef(deps.db, uid).get(),
    deps.db.doc(accountDeletions.docPath({ uid })).get(),
  ]);
  return authUser || profile.exists || record.exists;
}

export const deleteUserHandler: CallableHandler<typeof deleteUser, DeletionDeps> = async (input, admin, deps) => {
  recentlySignedIn(admin, deps.now(), RECENT_SIGN_IN_MS);
  if (!(await known(deps, input.uid))) throw new HttpsError('not-found', `no user ${input.uid}`);
  const email = await verifiedEmailOf(deps, input.uid);
  const done = await runDeletion(deps, input.uid, { reason: 'admin', requestedBy: admin.uid, verifiedEmail: email, keepLastAdmin: true });
  return { uid: input.uid, status: 'deleted', tombstone_id: done.tombstone_id };
};
