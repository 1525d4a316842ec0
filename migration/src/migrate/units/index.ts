/**
 * Units of work: a table (its rows in primary key order), the users unit (users/{uid} from
 * zg_profiles + user_roles, in uid order) and the auth unit (Firebase Auth users). Each unit turns
 * its source into work items — a key (where the checkpoint can stand after it), the documents to
 * write, the rows it rejects — one page at a time.
 */
import type { UserImportRecord } from 'firebase-admin/auth';
import { mustGet } from '@zhengrowth/model';
import { AUTH_BATCH, authRecord, profileRecord } from './auth-import.js';
import type { SourceRow, SourceTable } from '../sources/catalog.js';
import { AUTH_TABLE, tablePlan, USERS_UNIT } from '../plan/mapping.js';
import type { Source } from '../sources/source.js';
import { compileTable, compileUsers, type CompiledTable, type DocWrite, type TransformContext } from '../transform/index.js';
import { duplicateRows } from './uniqueness.js';
import type { UserSet } from './users.js';

export interface RejectedRow {
  table: string;
  key: string;
  reason: string;
  row: SourceRow;
}

export interface WorkItem {
  key: string;
  docs: DocWrite[];
  rejects: RejectedRow[];
  counts: Array<{ table: string; written: number; rejected: number }>;
  /** Table units: the source row (verify checks the jsonb encoding against it). */
  row?: SourceRow;
  /** Auth unit only: the users to import (rows not rejected). */
  auth?: Array<{ record: UserImportRecord; existing: boolean; table: string; key: string; row: SourceRow }>;
}

export interface Unit {
  name: string;
  tables: string[];
  /** Rows per source table in the source (for the report and the progress bars). */
  count(): Promise<Record<string, number>>;
  /** Rows (or users) after a key, for progress. */
  remaining(after: string | null): Promise<number>;
  /** Work items after a key (and up to `until`, inclusive, where the unit can cut ranges), in pages. */
  items(after: string | null, until?: string | null): AsyncIterable<WorkItem[]>;
  /** For units that can be read in key ranges (tables): keys cutting the rest into chunks. */
  split?(after: string | null, chunkRows: number): Promise<string[]>;
  /**
   * The work items of these keys as the source holds them now (a key whose row is gone has no
   * item), in pages: what `sync` applies and `cutover` verifies. For the users and auth units the
   * keys are source user ids.
   */
  keyed(keys: readonly string[]): AsyncIterable<WorkItem[]>;
  /** Tables only: the work items of rows already read (a sync's rows from the stream). */
  fromRows?(rows: readonly SourceRow[]): Promise<WorkItem[]>;
  /** Tables only: the compiled transform (sync finds old documents through its paths). */
  compiled?: CompiledTable;
}

const PAGE = 1000;

/** The index of the first id after `after` in sorted ids (binary search). */
function indexAfter(ids: readonly string[], after: string | null): number {
  if (after === null) return 0;
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ids[mid] as string) <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
const USER_CHUNK = 500;

export interface UnitContext {
  source: Source;
  catalog: Map<string, SourceTable>;
  users: UserSet;
  transform: TransformContext;
}

function requireTable(ctx: UnitContext, name: string): SourceTable {
  const t = ctx.catalog.get(name);
  if (!t) throw new Error(`the source has no table ${name}`);
  return t;
}

/** Keys in chunks the sources take in one `IN (…)` / `= ANY` read. */
async function* chunked<T>(keys: readonly string[], size: number, fn: (chunk: string[]) => Promise<T>): AsyncIterable<T> {
  for (let i = 0; i < keys.length; i += size) yield await fn(keys.slice(i, i + size));
}

