/**
 * What can be proven before the day: a full verify while the app still writes and syncs go on.
 * Firestore then holds the source as of the last sync's point (the snapshot it recorded); rows
 * changed since may not match yet and count as pending. When every other row matches, that point
 * becomes the verified point (`run_snapshot` of the sync record, the run's own snapshot until
 * then), and `cutover` checks only the rows changed since it, and every table's document count.
 *
 * Once a full verify has proven a point, `verify --since-verified` moves it forward for the price
 * of the rows changed since it: run just before the switch-over, it leaves `cutover` only what the
 * last syncs brought. (Deletions show only in document counts, which hold once writes stop: the
 * cutover counts every table.)
 */
import { Timestamp } from 'firebase-admin/firestore';
import type { MigrationSyncDoc } from '@zhengrowth/model';
import type { MigrationContext } from '../context/index.js';
import { verifyMigration, type VerifyOptions, type VerifyReport } from '../verify/index.js';
import { syncIdOf, syncRef, updateSync } from './origin.js';

export async function verifyAndRecord(
  ctx: MigrationContext,
  options: Omit<VerifyOptions, 'pendingSince' | 'changedSince' | 'ready'>,
  sinceVerified = false,
): Promise<{ report: VerifyReport; recorded: boolean; checked: 'all' | 'changed' }> {
  const id = syncIdOf(ctx);
  const doc = (await syncRef(ctx, id).get()).data();
  const point = doc?.status === 'active' && options.tables === null && ctx.source.changedKeys && ctx.source.refresh ? doc.snapshot : null;
  const since = sinceVerified ? verifiedPoint(doc, point) : undefined;
  // The source is read after the point: a sync that ended after the source was opened would otherwise be ahead of it.
  if (point) await ctx.source.refresh?.();
  const report = await verifyMigration(ctx, { ...options, pendingSince: point ?? undefined, changedSince: since });
  const checked = since ? 'changed' : 'all';
  if (!point || !report.ok) return { report, recorded: false, checked };
  await updateSync(ctx, id, { run_snapshot: point, verified_at: Timestamp.now() });
  return { report, recorded: true, checked };
}

/** The point a passing verify proved, for `--since-verified`; why there is none, in words. */
function verifiedPoint(doc: MigrationSyncDoc | undefined, point: string | null): string {
  if (!point) throw new Error('--since-verified needs an active sync from the postgres source, and every table');
  if (!doc?.verified_at || !doc.run_snapshot) throw new Error('no verified point yet: run a full `zg-migrate verify` first (while the app still writes)');
  return doc.run_snapshot;
}
