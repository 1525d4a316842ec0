import type { Firestore, Transaction } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions/logger';
import { parseDoc, splitDocs, type AnyCollection, type DocOf, type GoodDoc, type SnapshotLike } from '@zhengrowth/model';

/**
 * The server's side of the model's tolerant read (splitDocs, parseDoc): a document that does not
 * match its schema (legacy data, a bug, a write past the rules) is skipped and logged (its path and
 * the first problems, never its data), so that one bad document never fails a whole list, webhook
 * delivery or scheduled run.
 */

/** The documents of a list that match the model; the others are logged as skipped. */
export function goodDocs<C extends AnyCollection>(collection: C, snaps: Iterable<SnapshotLike>, reader: string): Array<GoodDoc<DocOf<C>>> {
  const { docs, invalid } = splitDocs(collection, snaps);
  for (const bad of invalid) logger.warn('skipped a document that does not match the model', { reader, path: bad.path, problems: bad.error });
  return docs;
}

/** One document read tolerantly: absent, valid (its data), or invalid (logged; the caller decides what to skip). */
export type Tolerant<T> = { state: 'absent' } | { state: 'valid'; data: T } | { state: 'invalid' };

/** Reads one document of `collection` at `path` inside a transaction, tolerantly. */
export async function txGetTolerant<C extends AnyCollection>(
  tx: Transaction,
  db: Firestore,
  collection: C,
  path: string,
  reader: string,
): Promise<Tolerant<DocOf<C>>> {
  const snap = await tx.get(db.doc(path));
  if (!snap.exists) return { state: 'absent' };
  const parsed = parseDoc(collection, snap);
  if (parsed.ok) return { state: 'valid', data: parsed.data };
  logger.warn('skipped a document that does not match the model', { reader, path: parsed.bad.path, problems: parsed.bad.error });
  return { state: 'invalid' };
}
