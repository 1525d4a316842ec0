/**
 * Who may call what: a contract's `access` (public, signed-in, staff, admin) enforced by the
 * callable frame before the input is read. Handlers receive a caller their contract admits and
 * check only ownership (my order, my client).
 */
import { HttpsError } from 'firebase-functions/v2/https';
import type { CallableAccess, CallableContract } from '@zhengrowth/model';
import { hasRole, type Caller } from './context.js';

/** The caller a handler of contract C receives: null only when C is public. */
export type CallerOf<C extends CallableContract> = C['access'] extends 'public' ? Caller | null : Caller;

/** Coaches and admins: the people who run the business. */
export function isStaff(caller: Caller | null): boolean {
  return hasRole(caller, 'coach') || hasRole(caller, 'admin');
}

const REFUSAL: Record<Exclude<CallableAccess, 'public' | 'signed-in'>, string> = {
  staff: 'coaches and admins only',
  admin: 'admins only',
};

/** The caller if the access admits them; unauthenticated when signed out, permission-denied without the role. */
export function authorize<C extends CallableContract>(contract: C, caller: Caller | null): CallerOf<C> {
  const access: CallableAccess = contract.access;
  if (access === 'public') return caller as CallerOf<C>;
  if (!caller) throw new HttpsError('unauthenticated', `sign in to use ${contract.name}`);
  if (access === 'staff' && !isStaff(caller)) throw new HttpsError('permission-denied', REFUSAL.staff);
  if (access === 'admin' && !hasRole(caller, 'admin')) throw new HttpsError('permission-denied', REFUSAL.admin);
  return caller;
}
