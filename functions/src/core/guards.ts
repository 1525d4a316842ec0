import { HttpsError } from 'firebase-functions/v2/https';
import type { AppRole } from '@zhengrowth/model';
import { hasRole, type Caller } from './context.js';

/** The caller, or unauthenticated: for callables that need a signed-in user. */
export function signedIn(caller: Caller | null, action = 'do this'): Caller {
  if (!caller) throw new HttpsError('unauthenticated', `sign in to ${action}`);
  return caller;
}

/** The caller if they hold the role; unauthenticated when signed out, permission-denied otherwise. */
export function withRole(caller: Caller | null, role: AppRole): Caller {
  const me = signedIn(caller, 'continue');
  if (!hasRole(me, role)) throw new HttpsError('permission-denied', `${role}s only`);
  return me;
}

/**
 * For what cannot be undone (deleting an account): the caller must have signed in within
 * `maxAgeMs` (the token's auth_time), as Firebase Auth asks before its own sensitive operations.
 */
export function recentlySignedIn(caller: Caller, now: Date, maxAgeMs: number): void {
  if (!caller.authTime || now.getTime() - caller.authTime.getTime() > maxAgeMs) {
    throw new HttpsError('failed-precondition', `sign in again to confirm (a sign-in within the last ${Math.round(maxAgeMs / 60_000)} minutes is required)`, {
      reason: 'requires-recent-login',
    });
  }
}
