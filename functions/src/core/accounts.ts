/**
 * What the functions ask Firebase Auth about a user (disabled, when they signed up, their e-mail),
 * behind a small gateway so handlers stay plain functions over deps.
 */
import type { Auth } from 'firebase-admin/auth';
import { auth as defaultAuth } from './app.js';
import { defaultDeps, type Deps } from './deps.js';

export interface AccountInfo {
  disabled: boolean;
  createdAt: Date;
  email: string | undefined;
}

export interface AccountsGateway {
  /** The Auth user, or null when there is none (deleted). */
  get(uid: string): Promise<AccountInfo | null>;
}

export function authAccounts(auth: Auth = defaultAuth()): AccountsGateway {
  return {
    async get(uid) {
      try {
        const u = await auth.getUser(uid);
        return { disabled: u.disabled, createdAt: new Date(u.metadata.creationTime), email: u.email };
      } catch (err) {
        if ((err as { code?: string }).code === 'auth/user-not-found') return null;
        throw err;
      }
    },
  };
}

/**
 * Handler deps for callables that only ask Auth about a user (disabled? signed up when?): community,
 * referrals, badges. The accounts domain, which also changes Auth users, has its own (accounts/deps.ts).
 */
export interface AccountLookupDeps extends Deps {
  accounts: AccountsGateway;
}

export function accountLookupDeps(): AccountLookupDeps {
  return { ...defaultDeps(), accounts: authAccounts() };
}
