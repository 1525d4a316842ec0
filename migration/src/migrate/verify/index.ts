/**
 * `zg-migrate verify`: reads every source row again (or, for `cutover`, the rows changed since the
 * run), applies the documented transform, reads the document(s) it must have become and compares
 * them field by field (documents.ts). Rows the run rejected are listed as rejected (not missing);
 * documents in the migrated collections that no row accounts for are listed as extras; Firebase
 * Auth users are checked too (auth.ts).
 */
import { mustGet } from '@zhengrowth/model';
import type { MigrationContext, Prepared } from '../context.js';
import { prepare } from '../context.js';
import { AUTH_TABLE, tablesOfUnit, USERS_UNIT } from '../mapping.js';
import { selectUnits } from '../select.js';
import type { Unit } from '../units.js';
import type { UidMapMode } from '../users.js';
import { verifyAuth } from './auth.js';
import { ExpectedPaths } from './documents.js';
import { compareCounts } from './counts.js';
import { collectionsOf, findExtras } from './extras.js';
import { VerifyTally, type VerifyReport } from './report.js';
import { rejectKey, verifyRows, type RejectState } from './rows.js';

export { firstDifference } from './compare.js';
export type { VerifyReport, VerifyTable } from './report.js';

export interface VerifyOptions {
  tables: string[] | null;
  uidMap: UidMapMode | null;
  concurrency: number;
  /**
   * Only the rows changed since this snapshot (pg_current_snapshot() text of the run), field by
   * field, and every table's document count (counts.ts) instead of a search for extras: `cutover`.
   */
  changedSince?: string;
}

/** The keys of the rows changed since a snapshot, per unit (users and auth.users: the source user ids concerned). */
async function changedKeys(ctx: MigrationContext, prepared: Prepared, units: readonly string[], since: string): Promise<Map<string, string[]>> {
  const { source } = ctx;
  if (!source.changedKeys) throw new Error('only the postgres source can tell which rows changed since the run');
  const keys = new Map<string, string[]>();
  const changed = async (table: string): Promise<string[]> =>
    source.changedKeys ? source.changedKeys(mustGet(prepared.catalog, table, 'source table'), since) : [];
  const users = new Set<string>();
  for (const u of units) {
    if (u === USERS_UNIT) {
      for (const k of await changed('zg_profiles')) users.add(prepared.users.profileUser.get(k) ?? k);
      const roleOwner = new Map([...prepared.users.rolesByUser].flatMap(([user, rows]) => rows.map((r) => [r.id ?? '', user] as const)));
      for (const k of await changed('user_roles')) users.add(roleOwner.get(k) ?? k);
    } else if (u === AUTH_TABLE) for (const k of await changed(AUTH_TABLE)) users.add(k);
    else keys.set(u, await changed(u));
  }
  if (units.includes(USERS_UNIT)) keys.set(USERS_UNIT, [...users]);
  if (units.includes(AUTH_TABLE)) keys.set(AUTH_TABLE, [...users]);
  return keys;
}

export async function verifyMigration(ctx: MigrationContext, options: VerifyOptions): Promise<VerifyReport> {
  const { source, state } = ctx;
  const { units: unitNames } = selectUnits(options.tables);
  const previous = (await state.runs()).find((r) => r.doc.source === source.description);
  const uidMap: UidMapMode = options.uidMap ?? previous?.doc.uid_map ?? 'same';
  ctx.log(`Verifying against ${source.description} (uid map: ${uidMap}${previous ? `, as run ${previous.id}` : ''})`);
  const prepared = await prepare(ctx, { uidMap });

  const rejects: RejectState = new Map();
  for (const r of await state.rejects(unitNames.flatMap(tablesOfUnit))) rejects.set(rejectKey(r.table, r.key), r);
  const tally = new VerifyTally();
  const expected = new ExpectedPaths();
  const keys = options.changedSince ? await changedKeys(ctx, prepared, unitNames, options.changedSince) : undefined;
  const rowUnits: Unit[] = unitNames.filter((u) => u !== AUTH_TABLE && (!keys || keys.has(u))).map((u) => prepared.unit(u));
  const itemsOf = (u: Unit) => (keys ? u.keyed(keys.get(u.name) ?? []) : u.items(null));
  const total = async (u: Unit): Promise<number> => (keys ? (keys.get(u.name)?.length ?? 0) : u.remaining(null));
  await verifyRows({ ctx, prepared, rejects, tally, expected }, rowUnits, options.concurrency, itemsOf, total);

  if (!keys) await findExtras(ctx.db, collectionsOf(rowUnits), expected, tally);
  else for (const problem of await compareCounts(ctx, prepared, unitNames, rejects, tally)) tally.countProblem(problem);
  if (unitNames.includes(AUTH_TABLE) && (!keys || keys.has(AUTH_TABLE))) {
    await verifyAuth(ctx, prepared.unitContext, itemsOf(prepared.unit(AUTH_TABLE)), rejects, tally);
  }
  return tally.finish();
}