export function tableUnit(ctx: UnitContext, table: string): Unit {
  const source = requireTable(ctx, table);
  const plan = tablePlan(table);
  const compiled = compileTable(plan, source, ctx.transform);
  const transform = compiled.transform;
  const pk = source.primaryKey;
  // Rows that repeat a unique value of an earlier row (uniqueness.ts): found once per unit, before
  // any row is written, and rejected wherever rows of the unit are read (a run, sync, files).
  let duplicates: Promise<Map<string, string>> | undefined;
  const repeatedRows = (): Promise<Map<string, string>> => (duplicates ??= duplicateRows(ctx.source, source));
  const itemsOf = (page: readonly SourceRow[], repeated: ReadonlyMap<string, string>): WorkItem[] =>
    page.map((row): WorkItem => {
      const key = row[pk] ?? '';
      const dup = repeated.get(key);
      const outcome = dup === undefined ? transform(row) : ({ ok: false, reason: dup } as const);
      if (outcome.ok) return { key, docs: outcome.docs, rejects: [], counts: [{ table, written: 1, rejected: 0 }], row };
      return { key, docs: [], rejects: [{ table, key, reason: outcome.reason, row }], counts: [{ table, written: 0, rejected: 1 }] };
    });
  return {
    compiled,
    keyed: (keys) => chunked(keys, PAGE, async (chunk) => itemsOf(await ctx.source.byKeys(source, pk, chunk), await repeatedRows())),
    fromRows: async (rows) => itemsOf(rows, await repeatedRows()),
    name: table,
    tables: [table],
    count: async () => ({ [table]: await ctx.source.count(source) }),
    remaining: (after) => ctx.source.count(source, after),
    split: ctx.source.splitKeys ? (after, chunkRows) => ctx.source.splitKeys?.(source, after, chunkRows) ?? Promise.resolve([]) : undefined,
    items: (after, until) => ({
      async *[Symbol.asyncIterator]() {
        const repeated = await repeatedRows();
        for await (const page of ctx.source.scan(source, { after, until, pageSize: PAGE })) yield itemsOf(page, repeated);
      },
    }),
  };
}

/** The users unit walks the user set in uid order; its key is the source user id. */
export function usersUnit(ctx: UnitContext, passwordResetRequired: boolean): Unit {
  const profiles = requireTable(ctx, 'zg_profiles');
  const roles = requireTable(ctx, 'user_roles');
  const build = compileUsers(tablePlan('zg_profiles'), profiles, roles, ctx.transform, passwordResetRequired);
  const ids = ctx.users.sourceIds;
  const startIndex = (after: string | null): number => indexAfter(ids, after);
  /** The users/{uid} items of some source user ids (one read of their profiles); ids not in the set have none. */
  const itemsOf = async (chunk: readonly string[]): Promise<WorkItem[]> => {
    const members = chunk.filter((id) => ctx.users.has(id));
    const profileRows = await ctx.source.byKeys(profiles, 'user_id', members);
    const byUser = new Map(profileRows.map((r) => [r.user_id ?? '', r]));
    return members.map((sourceId) => {
      const { outcome, rows } = build({ sourceId, profile: byUser.get(sourceId) ?? null, roles: ctx.users.rolesByUser.get(sourceId) ?? [] });
      const counts = new Map<string, { written: number; rejected: number }>([
        ['zg_profiles', { written: 0, rejected: 0 }],
        ['user_roles', { written: 0, rejected: 0 }],
      ]);
      const rejects: RejectedRow[] = [];
      for (const r of rows) {
        const c = mustGet(counts, r.table, 'counter');
        if (outcome.ok) c.written++;
        else {
          c.rejected++;
          const own = r.table === 'zg_profiles' ? outcome.reason : `rejected with users/${sourceId}: ${outcome.reason}`;
          rejects.push({ table: r.table, key: r.key, reason: own, row: r.row });
        }
      }
      return { key: sourceId, docs: outcome.ok ? outcome.docs : [], rejects, counts: [...counts].map(([table, c]) => ({ table, ...c })) };
    });
  };
  return {
    name: USERS_UNIT,
    tables: ['zg_profiles', 'user_roles'],
    count: async () => ({ zg_profiles: await ctx.source.count(profiles), user_roles: await ctx.source.count(roles) }),
    remaining: (after) => Promise.resolve(ids.length - startIndex(after)),
    keyed: (keys) => chunked([...keys].sort(), USER_CHUNK, itemsOf),
    items: (after) => ({
      async *[Symbol.asyncIterator]() {
        for (let i = startIndex(after); i < ids.length; i += USER_CHUNK) yield await itemsOf(ids.slice(i, i + USER_CHUNK));
      },
    }),
  };
}

