/**
 * The v1 Auth triggers (there is no v2 equivalent without Identity Platform): a new account gets
 * its profile, a deleted one (the Firebase console, the Admin SDK, deleteMyAccount's own last step)
 * the account deletion. Both are idempotent under Firebase's at-least-once delivery.
 */
import type { UserRecord } from 'firebase-admin/auth';
import { syncRolesClaim } from './claims.js';
import type { AccountDeps } from './deps.js';
import { runDeletion, type DeletionDeps } from './deletion/run.js';
import { createProfileOnce, factsOf } from './profile.js';

/** The profile of a new account, unless ensureProfile made it first; its creator sets the roles claim. */
export async function onAuthUserCreated(user: UserRecord, deps: AccountDeps): Promise<void> {
  if (await createProfileOnce(deps, factsOf(user), {}, 'auth_trigger')) await syncRolesClaim(deps, user.uid);
}

/** An Auth user is gone: delete the rest of the account (nothing to do when the deletion is done already). */
export async function onAuthUserDeleted(user: UserRecord, deps: DeletionDeps): Promise<void> {
  const email = user.emailVerified && user.email ? user.email.toLowerCase() : null;
  await runDeletion(deps, user.uid, { reason: 'auth_deleted', requestedBy: null, verifiedEmail: email, keepLastAdmin: false });
}
