import {
  collection,
  collectionGroup,
  limit as limitTo,
  orderBy,
  query,
  where,
  type DocumentData,
  type Firestore,
  type Query,
  type QueryConstraint,
} from 'firebase/firestore';
import type { AnyCollection, QuerySpec } from '@zhengrowth/model';

/**
 * The web SDK query of a declared spec (functions/model/src/queries): `values` fill its filters in
 * order, `params` its collection path. Only declared queries can be built, so each has its index
 * (the index test) and is one the rules allow (the parity matrix runs it). Read it with readDocs.
 */
export function specQuery<C extends AnyCollection>(
  db: Firestore,
  spec: QuerySpec<C>,
  values: readonly unknown[],
  params: Record<string, string> = {},
  max?: number,
): Query<DocumentData> {
  if (values.length !== spec.where.length) throw new Error(`query ${spec.name} takes ${spec.where.length} value(s), got ${values.length}`);
  const constraints: QueryConstraint[] = [
    ...spec.where.map((w, i) => where(w.field, w.op, values[i])),
    ...spec.orderBy.map((o) => orderBy(o.field, o.direction)),
    ...(max === undefined ? [] : [limitTo(max)]),
  ];
  const base = spec.group ? collectionGroup(db, spec.collection.groupId) : collection(db, spec.collection.collectionPath(params as never));
  return query(base, ...constraints);
}
