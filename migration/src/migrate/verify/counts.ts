/**
 * Document counts against row counts, per table: every row not rejected makes one document per
 * destination it goes to. Cheap (an aggregation per collection group, a COUNT per table), it shows
 * documents that are missing or left over without reading them; `cutover` pairs it with a field by
 * field check of the rows changed since the run.
 */
import { ALL_COLLECTIONS, users as usersCollection, type MigrationRejectDoc } from '@zhengrowth/model';
import type { MigrationContext, Prepared } from '../context.js';
import { AUTH_TABLE, USERS_UNIT } from '../mapping.js';
import type { VerifyTally } from './report.js';

/** Collection groups that only one template of the model uses (a count of the group is a count of it). */
function soleGroup(groupId: string): boolean {
  return ALL_COLLECTIONS.filter((c) => c.groupId === groupId).length === 1;
}

async function countGroup(ctx: MigrationContext, groupId: string): Promise<number> {
  return (await ctx.db.collectionGroup(groupId).count().get()).data().count;
}

export async function compareCounts(
  ctx: MigrationContext,
  prepared: Prepared,
  units: readonly string[],
  rejects: ReadonlyMap<string, MigrationRejectDoc>,
  tally: VerifyTally,
): Promise<string[]> {
  const problems: string[] = [];
  const rejected = (table: string): number => [...rejects.values()].filter((r) => r.table === table && r.status === 'rejected').length;
  for (const name of units) {
    if (name === AUTH_TABLE) continue;
    if (name === USERS_UNIT) {
      const bad = new Set<string>();
      for (const r of rejects.values()) {
        if (r.status !== 'rejected') continue;
        if (r.table === 'zg_profiles') bad.add(prepared.users.profileUser.get(r.key) ?? r.key);
        if (r.table === 'user_roles') bad.add(r.row?.user_id ?? r.key);
      }
      const expected = prepared.users.size - [...bad].filter((id) => prepared.users.has(id)).length;
      const actual = (await ctx.db.collection(usersCollection.collectionPath({})).count().get()).data().count;
      if (expected !== actual) problems.push(`users: ${actual} documents for ${expected} migrated users`);
      continue;
    }
    const unit = prepared.unit(name);
    const destinations = unit.compiled?.destinations ?? [];
    if (!destinations.every((d) => soleGroup(d.plan.collection.groupId))) continue;
    const rows = (await unit.count())[name] ?? 0;
    const perRow = destinations.filter((d) => d.plan.route === 'all').length + (destinations.some((d) => d.plan.route !== 'all') ? 1 : 0);
    const expected = (rows - rejected(name)) * perRow;
    let actual = 0;
    for (const d of destinations) actual += await countGroup(ctx, d.plan.collection.groupId);
    if (expected !== actual)
      problems.push(`${name}: ${actual} documents where ${rows - rejected(name)} rows (${rows} less ${rejected(name)} rejected) make ${expected}`);
  }
  if (problems.length) tally.report.ok = false;
  return problems;
}
