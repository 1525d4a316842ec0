/**
 * The `roles` custom claim follows users/{uid}.roles. Firebase Auth has no transactions, so a
 * writer that set the claim from a document another writer changed meanwhile would leave it stale:
 * after each write the document is read again, and the claim rewritten until both agree. Whoever
 * writes the claim last therefore also checks it last. Other claims are kept as they are.
 */
import { logger } from 'firebase-functions/logger';
import type { AccountDeps } from './deps.js';
import { isUserNotFound } from './deps.js';
import { userRef } from './profile.js';
import { claimRoles, sameRoles } from './roles.js';

const MAX_ROUNDS = 5;

/** Makes the roles claim equal users/{uid}.roles; true when it had to change it. No profile or no Auth user: nothing to do. */
export async function syncRolesClaim(deps: Pick<AccountDeps, 'db' | 'auth'>, uid: string): Promise<boolean> {
  let changed = false;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const doc = (await userRef(deps.db, uid).get()).data();
    if (!doc) return changed;
    let claims: Record<string, unknown>;
    try {
      claims = (await deps.auth.getUser(uid)).customClaims ?? {};
    } catch (err) {
      if (isUserNotFound(err)) return changed;
      throw err;
    }
    if (sameRoles(claimRoles(claims), doc.roles)) return changed;
    await deps.auth.setCustomUserClaims(uid, { ...claims, roles: doc.roles });
    changed = true;
  }
  logger.warn('roles claim still moving after several rounds', { uid, rounds: MAX_ROUNDS });
  return changed;
}
