/**
 * `zg-migrate sync`: applies every change made in the source since the run's snapshot (or the last
 * sync) — inserts, updates, deletes, for every table, through the run's transform, checks, rejects
 * and user fan-out (session.ts) — and records the new position. With the run's replication slot the
 * changes come from its stream (slot-sync.ts), in chunks, each confirmed only once applied; without
 * one, rows are found by xmin (or, for the supabase API source, all rows are read) and deletions by
 * comparing paths (scan-sync.ts). Rejected rows are checked again each time (a missing owner may exist now).
 */
import type { MigrationSyncDoc } from '@zhengrowth/model';
import { Timestamp } from 'firebase-admin/firestore';
import { prepare, type MigrationContext } from '../context/index.js';
import { AUTH_TABLE, tablesOfUnit, USERS_UNIT } from '../plan/mapping.js';
import { syncIdOf, syncRef, updateSync } from './origin.js';
import { syncByScan, syncOutsideStream } from './scan-sync.js';
import { openSession, type OnApplied } from './session.js';
import type { StreamTable } from './pgoutput.js';
import { openSlotPosition, streamTable, syncFromSlot, type SlotPosition } from './slot-sync.js';
import type { SyncCounts } from './writes.js';

export { applyRows, type OnApplied } from './session.js';

export interface SyncOptions {
  concurrency: number;
  maxOpsPerSecond?: number;
  /** Changes decoded per chunk (slot). */
  chunk?: number;
  /** Hears of each unit once this sync will not touch it any more (cutover checks it then). */
  onApplied?: OnApplied;
  /** Called once the position is fixed and the source reads a snapshot taken after it. */
  onPositioned?: () => void;
}

export interface SyncResult {
  mechanism: MigrationSyncDoc['mechanism'];
  changes: number;
  counts: SyncCounts;
  seconds: number;
  /** Of which: before the first change was applied (the record, the position, the source's users and catalog). */
  setupSeconds: number;
  /** Collection groups scanned to find old documents. */
  scans: string[];
  /** The slot's confirmed position after the sync. */
  lsn: string | null;
  /** The source snapshot (pg_current_snapshot() text) Firestore now holds; null for the supabase source. */
  applied: string | null;
  /** The source's clock when the position was fixed (slot), and the commit time of the last change applied. */
  at: Date | null;
  lastCommitAt: Date | null;
  /** Changes of the sync before (a sync with more is falling behind the source's writes). */
  previousChanges: number | null;
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

export async function syncOnce(ctx: MigrationContext, options: SyncOptions): Promise<SyncResult> {
  const started = Date.now();
  const target = await syncTarget(ctx);
  const { doc } = target;
  const tables = target.units.flatMap(tablesOfUnit);
  // Read while the position is fixed and the source prepared: independent of both.
  const rejects = ctx.state.rejects(tables);
  rejects.catch(() => undefined);
  let tableOf: (table: string) => StreamTable | undefined = () => undefined;
  const position: SlotPosition | null =
    doc.mechanism === 'slot' ? await openSlotPosition(ctx, doc, target.units, (t) => tableOf(t), options.chunk ?? 20_000) : null;
  options.onPositioned?.();
  try {
    const prepared = await prepare(ctx, { uidMap: target.uidMap });
    tableOf = (t) => streamTable(prepared.catalog.get(t), t !== AUTH_TABLE && target.units.includes(t));
    const s = await openSession(ctx, prepared, { runId: doc.run_id, units: target.units }, { ...options, rejects });
    const setupMs = Date.now() - started;
    let changes: number;
    let lsn = doc.lsn;
    let applied = ctx.source.feed.snapshot;
    let lastCommitAt: Date | null = null;
    if (position) {
      // The tables outside the stream first: the stream's last chunk is then the sync's last apply.
      changes = await syncOutsideStream(s, doc, tables);
      const r = await syncFromSlot(s, position, doc, options.onApplied);
      changes += r.changes;
      lsn = r.lsn;
      lastCommitAt = r.lastCommitAt;
      // Short of the position (the source did not flush in time), the older point still holds.
      applied = r.complete ? position.applied : doc.snapshot;
    } else changes = await syncByScan(s, doc, options.onApplied);
    for (const u of [...target.units.filter((n) => n !== USERS_UNIT && n !== AUTH_TABLE), USERS_UNIT, AUTH_TABLE]) options.onApplied?.(u);
    const last: MigrationSyncDoc['last'] = { started_at: Timestamp.fromMillis(started), duration_ms: Date.now() - started, changes, ...s.counts };
    // Only what this sync moves: a verify may have recorded its verified point (run_snapshot) meanwhile.
    await updateSync(ctx, target.id, { snapshot: applied, lsn, syncs: doc.syncs + 1, last, updated_at: Timestamp.now() });
    return {
      mechanism: doc.mechanism,
      changes,
      counts: s.counts,
      seconds: (Date.now() - started) / 1000,
      setupSeconds: setupMs / 1000,
      scans: [...s.scans],
      lsn,
      applied,
      at: position?.at ?? null,
      lastCommitAt,
      previousChanges: doc.last?.changes ?? null,
    };
  } finally {
    await position?.feed.close();
  }
}
