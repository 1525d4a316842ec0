/**
 * The one retry rule of zg-migrate for the services it writes to: Firestore's commits (gRPC codes)
 * and Firebase Auth's calls (firebase-admin codes). Transient failures are tried again with
 * exponential backoff and jitter (RESOURCE_EXHAUSTED slows the governor); anything else is thrown
 * at once; too many in a row stop the run with WriteFailedError (the checkpoint is where to resume).
 */
import type { Governor } from './governor.js';

/** gRPC codes worth another try: DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL, UNAVAILABLE. */
const TRANSIENT = new Set([4, 8, 10, 13, 14]);
const CODE_NAMES: Record<number, string> = { 4: 'DEADLINE_EXCEEDED', 8: 'RESOURCE_EXHAUSTED', 10: 'ABORTED', 13: 'INTERNAL', 14: 'UNAVAILABLE' };
/**
 * firebase-admin's codes for a Firebase Auth call worth another try: the network (a reset or a
 * timeout), the service's own failure, its rate limit. Auth calls are retried whole, so each must
 * be safe to repeat (the import re-reads which users exist first).
 */
const AUTH_TRANSIENT = new Set(['app/network-error', 'app/network-timeout', 'auth/internal-error', 'auth/quota-exceeded', 'auth/too-many-requests']);

/** The name of a transient failure (a gRPC code from Firestore, a code from Firebase Auth), or undefined. */
function transientName(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'number') return TRANSIENT.has(code) ? (CODE_NAMES[code] ?? String(code)) : undefined;
  return typeof code === 'string' && AUTH_TRANSIENT.has(code) ? code : undefined;
}

/** The run cannot go on (Firestore kept failing, or refused a write): the checkpoint is where to resume. */
export class WriteFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WriteFailedError';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fn` with retries: exponential backoff with jitter, RESOURCE_EXHAUSTED slowing the governor.
 * Non-transient errors are thrown at once. Firestore's commits and Firebase Auth's calls alike.
 */
export async function withRetries<T>(
  what: string,
  fn: () => Promise<T>,
  governor: Governor | null,
  maxAttempts = 10,
  log?: (line: string) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const name = transientName(err);
      if (name === undefined) throw err;
      if (name === 'RESOURCE_EXHAUSTED') governor?.exhausted();
      if (attempt >= maxAttempts) {
        throw new WriteFailedError(`${what}: answered ${name} ${attempt} times in a row (${(err as Error).message})`);
      }
      const delay = Math.min(30_000, 250 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      log?.(`${what}: ${name}, retrying in ${Math.round(delay)} ms (attempt ${attempt + 1} of ${maxAttempts})`);
      await sleep(delay);
    }
  }
}
