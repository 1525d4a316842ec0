import { appRole, type AppRole } from '@zhengrowth/model';
import { z } from 'zod';

/** Who is calling: the verified Firebase Auth uid and the roles of its `roles` custom claim. */
export interface Caller {
  uid: string;
  email: string | undefined;
  roles: AppRole[];
}

const rolesClaim = z.array(z.unknown()).catch([]);

export function callerFrom(auth: { uid: string; token: Record<string, unknown> } | undefined): Caller | null {
  if (!auth) return null;
  const roles = rolesClaim.parse(auth.token.roles).flatMap((r) => {
    const p = appRole.safeParse(r);
    return p.success ? [p.data] : [];
  });
  const email = typeof auth.token.email === 'string' ? auth.token.email : undefined;
  return { uid: auth.uid, email, roles };
}

export function hasRole(caller: Caller | null, role: AppRole): boolean {
  return caller?.roles.includes(role) ?? false;
}
