/**
 * Leases on queue items: a worker takes an item in a transaction (status sending, lease id and
 * expiry), so that two workers, or a trigger delivered twice, never send the same e-mail at once;
 * a lease that expires (its worker crashed) is taken over by the next worker, which counts a new
 * attempt and reuses the idempotency key. A worker records its result only while it holds the lease
 * (the rule is core/lease.ts's).
 */
import { Timestamp, type DocumentReference } from 'firebase-admin/firestore';
import { emailQueue, type EmailQueueDoc } from '@zhengrowth/model';
import { txMerge, runTx } from '../../core/firestore.js';
import { leaseFields, leaseLive, leaseOf, nextLease, RELEASED } from '../../core/lease.js';
import type { EmailDeps } from './deps.js';

export interface Lease {
  emailId: string;
  ref: DocumentReference<EmailQueueDoc>;
  /** The item as the lease found it. */
  item: EmailQueueDoc;
  leaseId: string;
  attempt: number;
  startedAt: Date;
}

export type LeaseRefusal = 'missing' | 'not_due' | 'held' | 'done' | 'exhausted';

export const queueRef = (deps: EmailDeps, emailId: string): DocumentReference<EmailQueueDoc> =>
  deps.db.doc(emailQueue.docPath({ emailId })).withConverter(emailQueue.converter);

/** Takes the item if it is due and nobody holds it; an item whose attempts ran out (crashed workers) fails instead. */
export async function takeLease(deps: EmailDeps, emailId: string): Promise<Lease | LeaseRefusal> {
  const ref = queueRef(deps, emailId);
  return runTx(deps.db, async (tx) => {
    const item = (await tx.get(ref)).data();
    if (!item) return 'missing';
    const now = deps.now();
    const status = item.status ?? 'pending';
    if (status === 'pending') {
      if (item.scheduled_for && item.scheduled_for.toMillis() > now.getTime()) return 'not_due';
    } else if (status === 'sending') {
      if (leaseLive(leaseOf(item), now)) return 'held';
    } else {
      return 'done';
    }
    const at = Timestamp.fromDate(now);
    const attempts = item.attempts ?? 0;
    if (attempts >= deps.retry.maxAttempts) {
      txMerge(tx, ref, {
        status: 'failed',
        error: item.error ?? `gave up after ${attempts} attempts (the last worker did not finish)`,
        ...RELEASED,
        updated_at: at,
      });
      return 'exhausted';
    }
    const lease = nextLease(leaseOf(item), now, deps.leaseMs);
    txMerge(tx, ref, { status: 'sending', ...leaseFields(lease), last_attempt_at: at, updated_at: at });
    return { emailId, ref, item, leaseId: lease.id, attempt: lease.attempt, startedAt: now };
  });
}
