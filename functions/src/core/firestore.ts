import { setTimeout as sleep } from 'node:timers/promises';
import type { DocumentData, DocumentReference, Firestore, Transaction, WriteBatch } from 'firebase-admin/firestore';
import { jitteredBackoffMs } from './backoff.js';

/**
 * Typed writes through a model converter (the converter validates the data). Generic on purpose:
 * TypeScript expands WithFieldValue<T> of the model's recursive JSON type too deeply when an object
 * literal meets Transaction.set directly.
 */
export function txSet<T extends DocumentData>(tx: Transaction, ref: DocumentReference<T>, data: T): void {
  tx.set(ref, data);
}

export function txMerge<T extends DocumentData>(tx: Transaction, ref: DocumentReference<T>, data: Partial<T>): void {
  tx.set(ref, data, { merge: true });
}

export function txCreate<T extends DocumentData>(tx: Transaction, ref: DocumentReference<T>, data: T): void {
  tx.create(ref, data);
}

/** A whole-document write outside a transaction, validated by the reference's converter. */
export async function setDoc<T extends DocumentData>(ref: DocumentReference<T>, data: T): Promise<void> {
  await ref.set(data);
}

/** A merge write outside a transaction, validated by the reference's converter. */
export async function mergeDoc<T extends DocumentData>(ref: DocumentReference<T>, data: Partial<T>): Promise<void> {
  await ref.set(data, { merge: true });
}

/** A typed write in a WriteBatch, validated by the reference's converter (generic for the same reason as txSet). */
export function batchSet<T extends DocumentData>(batch: WriteBatch, ref: DocumentReference<T>, data: T): void {
  batch.set(ref, data);
}

/** A create outside a transaction (fails if the document exists), validated by the reference's converter. */
export async function createDoc<T extends DocumentData>(ref: DocumentReference<T>, data: T): Promise<void> {
  await ref.create(data);
}

/**
 * The emulator's answer to a transaction it closed because a concurrent one wounded it
 * (INVALID_ARGUMENT "Transaction is invalid or closed"), and Firestore's for one that outlived its
 * deadline. The SDK retries neither; nothing of the transaction was committed.
 */
export function isClosedTransaction(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  return e?.code === 3 && typeof e.message === 'string' && /Transaction is invalid or closed|transaction has expired/i.test(e.message);
}

/**
 * A transaction that lost to a concurrent one and gave up: Firestore's ABORTED once the SDK's own
 * retries are spent, or a closed transaction (above). The caller may simply try again.
 */
export function isContention(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 10 || isClosedTransaction(err);
}

/** Runs of a closed transaction, in all (the SDK already retries ABORTED up to its maxAttempts). */
export const CLOSED_TX_ATTEMPTS = 5;

/**
 * db.runTransaction, also run again (after a short jittered wait) when the transaction was closed
 * under it: the one retry the SDK does not make. The function must be safe to run again, as every
 * transaction function must be (the SDK reruns it on ABORTED). Every transaction goes through here.
 */
export async function runTx<T>(db: Firestore, fn: (tx: Transaction) => Promise<T>, options?: { maxAttempts?: number }): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.runTransaction(fn, options);
    } catch (err) {
      if (attempt >= CLOSED_TX_ATTEMPTS || !isClosedTransaction(err)) throw err;
      await sleep(jitteredBackoffMs(50, 1_000, attempt));
    }
  }
}
