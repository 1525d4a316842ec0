import type { Firestore, Query } from 'firebase-admin/firestore';
import type { QuerySpec } from '@zhengrowth/model';

/**
 * Build the Firestore query of a declared spec. `values` are the filter values in the order of
 * spec.where; `collectionParams` fill the collection path (ignored for collection-group queries).
 * Only declared queries can be built, so the index test sees every query the functions make.
 */
export function buildQuery(db: Firestore, spec: QuerySpec, values: readonly unknown[], collectionParams: Record<string, string> = {}): Query {
  if (values.length !== spec.where.length) {
    throw new Error(`query ${spec.name} takes ${spec.where.length} value(s), got ${values.length}`);
  }
  let q: Query = spec.group ? db.collectionGroup(spec.collection.groupId) : db.collection(spec.collection.collectionPath(collectionParams as never));
  spec.where.forEach((w, i) => {
    q = q.where(w.field, w.op, values[i]);
  });
  for (const o of spec.orderBy) q = q.orderBy(o.field, o.direction);
  return q;
}
