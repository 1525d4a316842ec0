/**
 * The switch-over, once the app has stopped writing to Supabase. What could be proven before the
 * day was (a full `verify` while the app ran recorded its verified point); the cutover proves the
 * rest, in parallel where it can:
 *
 * 1. the final sync, and with it the check — each table checked as soon as the sync is done with
 *    it: its rows changed since the verified point, field by field, and its document count (or
 *    every row, `--full-verify`);
 * 2. silence, from the source's WAL: nothing committed after the final sync's position up to the
 *    end of the check (the slot holds no later change), and — with `--quiet-seconds` — no change
 *    for at least that long before the check ended, by the commit time of the last change. No
 *    fixed wait: writes that go on show as changes after the position, and the cutover refuses.
 *
 * The time from the start (writes stopped) to verified and silent is the downtime, printed and
 * kept in the sync record.
 */
import { mustGet } from '@zhengrowth/model';
import { Timestamp } from 'firebase-admin/firestore';
import type { MigrationContext } from '../context/index.js';
import { tablesOfUnit } from '../plan/mapping.js';
import { verifyMigration, type VerifyReport } from '../verify/index.js';
import { updateSync } from './origin.js';
import { pendingChanges, streamTable } from './slot-sync.js';
import { SlotFeed } from './slot-feed.js';
import { syncOnce, syncTarget, type SyncResult } from './index.js';
import { Gates } from './gates.js';

export interface CutoverOptions {
  concurrency: number;
  /** How long the source must have been silent (by the WAL's commit times) when the check ends. */
  quietMs: number;
  /** Verify every row, not only those changed since the verified point. */
  fullVerify: boolean;
  /** The operator says writes are stopped (the supabase source cannot check it). */
  writesStopped: boolean;
}

export interface Silence {
  /** Changes committed after the final sync's position, per table: writes have not stopped. */
  stillWriting: Map<string, number>;
  /** How long the WAL shows the source silent when the check ended (null: it cannot tell, no slot). */
  silentMs: number | null;
  /** Deletions could not be seen (no slot). */
  blindToDeletes: boolean;
}

export interface CutoverResult {
  ok: boolean;
  final: SyncResult;
  silence: Silence;
  verify: VerifyReport | null;
  /** What the check compared field by field: the rows changed since the verified point, or all. */
  checked: 'changed' | 'all';
  /** sync and verify run in parallel from the start; quiet: the silence check (and any wait) after both. */
  ms: { sync: number; verify: number; quiet: number; total: number };
}

/** Changes after the final sync's position: from the slot, or by xmin (deletions do not show then). */
async function silence(ctx: MigrationContext, final: SyncResult, units: readonly string[], quietMs: number): Promise<Silence> {
  const target = await syncTarget(ctx);
  const { doc } = target;
  const stillWriting = new Map<string, number>();
  if (doc.mechanism === 'slot' && doc.slot && doc.publication && ctx.source.url) {
    // Only the primary keys are needed to name what changed.
    const catalog = await ctx.source.catalog(units.flatMap(tablesOfUnit));
    const feed = new SlotFeed(ctx.source.url, doc.slot, doc.publication, (t) => streamTable(catalog.get(t), false));
    await feed.open();
    try {
      for (let attempt = 0; ; attempt++) {
        const pending = await pendingChanges(feed);
        for (const [t, keys] of pending.changes.tables) if (keys.size) stillWriting.set(t, keys.size);
        const since = final.lastCommitAt ?? final.at ?? pending.now;
        const silentMs = pending.now.getTime() - since.getTime();
        // Silent since the last change, but not for long enough yet: wait out the rest once, then look again.
        if (stillWriting.size > 0 || silentMs >= quietMs || attempt > 0) return { stillWriting, silentMs, blindToDeletes: false };
        await new Promise((r) => setTimeout(r, quietMs - silentMs));
      }
    } finally {
      await feed.close();
    }
  }
  if (doc.mechanism === 'xmin' && ctx.source.changedKeys && ctx.source.refresh && final.applied) {
    await ctx.source.refresh();
    const catalog = await ctx.source.catalog(units.flatMap(tablesOfUnit));
    for (const t of units.flatMap(tablesOfUnit)) {
      const n = (await ctx.source.changedKeys(mustGet(catalog, t, 'source table'), final.applied)).length;
      if (n) stillWriting.set(t, n);
    }
    return { stillWriting, silentMs: null, blindToDeletes: true };
  }
  // The supabase source: the operator said writes stopped (--writes-stopped).
  return { stillWriting, silentMs: null, blindToDeletes: true };
}

export async function cutover(ctx: MigrationContext, options: CutoverOptions): Promise<CutoverResult> {
  const t0 = Date.now();
  const target = await syncTarget(ctx);
  if (target.doc.mechanism === 'rewrite' && !options.writesStopped) {
    throw new Error('the supabase source cannot tell whether writes have stopped: stop them (maintenance mode), then run cutover with --writes-stopped');
  }
  const since = options.fullVerify || !ctx.source.changedKeys ? null : target.doc.run_snapshot;
  const gates = new Gates();
  const ms = { sync: 0, verify: 0, quiet: 0, total: 0 };
  const syncing = syncOnce(ctx, { concurrency: options.concurrency, onPositioned: () => gates.open(Gates.SOURCE), onApplied: (u) => gates.open(u) }).then(
    (r) => {
      ms.sync = Date.now() - t0;
      return r;
    },
    (err: unknown) => {
      gates.fail(err);
      throw err;
    },
  );
  // The check reads the source once the final sync has fixed its position (and the snapshot after it).
  const verifying = gates.wait(Gates.SOURCE).then(async () => {
    const report = await verifyMigration(ctx, {
      tables: null,
      uidMap: target.uidMap,
      concurrency: options.concurrency,
      changedSince: since ?? undefined,
      ready: (u) => gates.wait(u),
    });
    ms.verify = Date.now() - t0;
    return report;
  });
  const [final, verify] = await Promise.all([syncing, verifying]);
  const t1 = Date.now();
  const quiet = await silence(ctx, final, target.units, options.quietMs);
  ms.quiet = Date.now() - t1;
  ms.total = Date.now() - t0;
  const ok = verify.ok && quiet.stillWriting.size === 0;
  await updateSync(ctx, target.id, {
    cutover: { at: Timestamp.now(), ok, quiet_ms: ms.quiet, sync_ms: ms.sync, verify_ms: ms.verify, total_ms: ms.total },
    updated_at: Timestamp.now(),
  });
  return {
    ok,
    final,
    silence: quiet,
    verify,
    checked: since ? 'changed' : 'all',
    ms,
  };
}
