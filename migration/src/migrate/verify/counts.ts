/**
 * Document counts against row counts, per table: every row not rejected makes one document per
 * destination it goes to. Cheap (an aggregation per collection group, a COUNT per table), it shows
 * documents that are missing or left over without reading them; `cutover` pairs it with a field by
 * field check of the rows changed since the run.
 */
import { ALL_COLLECTIONS, users as usersCollection, type MigrationRejectDoc } from '@zhengrowth/model';
import type { MigrationContext, Prepared } from '../context/index.js';
import { AUTH_TABLE, USERS_UNIT } from '../plan/mapping.js';

/** Collection groups that only one template of the model uses (a count of the group is a count of it). */
function soleGroup(groupId: string): boolean {
  return ALL_COLLECTIONS.filter((c) => c.groupId === groupId).length === 1;
}

async function countGroup(ctx: MigrationContext, groupId: string): Promise<number> {
  return (await ctx.db.collectionGroup(groupId).count().get()).data().count;
}

/** The unit's documents against its rows: a problem in words, or null when they add up. */
export async function countProblem(
  ctx: MigrationContext,
  prepared: Prepared,
  name: string,
  rejects: ReadonlyMap<string, MigrationRejectDoc>,
): Promise<string | null> {
  const rejected = (table: string): number => [...rejects.values()].filter((r) => r.table === table && r.status === 'rejected').length;
  if (name === AUTH_TABLE) return null;
  if (name === USERS_UNIT) {
    const bad = new Set<string>();
    for (const r of rejects.values()) {
      if (r.status !== 'rejected') continue;
      if (r.table === 'zg_profiles') bad.add(prepared.users.profileUser.get(r.key) ?? r.key);
      if (r.table === 'user_roles') bad.add(r.row?.user_id ?? r.key);
    }
    const expected = prepared.users.size - [...bad].filter((id) => prepared.users.has(id)).length;
    const actual = (await ctx.db.collection(usersCollection.collectionPath({})).count().get()).data().count;
    return expected === actual ? null : `users: ${actual} documents for ${expected} migrated users`;
  }
  const unit = prepared.unit(name);
  const destinations = unit.compiled?.destinations ?? [];
  if (!destinations.every((d) => soleGroup(d.plan.collection.groupId))) return null;
  const [rows, counted] = await Promise.all([unit.count(), Promise.all(destinations.map((d) => countGroup(ctx, d.plan.collection.groupId)))]);
  const n = rows[name] ?? 0;
  const perRow = destinations.filter((d) => d.plan.route === 'all').length + (destinations.some((d) => d.plan.route !== 'all') ? 1 : 0);
  const expected = (n - rejected(name)) * perRow;
  const actual = counted.reduce((a, b) => a + b, 0);
  return expected === actual ? null : `${name}: ${actual} documents where ${n - rejected(name)} rows (${n} less ${rejected(name)} rejected) make ${expected}`;
}
