/**
 * Roles as users/{uid} holds them (`roles`, `role_grants`) and as the `roles` custom claim carries
 * them: always in APP_ROLES order without repeats, so that two lists can be compared as they are.
 */
import { randomUUID } from 'node:crypto';
import type { Timestamp } from 'firebase-admin/firestore';
import { APP_ROLES, appRole, type AppRole, type UserDoc } from '@zhengrowth/model';

export function normalizeRoles(roles: readonly unknown[]): AppRole[] {
  const valid = new Set(roles.flatMap((r) => (appRole.safeParse(r).success ? [r as AppRole] : [])));
  return APP_ROLES.filter((r) => valid.has(r));
}

/** The roles of a claim value: only a list is a roles claim (as for the rules' hasRole). */
export function claimRoles(claims: Record<string, unknown> | undefined): AppRole[] {
  const roles = claims?.roles;
  return Array.isArray(roles) ? normalizeRoles(roles) : [];
}

export function sameRoles(a: readonly AppRole[], b: readonly AppRole[]): boolean {
  const x = normalizeRoles(a);
  const y = normalizeRoles(b);
  return x.length === y.length && x.every((r, i) => r === y[i]);
}

/** role_grants for `roles`: a role kept keeps its grant (id, time), a new one gets a new grant, a dropped one loses it. */
export function grantsFor(roles: readonly AppRole[], existing: UserDoc['role_grants'], now: Timestamp): UserDoc['role_grants'] {
  const grants: UserDoc['role_grants'] = {};
  for (const r of roles) grants[r] = existing[r] ?? { id: randomUUID(), created_at: now };
  return grants;
}
