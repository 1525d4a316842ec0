/**
 * The one lease: how a worker claims a piece of work (an e-mail, a push job, a scheduled post, a
 * day's backup) so that overlapping runs and triggers delivered twice never do it at once, and a
 * worker that crashed is taken over once its lease has run out.
 *
 * A lease is an id, an expiry and an attempt number, written on the work's document in the
 * transaction that takes it. Whoever takes it over writes a new id; the first worker's results are
 * then refused, because a worker writes back only while the document still carries its id
 * (`holds`, `finishIfHolding`). Pure functions over a view of the document, so that each queue
 * keeps its own field names and the rule is written once.
 */
import { randomBytes } from 'node:crypto';
import { Timestamp, type DocumentData, type DocumentReference, type Firestore } from 'firebase-admin/firestore';
import type { TimestampLike } from '@zhengrowth/model';
import { runTx, txMerge } from './firestore.js';

/** What a document says of its lease, whatever its fields are called. */
export interface LeaseView {
  id: string | null | undefined;
  expiresAt: TimestampLike | null | undefined;
  attempts: number | null | undefined;
}

/** A lease a worker holds. */
export interface Lease {
  id: string;
  /** 1 for the first worker; a take-over counts a new attempt. */
  attempt: number;
  expiresAt: Timestamp;
  takenAt: Date;
}

/** The view of the common field names: `lease_id`, `lease_expires_at`, `attempts`. */
export interface LeaseFields {
  lease_id?: string | null;
  lease_expires_at?: TimestampLike | null;
  attempts?: number | null;
}
export const leaseOf = (doc: LeaseFields | undefined): LeaseView => ({
  id: doc?.lease_id,
  expiresAt: doc?.lease_expires_at,
  attempts: doc?.attempts,
});

/** Somebody holds the work right now: a lease that has not run out. */
export function leaseLive(view: LeaseView, now: Date): boolean {
  return !!view.expiresAt && view.expiresAt.toMillis() > now.getTime();
}

/** A new lease on the work (its fields are for the caller to write in the same transaction). */
export function nextLease(view: LeaseView, now: Date, durationMs: number): Lease {
  return {
    id: randomBytes(8).toString('hex'),
    attempt: (view.attempts ?? 0) + 1,
    expiresAt: Timestamp.fromMillis(now.getTime() + durationMs),
    takenAt: now,
  };
}

/** The common fields of a lease just taken. */
export const leaseFields = (lease: Lease): { lease_id: string; lease_expires_at: Timestamp; attempts: number } => ({
  lease_id: lease.id,
  lease_expires_at: lease.expiresAt,
  attempts: lease.attempt,
});

/** The lease fields of finished work: nobody holds it. */
export const RELEASED = { lease_id: null, lease_expires_at: null } as const;

/** The document still carries this lease: nobody took the work over since. */
export function holds(view: LeaseView, leaseId: string): boolean {
  return view.id === leaseId;
}

/** Writes `patch` (the work's outcome) only if the document still carries the lease; answers whether it did. */
export async function finishIfHolding<T extends DocumentData>(db: Firestore, ref: DocumentReference<T>, leaseId: string, patch: Partial<T>): Promise<boolean> {
  return runTx(db, async (tx) => {
    if (!holds(leaseOf((await tx.get(ref)).data()), leaseId)) return false;
    txMerge(tx, ref, patch);
    return true;
  });
}
