/**
 * `zg-migrate sync`: applies every change made in the source since the run's snapshot (or the last
 * sync) — inserts, updates, deletes, for every table, through the run's transform, checks, rejects
 * and user fan-out — and records the new position. With the run's replication slot the changes
 * come from its stream (slot-feed.ts), in chunks, each confirmed only once applied; without one,
 * rows are found by xmin (or, for the supabase API source, all rows are read) and deletions by
 * comparing paths (diff.ts). Rejected rows are checked again each time (a missing owner may exist now).
 */
import { mustGet, type MigrationRejectDoc, type MigrationSyncDoc } from '@zhengrowth/model';
import { Timestamp } from 'firebase-admin/firestore';
import { prepare, type MigrationContext, type Prepared } from '../context.js';
import { makeGovernor } from '../governor.js';
import { AUTH_TABLE, tablesOfUnit, USERS_UNIT } from '../mapping.js';
import { pool } from '../pool.js';
import { makeCommitter } from '../run/write-pass.js';
import type { Committer } from '../writer.js';
import { affectedUsers, applyAuth, applyUsers } from './apply-users.js';
import { applyTableChanges } from './apply-table.js';
import { ChangeSet } from './changes.js';
import { removeStaleTableDocs, removeStaleUserDocs } from './diff.js';
import { syncIdOf, syncRef } from './origin.js';
import { SlotFeed } from './slot-feed.js';
import { emptySyncCounts, SyncWrites, type SyncCounts } from './writes.js';

export interface SyncOptions {
  concurrency: number;
  maxOpsPerSecond?: number;
  /** Changes decoded per chunk (slot). */
  chunk?: number;
}

export interface SyncResult {
  mechanism: MigrationSyncDoc['mechanism'];
  changes: number;
  counts: SyncCounts;
  seconds: number;
  /** Collection groups scanned to find old documents. */
  scans: string[];
  /** The slot's confirmed position after the sync. */
  lsn: string | null;
}

/** The sync record of this source and project, and its finished run; why not, in words. */
export async function syncTarget(ctx: MigrationContext): Promise<{ id: string; doc: MigrationSyncDoc; uidMap: 'same' | 'email'; units: string[] }> {
  const id = syncIdOf(ctx);
  const doc = (await syncRef(ctx, id).get()).data();
  if (!doc) throw new Error(`no run from ${ctx.source.description} into project ${ctx.projectId} to continue: \`zg-migrate run\` first`);
  if (doc.status === 'finished')
    throw new Error(
      `the migration from ${doc.source} was finished (\`zg-migrate finish\`, ${doc.updated_at.toDate().toISOString()}): a new \`zg-migrate run\` starts over`,
    );
  const run = await ctx.state.run(doc.run_id);
  if (!run) throw new Error(`the run ${doc.run_id} this sync continues has no record in project ${ctx.projectId}`);
  if (run.status === 'running' || run.status === 'failed')
    throw new Error(`the run ${doc.run_id} did not finish (${run.status}): \`zg-migrate run --source … --resume\` first, then sync`);
  return { id, doc, uidMap: run.uid_map, units: run.units };
}

