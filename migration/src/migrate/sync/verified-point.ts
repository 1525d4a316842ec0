/**
 * What can be proven before the day: a full verify while the app still writes and syncs go on.
 * Firestore then holds the source as of the last sync's point (the snapshot it recorded); rows
 * changed since may not match yet and count as pending. When every other row matches, that point
 * becomes the verified point (`run_snapshot` of the sync record, the run's own snapshot until
 * then), and `cutover` checks only the rows changed since it, and every table's document count.
 */
import type { MigrationContext } from '../context/index.js';
import { verifyMigration, type VerifyOptions, type VerifyReport } from '../verify/index.js';
import { syncIdOf, syncRef, updateSync } from './origin.js';

export async function verifyAndRecord(
  ctx: MigrationContext,
  options: Omit<VerifyOptions, 'pendingSince' | 'changedSince' | 'ready'>,
): Promise<{ report: VerifyReport; recorded: boolean }> {
  const id = syncIdOf(ctx);
  const doc = (await syncRef(ctx, id).get()).data();
  const point = doc?.status === 'active' && options.tables === null && ctx.source.changedKeys && ctx.source.refresh ? doc.snapshot : null;
  // The source is read after the point: a sync that ended after the source was opened would otherwise be ahead of it.
  if (point) await ctx.source.refresh?.();
  const report = await verifyMigration(ctx, { ...options, pendingSince: point ?? undefined });
  if (!point || !report.ok) return { report, recorded: false };
  await updateSync(ctx, id, { run_snapshot: point });
  return { report, recorded: true };
}
