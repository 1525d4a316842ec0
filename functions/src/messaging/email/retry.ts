import { jitteredBackoffMs } from '../../core/backoff.js';

/**
 * When to try a queued e-mail again. Exponential backoff with jitter (so that a burst of 429s does
 * not come back as one burst), at least as long as Resend's retry-after; after `maxAttempts` the
 * item fails. The default schedule (5 s doubling to at most 1 h, 10 attempts) spans about 40
 * minutes: well inside the 24 hours for which Resend remembers an idempotency key.
 */
export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  capMs: number;
  /** Waits up to this long are spent in the same invocation (the lease is kept); longer ones go back to the queue. */
  inlineMaxMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 10, baseMs: 5_000, capMs: 3_600_000, inlineMaxMs: 10_000 };

/** The wait after failed attempt `attempt` (1-based): half fixed, half random ("equal jitter"), never below retry-after. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfterMs: number | null, random: () => number = Math.random): number {
  const jittered = jitteredBackoffMs(policy.baseMs, policy.capMs, attempt, random);
  if (retryAfterMs === null) return jittered;
  // Honour retry-after, spread by up to a fifth so that every throttled worker does not return at once.
  return Math.round(Math.max(retryAfterMs * (1 + random() * 0.2), Math.min(jittered, retryAfterMs * 2)));
}