/** Firebase Auth users: from auth.users (postgres), or from the user set (supabase). */
export function authUnit(ctx: UnitContext, now: Date): Unit {
  if (ctx.source.canReadAuthUsers) {
    const table = requireTable(ctx, AUTH_TABLE);
    const columns = [
      'id',
      'email',
      'encrypted_password',
      'email_confirmed_at',
      'raw_user_meta_data',
      'phone',
      'created_at',
      'last_sign_in_at',
      'banned_until',
      'deleted_at',
    ];
    const have = new Set(table.columns.map((c) => c.name));
    const missing = columns.filter((c) => !have.has(c));
    if (missing.length) throw new Error(`auth.users lacks column(s) ${missing.join(', ')}`);
    const itemsOf = (page: readonly SourceRow[]): WorkItem[] =>
      page.map((row): WorkItem => {
        const key = row.id ?? '';
        const o = authRecord(row, ctx.users, now);
        if (!o.ok)
          return { key, docs: [], rejects: [{ table: AUTH_TABLE, key, reason: o.reason, row }], counts: [{ table: AUTH_TABLE, written: 0, rejected: 1 }] };
        return {
          key,
          docs: [],
          rejects: [],
          counts: [{ table: AUTH_TABLE, written: 1, rejected: 0 }],
          auth: [{ record: o.record, existing: o.existing, table: AUTH_TABLE, key, row }],
        };
      });
    return {
      name: AUTH_TABLE,
      tables: [AUTH_TABLE],
      count: async () => ({ [AUTH_TABLE]: await ctx.source.count(table) }),
      remaining: (after) => ctx.source.count(table, after),
      keyed: (keys) => chunked(keys, AUTH_BATCH, async (chunk) => itemsOf(await ctx.source.byKeys(table, 'id', chunk))),
      items: (after) => ({
        async *[Symbol.asyncIterator]() {
          for await (const page of ctx.source.scan(table, { after, pageSize: AUTH_BATCH })) yield itemsOf(page);
        },
      }),
    };
  }
  // supabase: the users come from the profiles; nothing to count as source rows of auth.users.
  const profiles = requireTable(ctx, 'zg_profiles');
  const ids = ctx.users.sourceIds;
  const startIndex = (after: string | null): number => indexAfter(ids, after);
  const itemsOf = async (chunk: readonly string[]): Promise<WorkItem[]> => {
    const members = chunk.filter((id) => ctx.users.has(id));
    const rows = await ctx.source.byKeys(profiles, 'user_id', members);
    const byUser = new Map(rows.map((r) => [r.user_id ?? '', r]));
    return members.map((sourceId): WorkItem => {
      const profile = byUser.get(sourceId) ?? null;
      const o = profileRecord(sourceId, profile, ctx.users);
      if (!o.ok) return { key: sourceId, docs: [], rejects: [], counts: [] };
      return {
        key: sourceId,
        docs: [],
        rejects: [],
        counts: [],
        auth: [{ record: o.record, existing: o.existing, table: 'zg_profiles', key: sourceId, row: profile ?? { user_id: sourceId } }],
      };
    });
  };
  return {
    name: AUTH_TABLE,
    tables: [],
    count: () => Promise.resolve({}),
    remaining: (after) => Promise.resolve(ids.length - startIndex(after)),
    keyed: (keys) => chunked(keys, AUTH_BATCH, itemsOf),
    items: (after) => ({
      async *[Symbol.asyncIterator]() {
        for (let i = startIndex(after); i < ids.length; i += AUTH_BATCH) yield await itemsOf(ids.slice(i, i + AUTH_BATCH));
      },
    }),
  };
}
