import type { FilterOp, QuerySpec } from '@zhengrowth/model';
import type { Actor } from './actors.js';
import type { Json, Row } from './fixture.js';
import { asText, mappingOf } from './mapping.js';
import { ME, MY_EMAIL, type ListCase } from './matrix.js';

/** What one side answered for one cell. */
export interface Outcome {
  allowed: boolean;
  /** Why (the SQL error, "RLS hides the row", the Firestore error code…), for the report. */
  detail: string;
  /** list: the primary keys of the rows returned (when allowed). */
  rows?: string[];
}

export function resolveValue(v: Json, actor: Actor): Json {
  if (v !== ME && v !== MY_EMAIL) return v;
  if (actor.id === 'anon') throw new Error('a case that names the acting user ran for the anonymous actor');
  return v === ME ? actor.uid : actor.email;
}

export function resolveRow(row: Row, actor: Actor): Row {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, resolveValue(v, actor)]));
}

/** A list case with the acting user filled in: what both sides run. */
export interface ResolvedList {
  spec: QuerySpec | null;
  params: Record<string, string>;
  where: Array<{ field: string; op: FilterOp; value: Json }>;
}

export function resolveList(table: string, c: ListCase, actor: Actor): ResolvedList {
  const params = Object.fromEntries(Object.entries(c.params ?? {}).map(([k, v]) => [k, asText(resolveValue(v, actor))]));
  if (c.query === 'all') return { spec: null, params, where: [] };
  const spec = c.query;
  if (spec.collection !== mappingOf(table).collection) throw new Error(`${spec.name} does not query the collection of ${table}`);
  const values = c.values ?? [];
  if (values.length !== spec.where.length) throw new Error(`${spec.name} takes ${spec.where.length} value(s), the case gives ${values.length}`);
  return { spec, params, where: spec.where.map((w, i) => ({ field: w.field, op: w.op, value: resolveValue(values[i] as Json, actor) })) };
}
