/**
 * `zg-migrate verify`: reads every source row again (or, for `cutover`, the rows changed since the
 * run), applies the documented transform, reads the document(s) it must have become and compares
 * them field by field (documents.ts). Rows the run rejected are listed as rejected (not missing);
 * documents in the migrated collections that no row accounts for are listed as extras; Firebase
 * Auth users are checked too (auth.ts).
 */
import { mustGet } from '@zhengrowth/model';
import type { MigrationContext, Prepared } from '../context/index.js';
import { prepare } from '../context/index.js';
import { AUTH_TABLE, tablesOfUnit, USERS_UNIT } from '../plan/mapping.js';
import { poolWhenReady } from '../concurrency/pool.js';
import { selectUnits } from '../plan/select.js';
import type { CompiledTable } from '../transform/index.js';
import type { Unit } from '../units/index.js';
import type { UidMapMode } from '../units/users.js';
import { verifyAuth } from './auth.js';
import { ExpectedPaths } from './documents.js';
import { countProblem } from './counts.js';
import { collectionsOf, findExtras } from './extras.js';
import { VerifyTally, type VerifyReport } from './report.js';
import { rejectKey, verifyUnitRows, type RejectState } from './rows.js';

export type { VerifyReport } from './report.js';

export interface VerifyOptions {
  tables: string[] | null;
  uidMap: UidMapMode | null;
  concurrency: number;
  /**
   * Only the rows changed since this snapshot (pg_current_snapshot() text: the verified point),
   * field by field, and every table's document count (counts.ts) instead of a search for extras: `cutover`.
   */
  changedSince?: string;
  /**
   * Rows changed since this snapshot (what the last sync brought in) may not match yet: a verify
   * while the app still writes counts them as pending, not as failures.
   */
  pendingSince?: string;
  /** Awaited before a unit's rows are read (cutover: the final sync is done with the unit). */
  ready?: (unit: string) => Promise<void>;
}

/** The keys of the rows changed since a snapshot, per unit (users and auth.users: the source user ids concerned). */
async function changedKeys(ctx: MigrationContext, prepared: Prepared, units: readonly string[], since: string): Promise<Map<string, string[]>> {
  const { source } = ctx;
  if (!source.changedKeys) throw new Error('only the postgres source can tell which rows changed since a snapshot');
  const changed = async (table: string): Promise<string[]> =>
    source.changedKeys ? source.changedKeys(mustGet(prepared.catalog, table, 'source table'), since) : [];
  const tableUnits = units.filter((u) => u !== USERS_UNIT && u !== AUTH_TABLE);
  const keys = new Map<string, string[]>(await Promise.all(tableUnits.map(async (u) => [u, await changed(u)] as const)));
  // ai_suggestions_cache belongs to the user of its profile: a changed profile may move it.
  const profiles = await changed('zg_profiles');
  const cache = keys.get('ai_suggestions_cache');
  if (cache && profiles.length) {
    const rows = await source.byKeys(mustGet(prepared.catalog, 'ai_suggestions_cache', 'source table'), 'profile_id', profiles);
    keys.set('ai_suggestions_cache', [...new Set([...cache, ...rows.map((r) => r.id ?? '')])]);
  }
  const users = new Set<string>();
  if (units.includes(USERS_UNIT)) {
    for (const k of profiles) users.add(prepared.users.profileUser.get(k) ?? k);
    const roleOwner = new Map([...prepared.users.rolesByUser].flatMap(([user, rows]) => rows.map((r) => [r.id ?? '', user] as const)));
    for (const k of await changed('user_roles')) users.add(roleOwner.get(k) ?? k);
  }
  if (units.includes(AUTH_TABLE)) for (const k of await changed(AUTH_TABLE)) users.add(k);
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
  const tally = new VerifyTally();
  const expected = new ExpectedPaths();
  const rc = { ctx, prepared, rejects, tally, expected };
  const [keys, pending] = await Promise.all([
    options.changedSince ? changedKeys(ctx, prepared, unitNames, options.changedSince) : undefined,
    options.pendingSince ? changedKeys(ctx, prepared, unitNames, options.pendingSince) : undefined,
  ]);
  if (pending) tally.pendingKeys = new Map([...pending].map(([u, k]) => [u, new Set(k)]));
  const itemsOf = (u: Unit) => (keys ? u.keyed(keys.get(u.name) ?? []) : u.items(null));
  const total = async (u: Unit): Promise<number> => (keys ? (keys.get(u.name)?.length ?? 0) : u.remaining(null));
  const transforms = new Map<string, CompiledTable>();
  await poolWhenReady(
    unitNames,
    options.concurrency,
    (name) => options.ready?.(name) ?? Promise.resolve(),
    async (name) => {
      // Read once the unit is ready: the reject records as the final sync of a cutover left them.
      for (const r of await state.rejects(tablesOfUnit(name))) rejects.set(rejectKey(r.table, r.key), r);
      const unit = prepared.unit(name);
      if (name === AUTH_TABLE) {
        if (!keys || keys.has(AUTH_TABLE)) await verifyAuth(ctx, prepared.unitContext, itemsOf(unit), rejects, tally);
        return;
      }
      // Counts hold only once nothing is pending (writes stopped): `cutover` counts, a verify while the
      // app writes cannot. The count and the rows are read side by side (a count on the emulator reads every document).
      const [, problem] = await Promise.all([
        verifyUnitRows(rc, unit, itemsOf, total, transforms),
        keys && !pending ? countProblem(ctx, prepared, name, rejects) : null,
      ]);
      if (problem) tally.countProblem(problem);
    },
    // The units with the most changed rows first, of those ready (all alike for a full verify).
    (name) => keys?.get(name)?.length ?? 0,
  );
  if (!keys) await findExtras(ctx.db, collectionsOf(unitNames.filter((u) => u !== AUTH_TABLE).map((u) => prepared.unit(u))), expected, tally);
  return tally.finish();
}
