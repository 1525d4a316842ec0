/**
 * A push job (an inbox item, a broadcast) happens once: a worker claims its push_deliveries
 * document in a transaction (status sending, a lease), pushes, and records the counts (done). A
 * trigger that fires again finds it done or held; a worker that crashed leaves a lease that
 * expires, and the next delivery of the trigger takes over. Push services have no idempotency
 * key: the topic header (one per job) makes them replace a message they still hold instead.
 */
import { Timestamp, type DocumentReference } from 'firebase-admin/firestore';
import { pushDeliveries, type PushDeliveryDoc } from '@zhengrowth/model';
import { txMerge, txSet, runTx } from '../../core/firestore.js';
import type { PushDeps } from './deps.js';
import type { DeliveryCount } from './deliver.js';

export const jobRef = (deps: PushDeps, deliveryId: string): DocumentReference<PushDeliveryDoc> =>
  deps.db.doc(pushDeliveries.docPath({ deliveryId })).withConverter(pushDeliveries.converter);

export type Claim = { kind: 'claimed' } | { kind: 'done'; doc: PushDeliveryDoc } | { kind: 'held' };

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
    if (cur?.status === 'sending' && cur.lease_expires_at && cur.lease_expires_at.toMillis() > now.getTime()) return { kind: 'held' } as const;
    txSet(tx, ref, {
      ...fields,
      status: 'sending',
      attempts: (cur?.attempts ?? 0) + 1,
      lease_expires_at: Timestamp.fromMillis(now.getTime() + leaseMs),
      targeted: 0,
      sent: 0,
      gone: 0,
      failed: 0,
      created_at: cur?.created_at ?? Timestamp.fromDate(now),
      finished_at: null,
    });
    return { kind: 'claimed' } as const;
  });
}

export async function finishJob(deps: PushDeps, ref: DocumentReference<PushDeliveryDoc>, count: DeliveryCount): Promise<void> {
  await runTx(deps.db, async (tx) => {
    await tx.get(ref);
    txMerge(tx, ref, { ...count, status: 'done', lease_expires_at: null, finished_at: Timestamp.fromDate(deps.now()) });
  });
}
