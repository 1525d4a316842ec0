import { HttpsError } from 'firebase-functions/v2/https';
import type { Caller } from './context.js';

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
