/**
 * Firestore's index selection, implemented statically: given firestore.indexes.json, can Firestore
 * serve a declared query (QuerySpec), and with which index? The emulator serves every query without
 * indexes, so this is what stands between a missing index and a "The query requires an index"
 * error in production.
 *
 * What Firestore does (docs: "Index types in Cloud Firestore", "Manage indexes", "Index merging"):
 *   - Every field gets single-field indexes automatically, ascending, descending and array-contains,
 *     with COLLECTION scope. A field override replaces that set for its (collection group, field):
 *     an override listing no indexes exempts the field; COLLECTION_GROUP scope single-field indexes
 *     exist only where an override adds them.
 *   - A query with no order (no orderBy, no inequality) and only equality (==, in) and array
 *     (array-contains, array-contains-any) filters is served by merging single-field indexes, one
 *     per filtered field, or by one composite index holding exactly those fields.
 *   - A query that orders on a single field, with no other filter, is served by that field's
 *     single-field index in the query's direction.
 *   - Anything else (equality + orderBy, equality + inequality, array + orderBy, ...) needs a
 *     composite index: the equality/array fields first (any order; array fields as CONTAINS), then
 *     the order fields in the query's order and direction.
 *   - The order fields are the explicit orderBy fields (minus equality fields, for which ordering
 *     is a no-op), then the inequality fields not ordered explicitly, in field-name order.
 * We do not rely on merging composite indexes with each other (Firestore can sometimes, but not
 * predictably) nor on reading a composite index backwards: a query passes only with an index that
 * serves it exactly. That can only ask for an index too many, never let a failing query through.
 */
import type { FilterOp, QuerySpec } from '@zhengrowth/model';

export type Order = 'ASCENDING' | 'DESCENDING';
export type Scope = 'COLLECTION' | 'COLLECTION_GROUP';

export interface IndexField {
  fieldPath: string;
  order?: Order;
  arrayConfig?: 'CONTAINS';
}

export interface CompositeIndex {
  collectionGroup: string;
  queryScope: Scope;
  fields: IndexField[];
}

export interface FieldOverride {
  collectionGroup: string;
  fieldPath: string;
  indexes: Array<{ order?: Order; arrayConfig?: 'CONTAINS'; queryScope: Scope }>;
  /** Firestore TTL: documents are deleted once this field's time has passed. */
  ttl?: boolean;
}

export interface IndexConfig {
  indexes: CompositeIndex[];
  fieldOverrides: FieldOverride[];
}

/** What a query needs from the indexes, with the collection/scope it runs in. */
export interface QueryShape {
  collectionGroup: string;
  scope: Scope;
  equality: string[];
  array: string[];
  orderFields: Array<{ field: string; order: Order }>;
}

export type Verdict = { served: true; by: 'scan' | 'single-field' | 'merge' | 'composite'; index?: CompositeIndex } | { served: false; reason: string };

const EQUALITY: readonly FilterOp[] = ['==', 'in'];
const ARRAY: readonly FilterOp[] = ['array-contains', 'array-contains-any'];
const INEQUALITY: readonly FilterOp[] = ['<', '<=', '>', '>=', '!=', 'not-in'];

export function shapeOf(q: QuerySpec): QueryShape {
  const equality = q.where.filter((w) => EQUALITY.includes(w.op)).map((w) => w.field);
  const array = q.where.filter((w) => ARRAY.includes(w.op)).map((w) => w.field);
  const inequality = q.where.filter((w) => INEQUALITY.includes(w.op)).map((w) => w.field);
  if (array.length > 1) throw new Error(`${q.name}: Firestore allows one array-contains filter per query`);
  const explicit = q.orderBy.filter((o) => !equality.includes(o.field));
  if (inequality.length && explicit.length && !inequality.includes(explicit[0]?.field ?? '')) {
    // Firestore rejects this query outright (the first orderBy must be an inequality field).
    throw new Error(`${q.name}: with an inequality filter the first orderBy must be an inequality field`);
  }
  const lastOrder: Order = explicit.length && explicit[explicit.length - 1]?.direction === 'desc' ? 'DESCENDING' : 'ASCENDING';
  const orderFields = explicit.map((o): { field: string; order: Order } => ({ field: o.field, order: o.direction === 'desc' ? 'DESCENDING' : 'ASCENDING' }));
  for (const f of [...new Set(inequality)].sort()) {
    if (!orderFields.some((o) => o.field === f)) orderFields.push({ field: f, order: lastOrder });
  }
  return { collectionGroup: q.collection.groupId, scope: q.group ? 'COLLECTION_GROUP' : 'COLLECTION', equality: [...new Set(equality)], array, orderFields };
}

