/**
 * Retention of the records we keep only for a while (delivery logs, the webhook ledger): each is
 * written with `expires_at`, and a TTL policy on that field (firestore.indexes.json) lets Firestore
 * delete it once that time has passed. The retention in days is a param of the function that
 * writes; a value outside its bounds fails the function's first request with the param's name and
 * rule, never a silent fallback.
 */
import { Timestamp } from 'firebase-admin/firestore';

export function retentionDays(param: string, value: number, bounds: { min: number; max: number }): number {
  if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    throw new Error(`${param} must be a whole number of days from ${bounds.min} to ${bounds.max}, got ${String(value)}`);
  }
  return value;
}

/** When a record written at `now` may be deleted. */
export function expiresAfter(now: Date, days: number): Timestamp {
  return Timestamp.fromMillis(now.getTime() + days * 86_400_000);
}