interface Session {
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

async function apply(s: Session, changes: ChangeSet, fullUsers: boolean): Promise<void> {
  const out = new SyncWrites(s.ctx, s.committer, 'sync', s.runId, s.rejects, s.counts);
  await dependentRows(s, changes);
  let users: Set<string> | null = null;
  if (fullUsers || touchesUsers(changes)) {
    users = fullUsers ? new Set(s.prepared.users.sourceIds) : await affectedUsers(s.ctx, s.prepared, changes);
    if (fullUsers || changes.truncated.has('zg_profiles') || changes.truncated.has('user_roles'))
      for (const uid of await removeStaleUserDocs(s.ctx, s.prepared, out)) users.add(uid);
    await ownedRows(s, changes, users);
  }
  const tables = s.units.filter((u) => u !== USERS_UNIT && u !== AUTH_TABLE && (changes.tables.has(u) || changes.truncated.has(u)));
  await pool(tables, s.concurrency, async (name) => {
    const unit = s.prepared.unit(name);
    const keys = changes.tables.get(name);
    // A table whose documents are all compared with its rows needs no search for old documents.
    const compared = changes.truncated.has(name);
    if (keys?.size) await applyTableChanges(s.ctx, unit, keys, s.rejects, out, compared ? null : (g) => s.scans.add(g));
    if (compared) await removeStaleTableDocs(s.ctx, s.prepared, unit, s.rejects, out);
  });
  if (users) {
    if (s.units.includes(USERS_UNIT)) await applyUsers(s.prepared, users, changes, out);
    if (s.units.includes(AUTH_TABLE)) await applyAuth(s.ctx, s.prepared, users, out);
  }
  await out.finish();
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
  const tables = run.units.flatMap(tablesOfUnit);
  const s: Session = {
    ctx,
    prepared,
    units: run.units,
    runId: run.runId,
    rejects: new Map((await ctx.state.rejects(tables)).map((r) => [`${r.table}\u0000${r.key}`, r])),
    committer: makeCommitter(ctx, makeGovernor({ emulator: ctx.emulator })),
    counts: emptySyncCounts(),
    scans: new Set(),
    concurrency,
  };
  await apply(s, changes, false);
  return s.counts;
}

/** Rows rejected so far, checked again (their owner may have come since). */
function rejectedKeys(s: Session, into: ChangeSet): void {
  for (const r of s.rejects.values()) {
    if (r.status !== 'rejected' || r.table === 'zg_profiles' || r.table === 'user_roles' || r.table === AUTH_TABLE) continue;
    if (s.units.includes(r.table)) into.touch(r.table, [r.key]);
  }
}

async function syncFromSlot(
  s: Session,
  doc: MigrationSyncDoc,
  chunk: number,
  reload: () => Promise<Prepared>,
): Promise<{ changes: number; lsn: string | null }> {
  const { ctx } = s;
  if (!ctx.source.url || !ctx.source.refresh || !doc.slot || !doc.publication) throw new Error('the slot mechanism needs the postgres source');
  const tables = new Set(s.units.flatMap(tablesOfUnit));
  const feed = new SlotFeed(ctx.source.url, doc.slot, doc.publication, (t) => (tables.has(t) ? s.prepared.catalog.get(t)?.primaryKey : undefined));
  await feed.open();
  let changes = 0;
  let lsn = doc.lsn;
  try {
    const upto = await feed.currentLsn();
    let first = true;
    for (;;) {
      const next = await feed.next(upto, chunk);
      if (first) rejectedKeys(s, next.changes);
      if (next.changes.empty && next.end === null) break;
      // The rows are read as they are now, in a snapshot that sees every change just decoded.
      await ctx.source.refresh();
      if (touchesUsers(next.changes)) s.prepared = await reload();
      await apply(s, next.changes, false);
      changes += next.changes.count;
      if (next.end) {
        await feed.advance(next.end);
        lsn = next.end;
      }
      first = false;
      if (next.end === null) break;
    }
  } finally {
    await feed.close();
  }
  return { changes, lsn };
}

/** Without a slot: rows by xmin since the recorded snapshot (postgres) or all rows (supabase), deletions by path. */
async function syncByScan(s: Session, doc: MigrationSyncDoc): Promise<number> {
  const { ctx } = s;
  const changes = new ChangeSet();
  for (const name of s.units) {
    if (name === USERS_UNIT || name === AUTH_TABLE) continue;
    const table = mustGet(s.prepared.catalog, name, 'source table');
    if (ctx.source.changedKeys && doc.snapshot) changes.touch(name, await ctx.source.changedKeys(table, doc.snapshot));
    else {
      const all: string[] = [];
      for await (const page of ctx.source.scan(table, { after: null, pageSize: 5000, columns: [table.primaryKey] }))
        for (const r of page) all.push(r[table.primaryKey] ?? '');
      changes.touch(name, all);
    }
    changes.truncated.add(name); // every table's documents are compared with its rows: that is how deletions show
  }
  rejectedKeys(s, changes);
  const count = [...changes.tables.values()].reduce((n, m) => n + m.size, 0);
  await apply(s, changes, true);
  return count;
}

export async function syncOnce(ctx: MigrationContext, options: SyncOptions): Promise<SyncResult> {
  const started = Date.now();
  const target = await syncTarget(ctx);
  const { doc } = target;
  const reload = (): Promise<Prepared> => prepare(ctx, { uidMap: target.uidMap });
  const tables = target.units.flatMap(tablesOfUnit);
  const s: Session = {
    ctx,
    prepared: await reload(),
    units: target.units,
    runId: doc.run_id,
    rejects: new Map((await ctx.state.rejects(tables)).map((r) => [`${r.table}\u0000${r.key}`, r])),
    committer: makeCommitter(ctx, makeGovernor({ maxOpsPerSecond: options.maxOpsPerSecond, emulator: ctx.emulator })),
    counts: emptySyncCounts(),
    scans: new Set(),
    concurrency: options.concurrency,
  };
  let changes: number;
  let lsn = doc.lsn;
  if (doc.mechanism === 'slot') {
    const r = await syncFromSlot(s, doc, options.chunk ?? 20_000, reload);
    changes = r.changes;
    lsn = r.lsn;
    // Tables the publication could not carry (auth.users on Supabase): by xmin.
    const outside = tables.filter((t) => !doc.streamed_tables.includes(t));
    if (outside.length && ctx.source.changedKeys && doc.snapshot) {
      const more = new ChangeSet();
      for (const t of outside) more.touch(t, await ctx.source.changedKeys(mustGet(s.prepared.catalog, t, 'source table'), doc.snapshot));
      changes += [...more.tables.values()].reduce((n, m) => n + m.size, 0);
      if (!more.empty) await apply(s, more, false);
    }
  } else changes = await syncByScan(s, doc);
  const seconds = (Date.now() - started) / 1000;
  const last: MigrationSyncDoc['last'] = {
    started_at: Timestamp.fromMillis(started),
    duration_ms: Date.now() - started,
    changes,
    ...s.counts,
  };
  await syncRef(ctx, target.id).set({ ...doc, snapshot: ctx.source.feed.snapshot, lsn, syncs: doc.syncs + 1, last, updated_at: Timestamp.now() });
  return { mechanism: doc.mechanism, changes, counts: s.counts, seconds, scans: [...s.scans], lsn };
}
