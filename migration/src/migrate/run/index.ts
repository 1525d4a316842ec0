/**
 * `zg-migrate run`: every unit's rows transformed, checked and written, the Auth users imported,
 * checkpoints moved as batches commit. Killed at any point, `--resume` continues from the
 * checkpoints and ends with the same documents as an uninterrupted run. By default each page is
 * checked as it is read and written at once (stream-items.ts); `--preflight-first` checks every
 * row before the first write (preflight-pass.ts), and `--dry-run` only checks.
 */
import type { MigrationContext } from '../context/index.js';
import { prepare } from '../context/index.js';
import { makeGovernor } from '../target/governor.js';
import { formatPreflight, newStats, type PreflightStats } from './preflight.js';
import { deadLetters, MigrationStopped, writeRejectsFile, type Report, type RunResult, type TableReport } from './report.js';
import { UsageProblem } from '../plan/select.js';
import { removeStaleSpillDirs, SpillDir } from './spill.js';
import { emptyCounts } from '../state/index.js';
import type { UidMapMode } from '../units/users.js';
import { WriteFailedError } from '../target/retries.js';
import { runPreflightPhase, spilledItems, type PreflightOutcome } from './preflight-pass.js';
import { beginRun, finishRun } from './record.js';
import { resolveStart, unitStarts } from './start.js';
import { streamedItems } from './stream-items.js';
import { recordSyncOrigin } from '../sync/origin.js';
import { makeCommitter } from '../context/committer.js';
import { writeUnits, type WriteOutcome } from './write-pass.js';
import { planWork, type Work } from './work.js';

export interface RunOptions {
  /** Source tables to migrate (auth.users included); null: all. */
  tables: string[] | null;
  dryRun: boolean;
  resume: boolean;
  concurrency: number;
  /** null: `same`, or what the resumed run used. */
  uidMap: UidMapMode | null;
  maxOpsPerSecond?: number;
  /** Write rejected rows, whole, to this NDJSON file. */
  rejectsFile?: string;
  /** Check every row before the first write (a phase of its own, spilled to disk), as `--dry-run` does. */
  preflightFirst?: boolean;
}

const fmt = (n: number): string => n.toLocaleString('en');

function sourceNotices(ctx: MigrationContext): void {
  if (!ctx.source.canReadAuthUsers) {
    ctx.log(
      'The supabase source cannot read auth.users (the API does not expose the auth schema): users come from zg_profiles and user_roles, ' +
        'without password hashes, marked password_reset_required on users/{uid}; they must reset their password.',
    );
  }
  if (!ctx.source.consistent)
    ctx.log('The supabase source reads page by page, not from one snapshot: stop writes to the database (maintenance mode) for an exact copy.');
}

function printPreflight(ctx: MigrationContext, stats: Map<string, PreflightStats>, heading: string): void {
  ctx.out(heading);
  for (const line of formatPreflight([...stats.values()].sort((a, b) => a.table.localeCompare(b.table)))) ctx.out(`  ${line}`);
}

function dryRunReport(ctx: MigrationContext, work: Work, pre: PreflightOutcome, rejectsFile: string | undefined): RunResult {
  const tables: TableReport[] = [];
  for (const u of work.units) {
    for (const t of u.tables) {
      const s = pre.stats.get(t) ?? newStats(t);
      tables.push({ table: t, source_rows: work.totals.get(t) ?? s.rows, written: s.rows - s.rejected, rejected: s.rejected, duration_ms: 0 });
    }
  }
  if (rejectsFile) writeRejectsFile(rejectsFile, pre.rejects);
  const report: Report = {
    ok: pre.rejects.length === 0 && tables.every((t) => t.source_rows === t.written + t.rejected),
    tables,
    rejects: pre.rejects.map((r) => ({ table: r.table, key: r.key, reason: r.reason })),
  };
  ctx.out(`Dry run: nothing was written. ${fmt(tables.reduce((n, t) => n + t.written, 0))} rows would be written, ${fmt(pre.rejects.length)} rejected.`);
  return { report, runId: null };
}

async function tableReports(ctx: MigrationContext, work: Work, outcome: WriteOutcome): Promise<TableReport[]> {
  const tables: TableReport[] = [];
  for (const u of work.units) {
    const counts = outcome.counts.get(u.name) ?? (await ctx.state.checkpoint(u.name))?.counts ?? emptyCounts(u.tables);
    for (const t of u.tables) {
      const c = counts[t] ?? { written: 0, rejected: 0 };
      tables.push({
        table: t,
        source_rows: work.totals.get(t) ?? 0,
        written: c.written,
        rejected: c.rejected,
        duration_ms: outcome.durations.get(u.name) ?? 0,
      });
    }
  }
  return tables;
}

