/**
 * The transform of one table (every table but the two of users/{uid}): a row becomes the
 * documents of its destinations — path from the spec's columns, fields from the model, the table's
 * own rule last — each checked (document.ts), or the row is rejected with the reason.
 *
 * It also says where a row's documents are without building them (`paths`), which `sync` uses to
 * find the documents a deleted or moved row left behind.
 */
import type { SourceRow, SourceTable } from '../sources/catalog.js';
import { MappingError, PROFILE_OWNER, type DestinationPlan, type TablePlan } from '../plan/mapping.js';
import { reject } from '../codecs/pgtext.js';
import { docPathOf, finishDocument, guard } from './document.js';
import { compileField } from './fields.js';
import type { DocWrite, RowTransform, TransformContext } from './types.js';

/** Where an old row's document of one destination was: its path, none (the row was not routed there), or unknown (a NULL placeholder, an owner no longer known). */
export type OldPath = { path: string } | 'none' | 'unknown';

/** One destination as `sync` sees it: can its path be told from the primary key alone? */
export interface DestinationPaths {
  plan: DestinationPlan;
  /** Every placeholder of the path is the primary key: the path follows from the key. */
  keyOnly: boolean;
  /** The path of a key for a keyOnly destination. */
  pathOfKey(key: string): string | null;
  /** Where a (whole) row's document of this destination is. */
  pathOfRow(row: SourceRow): OldPath;
  /** The primary key of a document of this destination, from its path or (`keyField`) its data. */
  keyOfPath(path: string): string | null;
  /** The document field that holds the primary key when the path does not (lesson_progress: `id`); null when the path has it. */
  keyField: string | null;
}

export interface CompiledTable {
  transform: RowTransform;
  /**
   * The paths of a row's documents, computed from the path columns only (the row is not checked,
   * and a user reference is mapped whether or not the user is still migrated). `complete` is false
   * when a path could not be computed (a NULL placeholder, a profile without owner).
   */
  paths(row: SourceRow): { paths: string[]; complete: boolean };
  destinations: DestinationPaths[];
}

interface Param {
  param: string;
  column: string;
  value(row: SourceRow): string;
}

function compileParams(plan: TablePlan, d: DestinationPlan, ctx: TransformContext, profileOwner: (row: SourceRow) => string | undefined): Param[] {
  return Object.entries(d.params).map(([param, column]) => {
    if (column === PROFILE_OWNER) return { param, column, value: (row: SourceRow) => profileOwner(row) ?? reject(`${plan.table}: no owner`) };
    const ownerParam = param === 'uid';
    return {
      param,
      column,
      value: (row: SourceRow): string => {
        const v = row[column] ?? null;
        if (v === null) return reject(`${plan.table}.${column} is NULL, but it is part of the document path ${d.collection.template}`);
        if (!ownerParam) return v;
        const uid = ctx.users.owner(v);
        if (uid === undefined) return reject(`${plan.table}.${column} ${v} ${ctx.users.whyMissing(v)}: the row has no owner to live under`);
        return uid;
      },
    };
  });
}

function routed(d: DestinationPlan, row: SourceRow): boolean {
  if (d.route === 'with-user') return (row.user_id ?? null) !== null;
  if (d.route === 'without-user') return (row.user_id ?? null) === null;
  return true;
}

/**
 * Compiles the transform of one table (not the users unit) against the source's catalog. Throws
 * MappingError when a column is missing, has an incompatible type, or has no destination.
 */
