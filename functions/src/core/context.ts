import { appRole, type AppRole } from '@zhengrowth/model';
import { z } from 'zod';

/** Who is calling: the verified Firebase Auth uid, the token's e-mail, and the roles of its `roles` custom claim. */
export interface Caller {
  uid: string;
  /** The token's e-mail (Firebase Auth keeps it lower-case), verified or not: see `emailVerified`. */
  email: string | undefined;
  emailVerified: boolean;
  roles: AppRole[];
  /** When the user last signed in (the token's auth_time), for actions that need a fresh sign-in. */
  authTime: Date | undefined;
  /** How this session signed in (the token's firebase.sign_in_provider: 'password', 'google.com', 'custom'…). */
  signInProvider?: string | undefined;
}

/** Only a list is a roles claim (the rules' hasRole agrees): anything else is no roles. */
const rolesClaim = z.array(z.unknown()).catch([]);

export function callerFrom(auth: { uid: string; token: Record<string, unknown> } | undefined): Caller | null {
  if (!auth) return null;
  const roles = rolesClaim.parse(auth.token.roles).flatMap((r) => {
    const p = appRole.safeParse(r);
    return p.success ? [p.data] : [];
  });
  const email = typeof auth.token.email === 'string' ? auth.token.email : undefined;
  const authTime = typeof auth.token.auth_time === 'number' ? new Date(auth.token.auth_time * 1000) : undefined;
  const firebase = auth.token.firebase as { sign_in_provider?: unknown } | undefined;
  const signInProvider = typeof firebase?.sign_in_provider === 'string' ? firebase.sign_in_provider : undefined;
  return { uid: auth.uid, email, emailVerified: auth.token.email_verified === true, roles, authTime, signInProvider };
}

export function hasRole(caller: Caller | null, role: AppRole): boolean {
  return caller?.roles.includes(role) ?? false;
}

/** The caller's e-mail if Firebase Auth has verified it; records matched by e-mail take only this one. */
export function verifiedEmail(caller: Caller | null): string | undefined {
  return caller?.emailVerified ? caller.email : undefined;
}
