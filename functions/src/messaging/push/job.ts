/**
 * A push job (an inbox item, a broadcast) happens once: a worker claims its push_deliveries
 * document in a transaction (status sending, a lease), pushes, and records the counts (done) only
 * while it still holds the lease. A trigger that fires again finds it done or held; a worker that
 * crashed leaves a lease that expires, and the next delivery of the trigger takes over — the first
 * worker, should it wake up, can no longer mark the job done. Push services have no idempotency
 * key: the topic header (one per job) makes them replace a message they still hold instead.
 */
import { Timestamp, type DocumentReference } from 'firebase-admin/firestore';
import { pushDeliveries, type PushDeliveryDoc } from '@zhengrowth/model';
import { txSet, runTx } from '../../core/firestore.js';
import { finishIfHolding, leaseFields, leaseLive, leaseOf, nextLease, RELEASED, type Lease } from '../../core/lease.js';
import type { PushDeps } from './deps.js';
import type { DeliveryCount } from './deliver.js';

export const jobRef = (deps: PushDeps, deliveryId: string): DocumentReference<PushDeliveryDoc> =>
  deps.db.doc(pushDeliveries.docPath({ deliveryId })).withConverter(pushDeliveries.converter);

export type Claim = { kind: 'claimed'; lease: Lease } | { kind: 'done'; doc: PushDeliveryDoc } | { kind: 'held' };

export async function claimJob(
  deps: PushDeps,
  ref: DocumentReference<PushDeliveryDoc>,
  fields: Pick<PushDeliveryDoc, 'kind' | 'user_id' | 'item_id' | 'segment'>,
  leaseMs = deps.leaseMs,
): Promise<Claim> {
  return runTx(deps.db, async (tx) => {
    const cur = (await tx.get(ref)).data();
    const now = deps.now();
    if (cur?.status === 'done') return { kind: 'done', doc: cur } as const;
    if (cur?.status === 'sending' && leaseLive(leaseOf(cur), now)) return { kind: 'held' } as const;
    const lease = nextLease(leaseOf(cur), now, leaseMs);
    txSet(tx, ref, {
      ...fields,
      status: 'sending',
      ...leaseFields(lease),
      targeted: 0,
      sent: 0,
      gone: 0,
      failed: 0,
      created_at: cur?.created_at ?? Timestamp.fromDate(now),
      finished_at: null,
    });
    return { kind: 'claimed', lease } as const;
  });
}

/** Records the counts and marks the job done, if the lease is still this worker's; answers whether it was. */
export async function finishJob(deps: PushDeps, ref: DocumentReference<PushDeliveryDoc>, lease: Lease, count: DeliveryCount): Promise<boolean> {
  return finishIfHolding(deps.db, ref, lease.id, { ...count, status: 'done', ...RELEASED, finished_at: Timestamp.fromDate(deps.now()) });
}