export function compileTable(plan: TablePlan, table: SourceTable, ctx: TransformContext): CompiledTable {
  const known = new Set(plan.columns);
  const extra = table.columns.filter((c) => !known.has(c.name)).map((c) => c.name);
  if (extra.length) throw new MappingError(`${plan.table} has column(s) ${extra.join(', ')} that no destination takes: they would be lost`);
  const missing = plan.columns.filter((c) => !table.columns.some((t) => t.name === c));
  if (missing.length) throw new MappingError(`${plan.table} lacks column(s) ${missing.join(', ')} that the mapping reads`);

  // The owner of ai_suggestions_cache rows: the migrated user of the profile.
  const profileOwner = (row: SourceRow): string | undefined => {
    const profileId = row.profile_id ?? null;
    if (profileId === null) return undefined;
    const sourceUser = ctx.users.profileOwner(profileId);
    if (sourceUser === undefined) reject(`${plan.table}.profile_id ${profileId} has no zg_profiles row, so the row has no owner`);
    const uid = ctx.users.owner(sourceUser);
    if (uid === undefined) reject(`${plan.table}: the owner ${sourceUser} of profile ${profileId} ${ctx.users.whyMissing(sourceUser)}`);
    return uid;
  };

  const ruled = new Set(plan.rule?.fields ?? []);
  const destinations = plan.destinations.map((d) => ({
    d,
    fields: d.fields.filter((f) => !ruled.has(f.field)).map((f) => compileField(f, table, d, ctx, profileOwner)),
    params: compileParams(plan, d, ctx, profileOwner),
  }));
  const rule = plan.rule?.compile(table);

  const transform = guard((row) => {
    const out: DocWrite[] = [];
    for (const { d, fields, params } of destinations) {
      if (!routed(d, row)) continue;
      const p: Record<string, string> = {};
      for (const param of params) p[param.param] = param.value(row);
      const path = docPathOf(d.collection, p);
      const data: Record<string, unknown> = {};
      for (const f of fields) data[f.field] = f.build(row);
      rule?.(row, data);
      out.push(finishDocument(d.collection, path, data, ctx));
    }
    return out;
  });

  const pk = table.primaryKey;
  // Where a row's documents are, without checking the row: a user reference maps as it did when written.
  const looseValue = (param: Param, row: SourceRow): string | null => {
    if (param.column === PROFILE_OWNER) {
      const owner = ctx.users.profileOwner(row.profile_id ?? '');
      return owner === undefined ? null : ctx.users.ref(owner);
    }
    const v = row[param.column] ?? null;
    return v === null ? null : param.param === 'uid' ? ctx.users.ref(v) : v;
  };
  const pathOf = (d: DestinationPlan, params: Param[], row: SourceRow): string | null => {
    const p: Record<string, string> = {};
    for (const param of params) {
      const v = looseValue(param, row);
      if (v === null) return null;
      p[param.param] = v;
    }
    try {
      return d.collection.docPath(p);
    } catch {
      return null;
    }
  };

  return {
    transform,
    paths(row) {
      const paths: string[] = [];
      let complete = true;
      for (const { d, params } of destinations) {
        if (!routed(d, row)) continue;
        const path = pathOf(d, params, row);
        if (path === null) complete = false;
        else paths.push(path);
      }
      return { paths, complete };
    },
    destinations: destinations.map(({ d, params }) => {
      const keyOnly = params.every((p) => p.column === pk);
      const keyParam = params.find((p) => p.column === pk);
      const keyField = keyParam ? null : (d.fields.find((f) => f.column === pk)?.field ?? null);
      // The segment of the path that holds the key: placeholders sit at the odd segments, in order.
      const placeholders = [...d.collection.template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const keySegment = keyParam ? 2 * placeholders.indexOf(keyParam.param) + 1 : -1;
      return {
        plan: d,
        keyOnly,
        keyField,
        pathOfKey: (key: string) => (keyOnly ? pathOf(d, params, { [pk]: key }) : null),
        pathOfRow: (row: SourceRow): OldPath => {
          if (!routed(d, row)) return 'none';
          const path = pathOf(d, params, row);
          return path === null ? 'unknown' : { path };
        },
        keyOfPath: (path: string) => (keySegment > 0 ? (path.split('/')[keySegment] ?? null) : null),
      };
    }),
  };
}
