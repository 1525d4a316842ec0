/**
 * Values that must stay unique (the seed's unique constraints: coupon code, experiment key, i18n
 * (lang, ns, key), social template (platform, locale, name)) are claimed in unique_keys in the same
 * transaction that creates or renames their document. The entry's id is a hash of the value, so two
 * writers of one value read and write the same entry and one of them retries and sees the other.
 * Documents that predate the index (migrated) are found by their declared query in the same
 * transaction. An entry whose document is gone or holds another value now is stale and is taken.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Timestamp, type DocumentData, type DocumentReference, type Firestore, type Query, type Transaction } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { uniqueKeys, type AnyCollection, type DocOf, type UniqueKind } from '@zhengrowth/model';
import type { Deps } from '../core/deps.js';
import { runTx } from '../core/firestore.js';

export interface UniqueSpec<C extends AnyCollection, T extends DocumentData = DocOf<C>> {
  kind: UniqueKind;
  collection: C;
  /** The unique value of a document (null parts count as one value: NULL = NULL here). */
  keyOf(doc: T): Array<string | null>;
  /** The documents that hold a value (finds migrated ones that have no index entry). */
  holders(db: Firestore, key: Array<string | null>): Query;
  /** How the value is named in errors. */
  label(key: Array<string | null>): string;
}

export function uniqueKeyId(kind: UniqueKind, key: Array<string | null>): string {
  return `${kind}-${createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 40)}`;
}

const sameKey = (a: Array<string | null>, b: Array<string | null>): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Creates (no id) or updates the document `id` with `build(previous)`, keeping its unique value
 * unique: already-exists when another document holds it. Returns the id and whether it was new.
 */
export async function saveUnique<C extends AnyCollection, T extends DocumentData = DocOf<C>>(
  deps: Deps,
  spec: UniqueSpec<C, T>,
  id: string | undefined,
  build: (prev: T | undefined, now: Timestamp) => T,
): Promise<{ id: string; created: boolean }> {
  const { db } = deps;
  const docId = id ?? randomUUID();
  const ref = db.doc(spec.collection.docPath({ [spec.collection.idParam]: docId })).withConverter(spec.collection.converter) as DocumentReference<T>;
  return runTx(
    db,
    async (tx: Transaction) => {
      const now = Timestamp.fromDate(deps.now());
      const prev = (await tx.get(ref)).data();
      if (id && !prev) throw new HttpsError('not-found', `no ${spec.collection.collection} document ${id}`);
      const next = build(prev, now);
      const key = spec.keyOf(next);
      const entryRef = db.doc(uniqueKeys.docPath({ keyId: uniqueKeyId(spec.kind, key) })).withConverter(uniqueKeys.converter);
      const entry = (await tx.get(entryRef)).data();
      const holders = (await tx.get(spec.holders(db, key).limit(3))).docs.filter((d) => d.id !== docId);
      let taken = holders.length > 0;
      if (!taken && entry && entry.target_path !== ref.path) {
        // An entry of another document: still taken if that document still holds the value.
        const other = await tx.get(db.doc(entry.target_path));
        taken = other.exists && sameKey(spec.keyOf(other.data() as T), key);
      }
      if (taken) throw new HttpsError('already-exists', `${spec.label(key)} is taken by another ${spec.collection.collection} document`);
      const oldKey = prev ? spec.keyOf(prev) : null;
      // ---- writes ----
      tx.set(ref, next);
      tx.set(entryRef, { kind: spec.kind, parts: key, target_path: ref.path, updated_at: now });
      if (oldKey && !sameKey(oldKey, key)) tx.delete(db.doc(uniqueKeys.docPath({ keyId: uniqueKeyId(spec.kind, oldKey) })));
      return { id: docId, created: !prev };
    },
    { maxAttempts: 10 },
  );
}
