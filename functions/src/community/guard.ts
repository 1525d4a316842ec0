/**
 * Who may write in the community. "Banned" lives in community_bans/{uid} (staff set it with
 * `setCommunityBan`): a Firestore document, so that the rules (edits) and the callables (new posts
 * and comments, read in their transaction) see a ban at once, without waiting for a token refresh,
 * and without a custom claim that other code (role changes) would overwrite. "Disabled" is Firebase
 * Auth's own flag (an admin disabled the account): checked with Auth on every new post or comment,
 * because the caller's ID token stays valid for up to an hour after the account is disabled.
 */
import { HttpsError } from 'firebase-functions/v2/https';
import type { Firestore, Transaction } from 'firebase-admin/firestore';
import type { Caller } from '../core/context.js';
import type { CommunityDeps } from './deps.js';
import { banRef } from './refs.js';

export async function assertAccountActive(deps: CommunityDeps, caller: Caller): Promise<void> {
  const account = await deps.accounts.get(caller.uid);
  if (!account || account.disabled) throw new HttpsError('permission-denied', 'this account is disabled');
}

/** A read of the caller's transaction: call it before any write. */
export async function assertNotBanned(tx: Transaction, db: Firestore, uid: string): Promise<void> {
  if ((await tx.get(banRef(db, uid))).exists) throw new HttpsError('permission-denied', 'you are banned from posting in the community');
}
