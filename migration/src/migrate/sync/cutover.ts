/**
 * The switch-over, once the app has stopped writing to Supabase: catch up (a sync), make sure
 * nothing is written any more (a quiet moment with no change), the final sync, and the check that
 * Firestore holds the source (the rows changed since the run field by field, every table's
 * document count; or a whole verify). The time from the start (writes stopped) to verified is the
 * downtime, printed and kept in the sync record.
 */
import { mustGet } from '@zhengrowth/model';
import { Timestamp } from 'firebase-admin/firestore';
import type { MigrationContext } from '../context.js';
import { tablesOfUnit } from '../mapping.js';
import { verifyMigration, type VerifyReport } from '../verify/index.js';
import { ChangeSet } from './changes.js';
import { syncRef } from './origin.js';
import { SlotFeed } from './slot-feed.js';
import { syncOnce, syncTarget, type SyncResult } from './index.js';
import { prepare } from '../context.js';

export interface CutoverOptions {
  concurrency: number;
  /** How long nothing may change before the final sync. */
  quietMs: number;
  /** Verify every row, not only those changed since the run. */
  fullVerify: boolean;
  /** The operator says writes are stopped (the supabase source cannot check it). */
  writesStopped: boolean;
}

export interface CutoverResult {
  ok: boolean;
  catchUp: SyncResult;
  final: SyncResult | null;
  /** Changes seen during the quiet moment, per table (writes not stopped). */
  stillWriting: Map<string, number> | null;
  verify: VerifyReport | null;
  ms: { catchUp: number; quiet: number; final: number; verify: number; total: number };
}

/** Changes that arrived after the catch-up, per table: from the slot, or by xmin. */
async function changesDuring(ctx: MigrationContext, quietMs: number): Promise<Map<string, number> | null> {
  const target = await syncTarget(ctx);
  const { doc } = target;
  await new Promise((r) => setTimeout(r, quietMs));
  const changes = new ChangeSet();
  if (doc.mechanism === 'slot' && doc.slot && doc.publication && ctx.source.url) {
    const prepared = await prepare(ctx, { uidMap: target.uidMap });
    const tables = new Set(target.units.flatMap(tablesOfUnit));
    const feed = new SlotFeed(ctx.source.url, doc.slot, doc.publication, (t) => (tables.has(t) ? prepared.catalog.get(t)?.primaryKey : undefined));
    await feed.open();
    try {
      for (const [t, keys] of (await feed.pending()).tables) changes.touch(t, keys.keys());
    } finally {
      await feed.close();
    }
  } else if (ctx.source.changedKeys && ctx.source.refresh) {
    // Rows written since the catch-up's snapshot (deletions do not show without a slot).
    const since = (await syncRef(ctx, target.id).get()).data()?.snapshot;
    if (!since) return null;
    await ctx.source.refresh();
    const prepared = await prepare(ctx, { uidMap: target.uidMap });
    for (const t of target.units.flatMap(tablesOfUnit)) changes.touch(t, await ctx.source.changedKeys(mustGet(prepared.catalog, t, 'source table'), since));
  } else return null;
  const counts = new Map<string, number>();
  for (const [t, keys] of changes.tables) if (keys.size) counts.set(t, keys.size);
  return counts;
}

export async function cutover(ctx: MigrationContext, options: CutoverOptions): Promise<CutoverResult> {
  const t0 = Date.now();
  const target = await syncTarget(ctx);
  if (target.doc.mechanism === 'rewrite' && !options.writesStopped) {
    throw new Error('the supabase source cannot tell whether writes have stopped: stop them (maintenance mode), then run cutover with --writes-stopped');
  }
  const catchUp = await syncOnce(ctx, { concurrency: options.concurrency });
  const t1 = Date.now();
  const still = target.doc.mechanism === 'rewrite' ? new Map<string, number>() : await changesDuring(ctx, options.quietMs);
  const t2 = Date.now();
  const ms = { catchUp: t1 - t0, quiet: t2 - t1, final: 0, verify: 0, total: 0 };
  if (still && still.size > 0) {
    ms.total = Date.now() - t0;
    return { ok: false, catchUp, final: null, stillWriting: still, verify: null, ms };
  }
  // Refresh the snapshot: the final sync and the check read the source as it is now, unchanging.
  await ctx.source.refresh?.();
  const final = await syncOnce(ctx, { concurrency: options.concurrency });
  const t3 = Date.now();
  const runSnapshot = target.doc.run_snapshot;
  const verify = await verifyMigration(ctx, {
    tables: null,
    uidMap: target.uidMap,
    concurrency: options.concurrency,
    changedSince: options.fullVerify || !runSnapshot || !ctx.source.changedKeys ? undefined : runSnapshot,
  });
  const t4 = Date.now();
  ms.final = t3 - t2;
  ms.verify = t4 - t3;
  ms.total = t4 - t0;
  const record = (await syncRef(ctx, target.id).get()).data();
  if (record) {
    await syncRef(ctx, target.id).set({
      ...record,
      cutover: { at: Timestamp.now(), ok: verify.ok, quiet_ms: ms.quiet, sync_ms: ms.catchUp + ms.final, verify_ms: ms.verify, total_ms: ms.total },
      updated_at: Timestamp.now(),
    });
  }
  return { ok: verify.ok, catchUp, final, stillWriting: still, verify, ms };
}
