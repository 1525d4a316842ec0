import bcrypt from 'bcryptjs';

/**
 * Demo passwords and their bcrypt hashes as Supabase stores them ("$2a$10$…"). Hashing a
 * thousand users at cost 10 would take minutes, so a handful of hashes is computed once and shared;
 * fixed salts keep them (and so every auth.users row) reproducible.
 */
export interface DemoPassword {
  password: string;
  hash: string;
}

/** The accounts a developer signs in with; the rest of the users share the generic passwords. */
export const DEMO_ACCOUNTS = [
  { email: 'admin@zhengrowth.demo', password: 'demo-admin-password', roles: ['admin', 'coach'] },
  { email: 'coach@zhengrowth.demo', password: 'demo-coach-password', roles: ['coach'] },
  { email: 'client@zhengrowth.demo', password: 'demo-client-password', roles: ['client'] },
] as const;

const GENERIC_PASSWORDS = ['zhengrowth-demo-1', 'zhengrowth-demo-2', 'zhengrowth-demo-3'];

// bcrypt's own base64 alphabet; 22 characters carry the 128-bit salt.
const SALT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function fixedSalt(index: number): string {
  let body = '';
  for (let i = 0; i < 22; i++) body += SALT_ALPHABET[(index * 7 + i * 13) % SALT_ALPHABET.length];
  // The last character only carries 2 bits; '.' keeps the salt exactly as written in the hash.
  return `$2a$10$${body.slice(0, 21)}.`;
}

let cache: { accounts: DemoPassword[]; generic: DemoPassword[] } | undefined;

/** The hashes, computed on first use (about a second) and kept for the process. */
export function demoPasswords(): { accounts: DemoPassword[]; generic: DemoPassword[] } {
  if (!cache) {
    const hash = (password: string, i: number): DemoPassword => ({ password, hash: bcrypt.hashSync(password, fixedSalt(i)) });
    cache = {
      accounts: DEMO_ACCOUNTS.map((a, i) => hash(a.password, i)),
      generic: GENERIC_PASSWORDS.map((p, i) => hash(p, DEMO_ACCOUNTS.length + i)),
    };
  }
  return cache;
}
