/**
 * The run's record in migration_runs: a new attempt when writing starts, its outcome at the end.
 * A new run's checkpoints are reset before its record says "running": the run id is the same for
 * every run of the same source and tables, so a kill between the two the other way round would
 * leave a "running" record over the previous run's "done" checkpoints, and --resume would skip
 * tables whose source rows may have changed since.
 */
import type { MigrationRunDoc } from '@zhengrowth/model';
import { Timestamp } from 'firebase-admin/firestore';
import type { MigrationContext } from '../context/index.js';
import type { TableReport } from './report.js';
import type { Attempt, Status } from '../state/index.js';
import type { Unit } from '../units/index.js';
import type { RunStart } from './start.js';

export interface RunRecord {
  doc: MigrationRunDoc;
  attempt: Attempt;
}

export async function beginRun(ctx: MigrationContext, start: RunStart, units: readonly Unit[]): Promise<RunRecord> {
  const { source, state } = ctx;
  const existing = await state.run(start.runId);
  const attempt: Attempt = {
    started_at: Timestamp.now(),
    finished_at: null,
    status: 'running',
    resumed: start.resumeFrom !== null,
    replay: false,
    written: 0,
    rejected: 0,
    error: null,
  };
  const doc: MigrationRunDoc = existing ?? {
    source_kind: source.kind,
    source: source.description,
    units: start.units,
    uid_map: start.uidMap,
    status: 'running',
    started_at: Timestamp.now(),
    updated_at: Timestamp.now(),
    finished_at: null,
    attempts: [],
    tables: {},
  };
  doc.status = 'running';
  doc.updated_at = Timestamp.now();
  doc.finished_at = null;
  if (!start.resumeFrom) doc.started_at = Timestamp.now();
  doc.attempts.push(attempt);
  if (!start.resumeFrom) {
    await state.reset(
      start.runId,
      units.map((u) => ({ unit: u.name, tables: u.tables })),
    );
  }
  await state.saveRun(start.runId, doc);
  ctx.onEvent?.('started');
  return { doc, attempt };
}

/** The attempt's outcome; a record that cannot be saved is reported, not thrown (the run's own error matters more). */
export async function finishRun(
  ctx: MigrationContext,
  runId: string,
  record: RunRecord,
  tables: TableReport[],
  rejected: number,
  failure: unknown,
): Promise<void> {
  const status: Status = failure ? 'failed' : rejected ? 'completed_with_rejects' : 'completed';
  const { doc, attempt } = record;
  attempt.status = status;
  attempt.finished_at = Timestamp.now();
  attempt.written = tables.reduce((n, t) => n + t.written, 0);
  attempt.rejected = tables.reduce((n, t) => n + t.rejected, 0);
  attempt.error = failure ? String((failure as Error).message ?? failure) : null;
  doc.status = status;
  doc.updated_at = Timestamp.now();
  doc.finished_at = failure ? null : Timestamp.now();
  if (!failure)
    doc.tables = Object.fromEntries(
      tables.map((t) => [t.table, { source_rows: t.source_rows, written: t.written, rejected: t.rejected, duration_ms: t.duration_ms }]),
    );
  await ctx.state.saveRun(runId, doc).catch((err: unknown) => ctx.log(`could not save the run record: ${(err as Error).message}`));
}
