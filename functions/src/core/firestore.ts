import type { DocumentData, DocumentReference, Transaction, WriteBatch } from 'firebase-admin/firestore';

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
 * A transaction that lost to a concurrent one and gave up: Firestore's ABORTED once the SDK's own
 * retries are spent, or the emulator's INVALID_ARGUMENT "Transaction is invalid or closed" (it
 * closes a transaction wounded by a concurrent one, which the SDK does not retry). Nothing of it
 * was committed: the caller may simply try again.
 */
export function isContention(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (e?.code === 10) return true;
  return e?.code === 3 && typeof e.message === 'string' && /Transaction is invalid or closed|transaction has expired/i.test(e.message);
}