export async function runMigration(ctx: MigrationContext, options: RunOptions): Promise<RunResult> {
  const t0 = Date.now();
  if (options.dryRun && options.resume) throw new UsageProblem('--dry-run and --resume do not go together: a dry run starts nothing to resume');
  const start = await resolveStart(ctx, options);
  sourceNotices(ctx);
  const prepared = await prepare(ctx, { uidMap: start.uidMap });
  const { source } = ctx;
  ctx.log(
    `Source: ${source.description}; ${fmt(prepared.users.size)} users; uid map: ${start.uidMap}; target project ${ctx.projectId}${ctx.emulator ? ' (emulator)' : ''}`,
  );
  const units = start.units.map((name) => prepared.unit(name));
  const work = await planWork(units, await unitStarts(ctx, start, units), options.concurrency);
  const preparing = Date.now() - t0;

  const phased = options.dryRun || options.preflightFirst === true;
  // The pre-flight phase's output (every migrated document) waits on disk for the write pass.
  const spillDir =
    phased && !options.dryRun
      ? new SpillDir((signal) => ctx.log(`zg-migrate: stopped by ${signal}; the checkpoints are saved: \`zg-migrate run --resume\` continues from them.`))
      : null;
  // Folders of earlier runs killed outright hold migrated documents: whichever run comes next removes them.
  const swept = spillDir ? spillDir.swept : options.dryRun ? [] : removeStaleSpillDirs();
  if (swept.length) ctx.log(`Removed ${swept.length} spill folder(s) left by earlier runs that were killed: ${swept.join(', ')}`);
  let pre: PreflightOutcome | null = null;
  if (phased) {
    try {
      pre = await runPreflightPhase(ctx, prepared, work, { dryRun: options.dryRun, concurrency: options.concurrency, spillDir });
    } catch (err) {
      spillDir?.remove();
      throw err;
    }
    printPreflight(ctx, pre.stats, `Pre-flight (${start.resumeFrom ? 'rows after the checkpoints' : 'every row'}, ${pre.seconds.toFixed(1)} s):`);
    if (options.dryRun) return dryRunReport(ctx, work, pre, options.rejectsFile);
  }

  const governor = makeGovernor({ maxOpsPerSecond: options.maxOpsPerSecond, emulator: ctx.emulator });
  ctx.log(`Write governor: ${governor.describe()}`);
  const writeStarted = Date.now();
  const record = await beginRun(ctx, start, units);
  if (!start.resumeFrom) await recordSyncOrigin(ctx, start.runId);
  const stats = new Map<string, PreflightStats>();
  const outcome: WriteOutcome = { durations: new Map(), counts: new Map() };
  let failure: unknown = null;
  try {
    const itemsOf = pre ? spilledItems(pre) : streamedItems(ctx.commits.database, stats);
    await writeUnits(ctx, start.runId, work, makeCommitter(ctx, governor), options.concurrency, itemsOf, outcome);
  } catch (err) {
    failure = err;
  } finally {
    spillDir?.remove();
  }
  const writing = Date.now() - writeStarted;
  if (!pre && !failure) printPreflight(ctx, stats, `Pre-flight, checked while writing (${start.resumeFrom ? 'rows after the checkpoints' : 'every row'}):`);

  const tables = await tableReports(ctx, work, outcome);
  const allTables = units.flatMap((u) => u.tables);
  const rejected = failure ? [] : (await ctx.state.rejects(allTables)).filter((r) => r.status === 'rejected');
  const mismatch = tables.filter((t) => t.source_rows !== t.written + t.rejected);
  if (!failure && mismatch.length) {
    ctx.log(
      `warning: the source changed while the migration ran (rows counted ≠ written + rejected for ${mismatch.map((t) => t.table).join(', ')}); ` +
        'run again without --resume on a database nobody writes to',
    );
  }
  const report: Report = {
    ok: !failure && rejected.length === 0 && mismatch.length === 0,
    tables,
    rejects: rejected.map((r) => ({ table: r.table, key: r.key, reason: r.reason })),
  };
  await finishRun(ctx, start.runId, record, tables, rejected.length, failure);
  if (failure) {
    const why = failure instanceof WriteFailedError ? failure.message : (failure as Error).message;
    throw new MigrationStopped(`${why}\nThe checkpoints are saved: run the same command with --resume to continue where it stopped.`, report);
  }
  if (options.rejectsFile) writeRejectsFile(options.rejectsFile, await deadLetters(ctx.state, prepared.catalog, allTables, source));
  ctx.out(
    `Time: preparing ${(preparing / 1000).toFixed(1)} s, ${pre ? `pre-flight ${pre.seconds.toFixed(1)} s, ` : ''}writing ${(writing / 1000).toFixed(1)} s, finishing ${((Date.now() - writeStarted - writing) / 1000).toFixed(1)} s`,
  );
  return { report, runId: start.runId };
}
