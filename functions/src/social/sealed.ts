/**
 * A token as the publisher, the refresh and the metrics jobs hold it: sealed. Only a platform
 * adapter reveals it, at the moment it builds a request's Authorization header (or a refresh
 * grant); the plaintext never sits in a job's variables, logs or errors.
 */
import { isSealed, open, type Keyring } from './crypto.js';

export class SealedToken {
  readonly #value: string;
  readonly #keyring: Keyring;
  readonly #aad: string;

  constructor(value: string, keyring: Keyring, aad: string) {
    this.#value = value;
    this.#keyring = keyring;
    this.#aad = aad;
  }

  /** For adapters only (social/platforms/*): the token in clear, for the request being built. */
  reveal(): string {
    // Tokens the migration copied from Supabase are plain text until the refresh job reseals them.
    return isSealed(this.#value) ? open(this.#keyring, this.#value, this.#aad) : this.#value;
  }

  toJSON(): string {
    return '[sealed token]';
  }

  toString(): string {
    return '[sealed token]';
  }
}

/** The associated data of a token field: the envelope opens only for this account and field. */
export function tokenAad(accountId: string, field: 'access_token' | 'refresh_token' | 'code_verifier' | 'pending_account'): string {
  return `${field}:${accountId}`;
}
