/**
 * The one exactly-once ledger (`deliveries`). Webhooks and triggers are delivered at least once: an
 * effect that is not idempotent by itself (an order paid, a counter moved by +1) records the
 * delivery in the same transaction, and a repeat — sequential or concurrent — finds the record and
 * changes nothing. Each kind keeps its records for its own retention (TTL on `expires_at`).
 */
import { createHash } from 'node:crypto';
import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { deliveries, type DeliveryDoc } from '@zhengrowth/model';
import { txCreate } from './firestore.js';
import { expiresAfter } from './retention.js';

/** Triggers are redelivered within hours: a trigger's record is kept this long. */
export const TRIGGER_LEDGER_RETENTION_DAYS = 14;

export interface DeliveryKey {
  kind: DeliveryDoc['kind'];
  /** The webhook's provider, or the trigger handler's name. */
  source: string;
  eventId: string;
}

/** A webhook's record is `{provider}:{event id}` (readable in the console); a trigger's, a hash of handler and event id. */
export function deliveryRef(db: Firestore, key: DeliveryKey) {
  const deliveryId =
    key.kind === 'webhook'
      ? `${key.source}:${key.eventId}`
      : `trigger:${createHash('sha256').update(`${key.source}\u0000${key.eventId}`).digest('hex').slice(0, 40)}`;
  return db.doc(deliveries.docPath({ deliveryId })).withConverter(deliveries.converter);
}

export interface Delivery {
  /** This delivery was applied before: do nothing. */
  seen: boolean;
  /** Records the delivery (a write of the caller's transaction). */
  record(what?: { type?: string; outcome?: DeliveryDoc['outcome']; subject?: string | null }): void;
}

/** Reads a delivery's record in the caller's transaction (a read: call it before any write). */
export async function readDelivery(tx: Transaction, db: Firestore, key: DeliveryKey, now: Date, retentionDays: number): Promise<Delivery> {
  const ref = deliveryRef(db, key);
  const seen = (await tx.get(ref)).exists;
  return {
    seen,
    record: (what = {}) =>
      txCreate(tx, ref, {
        kind: key.kind,
        source: key.source,
        event_id: key.eventId,
        type: what.type ?? null,
        outcome: what.outcome ?? 'applied',
        received_at: Timestamp.fromDate(now),
        subject: what.subject ?? null,
        expires_at: expiresAfter(now, retentionDays),
      }),
  };
}

/** A trigger's delivery of `eventId` to `handler`, read in the caller's transaction. */
export function readReceipt(tx: Transaction, db: Firestore, handler: string, eventId: string, now: Date): Promise<Delivery> {
  return readDelivery(tx, db, { kind: 'trigger', source: handler, eventId }, now, TRIGGER_LEDGER_RETENTION_DAYS);
}