/** Is the single-field index (ASC, DESC or CONTAINS) of this field enabled in this scope? */
export function singleFieldEnabled(config: IndexConfig, group: string, field: string, mode: Order | 'CONTAINS', scope: Scope): boolean {
  const override = config.fieldOverrides.find((o) => o.collectionGroup === group && o.fieldPath === field);
  if (!override) return scope === 'COLLECTION';
  return override.indexes.some((i) => i.queryScope === scope && (mode === 'CONTAINS' ? i.arrayConfig === 'CONTAINS' : i.order === mode));
}

function withoutName(fields: IndexField[]): IndexField[] {
  const last = fields[fields.length - 1];
  return last?.fieldPath === '__name__' ? fields.slice(0, -1) : fields;
}

/** Does this composite index serve the query exactly (equality/array prefix, then the order fields)? */
export function compositeServes(index: CompositeIndex, s: QueryShape): boolean {
  if (index.collectionGroup !== s.collectionGroup || index.queryScope !== s.scope) return false;
  const fields = withoutName(index.fields);
  const prefixLen = s.equality.length + s.array.length;
  if (fields.length !== prefixLen + s.orderFields.length) return false;
  const prefix = fields.slice(0, prefixLen);
  const eqSeen = new Set<string>();
  for (const f of prefix) {
    if (s.equality.includes(f.fieldPath) && f.order !== undefined) eqSeen.add(f.fieldPath);
    else if (s.array.includes(f.fieldPath) && f.arrayConfig === 'CONTAINS') eqSeen.add(f.fieldPath);
    else return false;
  }
  if (eqSeen.size !== prefixLen) return false;
  return s.orderFields.every((o, i) => {
    const f = fields[prefixLen + i];
    return f?.fieldPath === o.field && f.order === o.order;
  });
}

export function explain(config: IndexConfig, q: QuerySpec): Verdict {
  const s = shapeOf(q);
  const composite = config.indexes.find((i) => compositeServes(i, s));
  if (s.orderFields.length === 0) {
    const filtered = [...s.equality, ...s.array];
    if (filtered.length === 0) return { served: true, by: 'scan' };
    if (composite) return { served: true, by: 'composite', index: composite };
    const missing = [
      ...s.equality.filter((f) => !singleFieldEnabled(config, s.collectionGroup, f, 'ASCENDING', s.scope)),
      ...s.array.filter((f) => !singleFieldEnabled(config, s.collectionGroup, f, 'CONTAINS', s.scope)),
    ];
    if (missing.length === 0) return { served: true, by: filtered.length === 1 ? 'single-field' : 'merge' };
    return {
      served: false,
      reason: `no ${s.scope} single-field index on ${s.collectionGroup}.${missing.join(', ')} (exempted, or collection-group scope not enabled) and no composite index of exactly these fields`,
    };
  }
  if (s.equality.length === 0 && s.array.length === 0 && s.orderFields.length === 1) {
    const o = s.orderFields[0] as { field: string; order: Order };
    if (singleFieldEnabled(config, s.collectionGroup, o.field, o.order, s.scope)) return { served: true, by: 'single-field' };
    if (composite) return { served: true, by: 'composite', index: composite };
    return { served: false, reason: `the ${s.scope} ${o.order} single-field index on ${s.collectionGroup}.${o.field} is not enabled` };
  }
  if (composite) return { served: true, by: 'composite', index: composite };
  return { served: false, reason: `needs a ${s.scope} composite index on ${s.collectionGroup}: ${describeNeed(s)}` };
}

export function describeNeed(s: QueryShape): string {
  return [...s.equality.map((f) => `${f} (==)`), ...s.array.map((f) => `${f} (CONTAINS)`), ...s.orderFields.map((o) => `${o.field} ${o.order}`)].join(', ');
}

/** The composite index entry a query needs (to print in a failure, ready to paste). */
export function suggestedIndex(q: QuerySpec): CompositeIndex {
  const s = shapeOf(q);
  return {
    collectionGroup: s.collectionGroup,
    queryScope: s.scope,
    fields: [
      ...s.equality.map((f): IndexField => ({ fieldPath: f, order: 'ASCENDING' })),
      ...s.array.map((f) => ({ fieldPath: f, arrayConfig: 'CONTAINS' as const })),
      ...s.orderFields.map((o) => ({ fieldPath: o.field, order: o.order })),
    ],
  };
}
