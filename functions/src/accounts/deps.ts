import type { Auth } from 'firebase-admin/auth';
import { auth } from '../core/app.js';
import { defaultDeps, type Deps } from '../core/deps.js';

/** The accounts functions also manage Firebase Auth users (claims, links, deletion). */
export interface AccountDeps extends Deps {
  auth: Auth;
}

export function accountDeps(): AccountDeps {
  return { ...defaultDeps(), auth: auth() };
}

/** Firebase Auth's "no such user" (getUser, getUserByEmail, deleteUser…). */
export function isUserNotFound(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'auth/user-not-found';
}
