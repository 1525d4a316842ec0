/**
 * Retention of the records we keep only for a while (delivery logs, the webhook ledger): each is
 * written with `expires_at`, and a TTL policy on that field (firestore.indexes.json) lets Firestore
 * delete it once that time has passed. The retention in days is a param of the function that
 * writes (core/params.ts, read through `bounded`).
 */
import { Timestamp } from 'firebase-admin/firestore';

/** When a record written at `now` may be deleted. */
export function expiresAfter(now: Date, days: number): Timestamp {
  return Timestamp.fromMillis(now.getTime() + days * 86_400_000);
}
