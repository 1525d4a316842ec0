/**
 * Exactly-once bookkeeping of trigger deliveries. Triggers are delivered at least once: an effect
 * that is not idempotent by itself (a counter moved by +1) records the delivery's event id in the
 * same transaction, and a redelivery that finds the record does nothing.
 */
import { createHash } from 'node:crypto';
import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { processedEvents } from '@zhengrowth/model';
import { txCreate } from './firestore.js';

/** Redeliveries come within hours; the TTL policy on expires_at removes receipts after this. */
const KEEP_DAYS = 14;

function receiptRef(db: Firestore, handler: string, eventId: string) {
  const receiptId = createHash('sha256').update(`${handler}\u0000${eventId}`).digest('hex').slice(0, 40);
  return db.doc(processedEvents.docPath({ receiptId })).withConverter(processedEvents.converter);
}

export interface Receipt {
  /** This delivery was applied before: do nothing. */
  seen: boolean;
  /** Records the delivery (a write of the caller's transaction). */
  record(): void;
}

/** Reads the receipt of (handler, event id) in the caller's transaction (a read: call it before any write). */
export async function readReceipt(tx: Transaction, db: Firestore, handler: string, eventId: string, now: Date): Promise<Receipt> {
  const ref = receiptRef(db, handler, eventId);
  const seen = (await tx.get(ref)).exists;
  return {
    seen,
    record: () =>
      txCreate(tx, ref, {
        handler,
        event_id: eventId,
        processed_at: Timestamp.fromDate(now),
        expires_at: Timestamp.fromMillis(now.getTime() + KEEP_DAYS * 86_400_000),
      }),
  };
}
