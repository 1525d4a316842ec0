/**
 * One sync's work on a set of changes: the rows changed per table read as the source holds them
 * now and applied through the run's transform (tables in parallel, one commit channel), then the
 * user fan-out (users/{uid}, Firebase Auth). Whatever found the changes — the slot's stream, xmin,
 * or every row again — hands them here.
 */
import { mustGet, type MigrationRejectDoc } from '@zhengrowth/model';
import type { MigrationContext, Prepared } from '../context/index.js';
import { makeGovernor } from '../target/governor.js';
import { AUTH_TABLE, tablesOfUnit, USERS_UNIT } from '../plan/mapping.js';
import { pool } from '../concurrency/pool.js';
import { makeCommitter } from '../context/committer.js';
import type { Committer } from '../target/writer.js';
import { affectedUsers, applyAuth, applyUsers } from './apply-users.js';
import { applyTableChanges } from './apply-table.js';
import type { ChangeSet } from './changes.js';
import { removeStaleTableDocs, removeStaleUserDocs } from './diff.js';
import { emptySyncCounts, SyncWrites, type SyncCounts } from './writes.js';

/** Told when a unit holds everything this sync applies to it: `cutover` checks the unit then. */
export type OnApplied = (unit: string) => void;

export interface Session {
  ctx: MigrationContext;
  prepared: Prepared;
  units: string[];
  runId: string;
  rejects: Map<string, MigrationRejectDoc>;
  committer: Committer;
  counts: SyncCounts;
  scans: Set<string>;
  concurrency: number;
}

export async function openSession(
  ctx: MigrationContext,
  prepared: Prepared,
  run: { runId: string; units: string[] },
  options: { concurrency: number; maxOpsPerSecond?: number; rejects?: Promise<MigrationRejectDoc[]> },
): Promise<Session> {
  const rejects = await (options.rejects ?? ctx.state.rejects(run.units.flatMap(tablesOfUnit)));
  return {
    ctx,
    prepared,
    units: run.units,
    runId: run.runId,
    rejects: new Map(rejects.map((r) => [`${r.table}\u0000${r.key}`, r])),
    committer: makeCommitter(ctx, makeGovernor({ maxOpsPerSecond: options.maxOpsPerSecond, emulator: ctx.emulator })),
    counts: emptySyncCounts(),
    scans: new Set(),
    concurrency: options.concurrency,
  };
}

function touchesUsers(changes: ChangeSet): boolean {
  return (
    ['zg_profiles', 'user_roles', AUTH_TABLE].some((t) => changes.tables.has(t)) || changes.truncated.has('zg_profiles') || changes.truncated.has('user_roles')
  );
}

/** Rows of other tables whose owner is found through a changed profile (ai_suggestions_cache). */
async function dependentRows(s: Session, changes: ChangeSet): Promise<void> {
  const profiles = changes.keys('zg_profiles');
  if (!profiles.length || !s.units.includes('ai_suggestions_cache')) return;
  const t = mustGet(s.prepared.catalog, 'ai_suggestions_cache', 'source table');
  const rows = await s.ctx.source.byKeys(t, 'profile_id', profiles);
  changes.touch(
    'ai_suggestions_cache',
    rows.map((r) => r.id ?? ''),
  );
}

/**
 * Rows that live under a user who is no longer migrated (deleted from auth.users, say): their
 * documents go and they become rejects, as a run would have found them, even where no foreign key
 * deleted them with the user.
 */
async function ownedRows(s: Session, changes: ChangeSet, users: ReadonlySet<string>): Promise<void> {
  const gone = [...users].filter((id) => !s.prepared.users.has(id));
  if (!gone.length) return;
  for (const name of s.units) {
    if (name === USERS_UNIT || name === AUTH_TABLE) continue;
    const owners = new Set(
      (s.prepared.unit(name).compiled?.destinations ?? []).map((d) => d.plan.ownerColumn).filter((c): c is string => c !== null && !c.startsWith('@')),
    );
    const table = mustGet(s.prepared.catalog, name, 'source table');
    for (const column of owners)
      changes.touch(
        name,
        (await s.ctx.source.byKeys(table, column, gone)).map((r) => r[table.primaryKey] ?? ''),
      );
  }
}

