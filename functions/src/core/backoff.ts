/**
 * Exponential backoff with "equal jitter": the wait after failed attempt `attempt` (1-based) is half
 * fixed, half random, so that many callers that failed together do not come back as one burst.
 */
export function jitteredBackoffMs(baseMs: number, capMs: number, attempt: number, random: () => number = Math.random): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}