/**
 * Applies the changes. `fullUsers`: every user is rebuilt and stale user documents removed (the
 * syncs without a stream). `onApplied` (the last changes of a sync only) hears of each unit as soon
 * as nothing more of this sync will touch it.
 */
export async function apply(s: Session, changes: ChangeSet, fullUsers: boolean, onApplied?: OnApplied): Promise<void> {
  const writes = (): SyncWrites => new SyncWrites(s.ctx, s.committer, 'sync', s.runId, s.rejects, s.counts);
  const usersOut = writes();
  await dependentRows(s, changes);
  let users: Set<string> | null = null;
  if (fullUsers || touchesUsers(changes)) {
    users = fullUsers ? new Set(s.prepared.users.sourceIds) : await affectedUsers(s.ctx, s.prepared, changes);
    if (fullUsers || changes.truncated.has('zg_profiles') || changes.truncated.has('user_roles'))
      for (const uid of await removeStaleUserDocs(s.ctx, s.prepared, usersOut)) users.add(uid);
    await ownedRows(s, changes, users);
  }
  const tableUnits = s.units.filter((u) => u !== USERS_UNIT && u !== AUTH_TABLE);
  const tables = tableUnits.filter((u) => changes.tables.has(u) || changes.truncated.has(u));
  for (const name of tableUnits) if (!tables.includes(name)) onApplied?.(name);
  // Each table has its own batches (so that it is done when they are), all through one committer.
  const tablesDone = pool(tables, s.concurrency, async (name) => {
    const out = writes();
    const unit = s.prepared.unit(name);
    const keys = changes.tables.get(name);
    // A table whose documents are all compared with its rows needs no search for old documents.
    const compared = changes.truncated.has(name);
    if (keys?.size) await applyTableChanges(s.ctx, unit, keys, s.rejects, out, compared ? null : (g) => s.scans.add(g));
    if (compared) await removeStaleTableDocs(s.ctx, s.prepared, unit, s.rejects, out);
    await out.finish();
    onApplied?.(name);
  });
  // The users beside the tables (their documents and Auth users are no table's): neither waits for the other.
  const usersDone = (async () => {
    if (users && s.units.includes(USERS_UNIT)) await applyUsers(s.prepared, users, changes, usersOut);
    if (users && s.units.includes(AUTH_TABLE)) await applyAuth(s.ctx, s.prepared, users, usersOut);
    await usersOut.finish();
  })();
  // Both settled before a failure is thrown: nothing of this sync is left running behind it.
  const [t, u] = await Promise.allSettled([tablesDone, usersDone]);
  if (t.status === 'rejected') throw t.reason;
  if (u.status === 'rejected') throw u.reason;
}

/** Rows rejected so far, checked again (their owner may have come since). */
export function rejectedKeys(s: Session, into: ChangeSet): void {
  for (const r of s.rejects.values()) {
    if (r.status !== 'rejected' || r.table === 'zg_profiles' || r.table === 'user_roles' || r.table === AUTH_TABLE) continue;
    if (s.units.includes(r.table)) into.touch(r.table, [r.key]);
  }
}

/**
 * Writes the given rows (and the users they belong to) as the source holds them now, through the
 * transform of `prepared`: what `files` does once the URLs of copied objects are known.
 */
export async function applyRows(
  ctx: MigrationContext,
  prepared: Prepared,
  run: { runId: string; units: string[] },
  changes: ChangeSet,
  concurrency: number,
): Promise<SyncCounts> {
  const s = await openSession(ctx, prepared, run, { concurrency });
  await apply(s, changes, false);
  return s.counts;
}
