/**
 * `zg-migrate run`: pre-flight every unit (transform and check every row, write nothing), import the
 * Auth users, then write every unit, checkpointing as batches commit. Killed at any point, `--resume`
 * continues from the checkpoints and ends with the same documents as an uninterrupted run.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { Auth } from 'firebase-admin/auth';
import type { Firestore } from 'firebase-admin/firestore';
import { importBatch } from './auth-import.js';
import type { CommitChannel } from './commit-channel.js';
import type { SourceRow, SourceTable } from './catalog.js';
import { loadIndexConfig } from './limits.js';
import { readSpill, SpillDir } from './spill.js';
import { mergeStats, newStats, runTask, type PreflightStats, type PreflightTask, type TaskResult } from './preflight.js';
import type { FromWorker, ToWorker, WorkerData } from './preflight-worker.js';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { allUnits, AUTH_TABLE, SOURCE_TABLES, tablesOfUnit, unitOfTable, USERS_UNIT } from './mapping.js';
import { makeGovernor, type Governor } from './governor.js';
import type { Progress } from './progress.js';
import type { Source } from './sources/source.js';
import { emptyCounts, MigrationState, runIdOf, type Attempt, type Status } from './state.js';
import { authUnit, tableUnit, usersUnit, type RejectedRow, type Unit, type UnitContext, type WorkItem } from './units.js';
import { loadUserSet, type UidMapMode, type UserSet } from './users.js';
import { Committer, UnitWriter, WriteFailedError, type Counts } from './writer.js';
import { WriteEncoder } from './wire.js';
import { FirstFailure } from './first-failure.js';
import { Timestamp } from 'firebase-admin/firestore';
import { mustGet } from '@zhengrowth/model';

export interface TableReport {
  table: string;
  source_rows: number;
  written: number;
  rejected: number;
  duration_ms: number;
}

export interface Report {
  ok: boolean;
  tables: TableReport[];
  rejects: Array<{ table: string; key: string; reason: string }>;
}

export interface MigrationEnv {
  source: Source;
  db: Firestore;
  /** The write pass's path to the same database (commit-channel.ts). */
  commits: CommitChannel;
  auth: Auth;
  projectId: string;
  emulator: boolean;
  progress: Progress;
  /** Summary lines (stdout). A function property: it is handed on alone, without `env`. */
  out: (line: string) => void;
  /** Notes and warnings (stderr, above the progress bars). */
  log: (line: string) => void;
  /** Test hook: called after every commit, checkpoint and Auth batch. */
  onEvent?: (event: 'started' | 'commit' | 'checkpoint' | 'auth') => void;
}

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
  /** Commits in flight (default 4). */
  inFlight?: number;
}

export interface RunResult {
  report: Report;
  runId: string | null;
}

export type { PreflightStats } from './preflight.js';

export class UsageProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageProblem';
  }
}

const MAX_BATCH_DOCS = 500;
/** Request bytes per batch (exact: the writes are encoded): the emulator refuses requests over 4 MiB; stay well under. */
const MAX_BATCH_BYTES = 2.5 * 1024 * 1024;

function fmt(n: number): string {
  return n.toLocaleString('en');
}

/** Units selected by --tables (a table of the users unit brings its partner). */
export function selectUnits(tables: string[] | null): { units: string[]; notes: string[] } {
  const notes: string[] = [];
  if (tables === null) return { units: allUnits(), notes };
  const known = new Set<string>([...SOURCE_TABLES, AUTH_TABLE]);
  const unknown = tables.filter((t) => !known.has(t));
  if (unknown.length) throw new UsageProblem(`option --tables: no such table ${unknown.join(', ')} (the 45 tables of the schema, and auth.users)`);
  const units: string[] = [];
  for (const t of tables) {
    const u = unitOfTable(t);
    if (!units.includes(u)) units.push(u);
  }
  if (units.includes(USERS_UNIT) && !(tables.includes('zg_profiles') && tables.includes('user_roles'))) {
    notes.push('zg_profiles and user_roles make users/{uid} together: both are migrated.');
  }
  return { units: allUnits().filter((u) => units.includes(u)), notes };
}

/** Runs `worker` over the items with at most `limit` at a time. */
export async function pool<T>(items: readonly T[], limit: number, worker: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const failure = new FirstFailure();
  const runners = Array.from({ length: Math.max(1, Math.min(limit, queue.length)) }, async () => {
    for (;;) {
      if (failure.failed) return;
      const next = queue.shift();
      if (next === undefined) return;
      try {
        await worker(next);
      } catch (err) {
        failure.record(err);
      }
    }
  });
  await Promise.all(runners);
  failure.rethrow();
}

export function formatPreflight(stats: PreflightStats[]): string[] {
  const head = ['table', 'rows', 'documents', 'rejected', 'largest doc (bytes)', 'deepest', 'max index entries', 'escaped keys'];
  const rows = stats.map((s) => [
    s.table,
    fmt(s.rows),
    fmt(s.documents),
    fmt(s.rejected),
    fmt(s.largestBytes),
    String(s.deepest),
    fmt(s.maxIndexEntries),
    fmt(s.escapedKeys),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const out = [line(head), line(widths.map((w) => '-'.repeat(w)))];
  for (const r of rows) out.push(line(r));
  for (const s of stats) {
    for (const [kind, n] of [...s.reasons].sort((a, b) => b[1] - a[1]).slice(0, 5)) out.push(`  ${s.table}: ${fmt(n)} × ${kind}`);
  }
  return out;
}

interface Prepared {
  ctx: UnitContext;
  units: Unit[];
  users: UserSet;
  catalog: Map<string, SourceTable>;
}

async function prepare(env: MigrationEnv, unitNames: string[], uidMap: UidMapMode, now: Date): Promise<Prepared> {
  const { source } = env;
  const tables: string[] = [...SOURCE_TABLES];
  if (source.canReadAuthUsers) tables.push(AUTH_TABLE);
  const catalog = await source.catalog(tables);
  const missing = tables.filter((t) => !catalog.has(t));
  if (missing.length) throw new Error(`the source lacks table(s) ${missing.join(', ')}: is it the ZhenGrowth Supabase database?`);
  const users = await loadUserSet(source, catalog, { uidMap, auth: env.auth, log: env.log });
  const ctx: UnitContext = { source, catalog, users, transform: { users, indexes: loadIndexConfig() } };
  const units = unitNames.map((u) => (u === AUTH_TABLE ? authUnit(ctx, now) : u === USERS_UNIT ? usersUnit(ctx, !source.canReadAuthUsers) : tableUnit(ctx, u)));
  return { ctx, units, users, catalog };
}

/** The rejected rows, whole: from the state (or the source, for rows too large to keep there). */
async function deadLetters(state: MigrationState, prepared: Prepared, tables: string[], source: Source): Promise<RejectedRow[]> {
  const out: RejectedRow[] = [];
  for (const r of await state.rejects(tables)) {
    if (r.status !== 'rejected') continue;
    let row = r.row;
    if (row === null) {
      const t = prepared.catalog.get(r.table);
      if (t) row = (await source.byKeys(t, t.primaryKey, [r.key]))[0] ?? null;
    }
    out.push({ table: r.table, key: r.key, reason: r.reason, row: row ?? {} });
  }
  return out;
}

export function writeRejectsFile(file: string, rows: readonly RejectedRow[]): void {
  fs.writeFileSync(file, rows.map((r) => JSON.stringify({ table: r.table, key: r.key, reason: r.reason, row: r.row })).join('\n') + (rows.length ? '\n' : ''));
}

export async function runMigration(env: MigrationEnv, options: RunOptions): Promise<RunResult> {
  const { source } = env;
  const now = new Date();
  const phaseStart = Date.now();
  if (options.dryRun && options.resume) throw new UsageProblem('--dry-run and --resume do not go together: a dry run starts nothing to resume');
  const state = new MigrationState(env.db);

  // Which units, which uid map: from the options, or from the run being resumed.
  let { units: unitNames, notes } = selectUnits(options.tables);
  let uidMap: UidMapMode = options.uidMap ?? 'same';
  let resumeFrom: Awaited<ReturnType<MigrationState['unfinished']>> = null;
  if (options.resume) {
    resumeFrom = await state.unfinished();
    if (!resumeFrom) {
      env.log('--resume: no unfinished run in this project; starting a new one.');
    } else {
      const r = resumeFrom.doc;
      if (options.tables !== null && [...unitNames].sort().join() !== [...r.units].sort().join()) {
        throw new UsageProblem(`option --tables: the unfinished run covers ${r.units.join(', ')}; resume it with the same tables (or leave --tables out)`);
      }
      if (options.uidMap !== null && options.uidMap !== r.uid_map) throw new UsageProblem(`option --uid-map: the unfinished run used --uid-map ${r.uid_map}`);
      if (r.source !== source.description || r.source_kind !== source.kind) {
        throw new UsageProblem(`option --source: the unfinished run read ${r.source}; resume it from the same source`);
      }
      unitNames = r.units;
      uidMap = r.uid_map;
      notes = [];
    }
  }
  for (const n of notes) env.log(n);
  if (!source.canReadAuthUsers) {
    env.log(
      'The supabase source cannot read auth.users (the API does not expose the auth schema): users come from zg_profiles and user_roles, ' +
        'without password hashes, marked password_reset_required on users/{uid}; they must reset their password.',
    );
  }
  if (!source.consistent)
    env.log('The supabase source reads page by page, not from one snapshot: stop writes to the database (maintenance mode) for an exact copy.');

  const prepared = await prepare(env, unitNames, uidMap, now);
  env.log(
    `Source: ${source.description}; ${fmt(prepared.users.size)} users; uid map: ${uidMap}; target project ${env.projectId}${env.emulator ? ' (emulator)' : ''}`,
  );
  const runId = runIdOf({ sourceKind: source.kind, source: source.description, units: unitNames, uidMap });

  // Where each unit starts.
  const start = new Map<string, { key: string | null; counts: Counts; done: boolean }>();
  if (resumeFrom) {
    for (const u of prepared.units) {
      const cp = await state.checkpoint(u.name);
      if (cp && cp.run_id === resumeFrom.id) start.set(u.name, { key: cp.last_key, counts: cp.counts, done: cp.done });
    }
  }
  const startOf = (u: Unit): { key: string | null; counts: Counts; done: boolean } =>
    start.get(u.name) ?? { key: null, counts: emptyCounts(u.tables), done: false };

  // Source row counts (in the snapshot) for the report, progress and the plan of work.
  const totals = new Map<string, number>();
  await pool(prepared.units, options.concurrency, async (u) => {
    for (const [t, n] of Object.entries(await u.count())) totals.set(t, n);
  });
  /** Rows left in a unit: all of them when it starts from the beginning. */
  const remaining = async (u: Unit, key: string | null): Promise<number> =>
    key === null && u.tables.length === 1 && u.name !== AUTH_TABLE ? (totals.get(u.name) ?? 0) : u.remaining(key);
  // The largest units first, so that the long ones start at once and the small ones fill the gaps.
  const size = (u: Unit): number => u.tables.reduce((n, t) => n + (totals.get(t) ?? 0), 0);
  const bySize = [...prepared.units].sort((a, b) => size(b) - size(a));

  // Pre-flight: every remaining row transformed and checked; nothing written.
  const stats = new Map<string, PreflightStats>();
  const dryRejects: RejectedRow[] = [];
  // What the pre-flight produced, for the write pass to write as it is (see spill.ts).
  const spillDir = options.dryRun
    ? null
    : new SpillDir((signal) => env.log(`zg-migrate: stopped by ${signal}; the checkpoints are saved: \`zg-migrate run --resume\` continues from them.`));
  if (spillDir?.swept.length) env.log(`Removed ${spillDir.swept.length} spill folder(s) left by earlier runs that were killed: ${spillDir.swept.join(', ')}`);
  const spills = new Map<string, string[]>();
  const todo = bySize.filter((u) => !startOf(u).done);
  const preflightStarted = Date.now();
  const preparing = preflightStarted - phaseStart;
  try {
    const rowsLeft = new Map<string, number>();
    for (const u of todo) rowsLeft.set(u.name, await remaining(u, startOf(u).key));
    const threads = preflightThreads(
      source,
      [...rowsLeft.values()].reduce((a, b) => a + b, 0),
    );
    const chunkRows = Number(process.env.ZG_MIGRATE_PREFLIGHT_CHUNK ?? 10_000);
    const tasks: PreflightTask[] = [];
    for (const u of todo) {
      const from = startOf(u).key;
      // Large tables are cut in key ranges that the threads share.
      const cuts = threads > 0 && u.split && (rowsLeft.get(u.name) ?? 0) > chunkRows * 1.5 ? await u.split(from, chunkRows) : [];
      const bounds = [from, ...cuts];
      const files: string[] = [];
      bounds.forEach((after, i) => {
        // The Auth unit has nothing costly to redo: its write pass reads auth.users again.
        const file = spillDir && u.name !== AUTH_TABLE ? spillDir.file(`${u.name}.${i}.v8`) : null;
        if (file) files.push(file);
        tasks.push({
          id: tasks.length,
          unit: u.name,
          after,
          until: bounds[i + 1] ?? null,
          file,
          database: env.commits.database,
          collectRejects: options.dryRun,
        });
      });
      spills.set(u.name, files);
    }
    await runPreflight(env, todo, tasks, rowsLeft, threads, prepared, options.concurrency, (r) => {
      mergeStats(stats, r.stats);
      dryRejects.push(...r.rejects);
    });
  } catch (err) {
    spillDir?.remove();
    throw err;
  }
  const preflight = [...stats.values()].sort((a, b) => a.table.localeCompare(b.table));
  env.out(`Pre-flight (${resumeFrom ? 'rows after the checkpoints' : 'every row'}, ${((Date.now() - preflightStarted) / 1000).toFixed(1)} s):`);
  for (const line of formatPreflight(preflight)) env.out(`  ${line}`);

  if (options.dryRun) {
    const tables: TableReport[] = [];
    for (const u of prepared.units) {
      for (const t of u.tables) {
        const s = stats.get(t) ?? newStats(t);
        tables.push({ table: t, source_rows: totals.get(t) ?? s.rows, written: s.rows - s.rejected, rejected: s.rejected, duration_ms: 0 });
      }
    }
    if (options.rejectsFile) writeRejectsFile(options.rejectsFile, dryRejects);
    const report: Report = {
      ok: dryRejects.length === 0 && tables.every((t) => t.source_rows === t.written + t.rejected),
      tables,
      rejects: dryRejects.map((r) => ({ table: r.table, key: r.key, reason: r.reason })),
    };
    env.out(`Dry run: nothing was written. ${fmt(tables.reduce((n, t) => n + t.written, 0))} rows would be written, ${fmt(dryRejects.length)} rejected.`);
    return { report, runId: null };
  }

  // The run record.
  const governor: Governor = makeGovernor({ maxOpsPerSecond: options.maxOpsPerSecond, emulator: env.emulator });
  env.log(`Write governor: ${governor.describe()}`);
  const writeStarted = Date.now();
  const existing = await state.run(runId);
  const attempt: Attempt = {
    started_at: Timestamp.now(),
    finished_at: null,
    status: 'running',
    resumed: resumeFrom !== null,
    replay: false,
    written: 0,
    rejected: 0,
    error: null,
  };
  const record = existing ?? {
    source_kind: source.kind,
    source: source.description,
    units: unitNames,
    uid_map: uidMap,
    status: 'running' as Status,
    started_at: Timestamp.now(),
    updated_at: Timestamp.now(),
    finished_at: null,
    attempts: [],
    tables: {},
  };
  record.status = 'running';
  record.updated_at = Timestamp.now();
  record.finished_at = null;
  if (!resumeFrom) record.started_at = Timestamp.now();
  record.attempts.push(attempt);
  // A new run's checkpoints are reset before its record says "running": the run id is the same for
  // every run of the same source and tables, so a kill between the two the other way round would
  // leave a "running" record over the previous run's "done" checkpoints, and --resume would skip
  // tables whose source rows may have changed since.
  if (!resumeFrom) {
    await state.reset(
      runId,
      prepared.units.map((u) => ({ unit: u.name, tables: u.tables })),
    );
  }
  await state.saveRun(runId, record);
  env.onEvent?.('started');

  const committer = new Committer(env.commits, {
    maxInFlight: options.inFlight ?? Number(process.env.ZG_MIGRATE_IN_FLIGHT ?? 4),
    maxBatchDocs: MAX_BATCH_DOCS,
    maxBatchBytes: MAX_BATCH_BYTES,
    governor,
    onCommit: () => env.onEvent?.('commit'),
    log: (line) => env.progress.log(line),
  });

  const rejectEncoder = new WriteEncoder(env.commits.database);
  const durations = new Map<string, number>();
  const finalCounts = new Map<string, Counts>();
  let failure: unknown = null;
  try {
    await pool(bySize, options.concurrency, async (u) => {
      const from = startOf(u);
      if (from.done) {
        finalCounts.set(u.name, from.counts);
        return;
      }
      const t0 = Date.now();
      const task = env.progress.task('write', u.name, await remaining(u, from.key));
      const checkpoint = async (key: string | null, counts: Counts, done = false): Promise<void> => {
        await state.saveCheckpoint(u.name, { run_id: runId, tables: u.tables, last_key: key, done, counts });
        env.onEvent?.('checkpoint');
      };
      if (u.name === AUTH_TABLE) {
        const counts = structuredClone(from.counts);
        let key = from.key;
        for await (const page of u.items(from.key)) {
          await importAuthPage(env, state, runId, page, counts);
          key = page[page.length - 1]?.key ?? key;
          await checkpoint(key, counts);
          env.onEvent?.('auth');
          task.add(page.length);
        }
        await checkpoint(key, counts, true);
        finalCounts.set(u.name, counts);
      } else {
        const writer = new UnitWriter(
          committer,
          u.name,
          { key: from.key, counts: from.counts },
          (key, counts) => checkpoint(key, counts),
          (n) => task.add(n),
        );
        const files = spills.get(u.name);
        if (!files) throw new Error(`no pre-flight output for ${u.name}`);
        for await (const page of readSpills(files)) {
          for (const item of page) {
            const writes = [item.writes];
            // A rejected row's record goes in the same batch as its neighbours (see writer.ts).
            for (const r of item.rejects) {
              const w = state.rejectWrite({ table: r.table, key: r.key, reason: r.reason, row: r.row, runId });
              writes.push(rejectEncoder.encode(w.path, w.data));
            }
            await writer.push({ key: item.key, writes, docs: item.docs + item.rejects.length, counts: item.counts });
          }
        }
        await writer.finish();
        await checkpoint(writer.doneKey, writer.done, true);
        finalCounts.set(u.name, writer.done);
      }
      task.finish();
      durations.set(u.name, Date.now() - t0);
    });
  } catch (err) {
    failure = err;
  } finally {
    spillDir?.remove();
  }

  const writing = Date.now() - writeStarted;
  // The report, from the checkpoints (rows done in earlier attempts included).
  const tables: TableReport[] = [];
  for (const u of prepared.units) {
    const counts = finalCounts.get(u.name) ?? (await state.checkpoint(u.name))?.counts ?? emptyCounts(u.tables);
    for (const t of u.tables) {
      const c = counts[t] ?? { written: 0, rejected: 0 };
      tables.push({ table: t, source_rows: totals.get(t) ?? 0, written: c.written, rejected: c.rejected, duration_ms: durations.get(u.name) ?? 0 });
    }
  }
  const allTables = prepared.units.flatMap((u) => u.tables);
  const rejects = failure ? [] : await state.rejects(allTables);
  const rejected = rejects.filter((r) => r.status === 'rejected');
  const mismatch = tables.filter((t) => t.source_rows !== t.written + t.rejected);
  if (!failure && mismatch.length) {
    env.log(
      `warning: the source changed while the migration ran (rows counted ≠ written + rejected for ${mismatch.map((t) => t.table).join(', ')}); ` +
        'run again without --resume on a database nobody writes to',
    );
  }
  const report: Report = {
    ok: !failure && rejected.length === 0 && mismatch.length === 0,
    tables,
    rejects: rejected.map((r) => ({ table: r.table, key: r.key, reason: r.reason })),
  };

  const status: Status = failure ? 'failed' : rejected.length ? 'completed_with_rejects' : 'completed';
  attempt.status = status;
  attempt.finished_at = Timestamp.now();
  attempt.written = tables.reduce((n, t) => n + t.written, 0);
  attempt.rejected = tables.reduce((n, t) => n + t.rejected, 0);
  attempt.error = failure ? String((failure as Error).message ?? failure) : null;
  record.status = status;
  record.updated_at = Timestamp.now();
  record.finished_at = failure ? null : Timestamp.now();
  if (!failure)
    record.tables = Object.fromEntries(
      tables.map((t) => [t.table, { source_rows: t.source_rows, written: t.written, rejected: t.rejected, duration_ms: t.duration_ms }]),
    );
  await state.saveRun(runId, record).catch((err: unknown) => env.log(`could not save the run record: ${(err as Error).message}`));

  if (failure) {
    const why = failure instanceof WriteFailedError ? failure.message : (failure as Error).message;
    throw new MigrationStopped(`${why}\nThe checkpoints are saved: run the same command with --resume to continue where it stopped.`, report);
  }
  if (options.rejectsFile) writeRejectsFile(options.rejectsFile, await deadLetters(state, prepared, allTables, source));
  env.out(
    `Time: preparing ${(preparing / 1000).toFixed(1)} s, pre-flight ${((writeStarted - preflightStarted) / 1000).toFixed(1)} s, writing ${(writing / 1000).toFixed(1)} s, finishing ${((Date.now() - writeStarted - writing) / 1000).toFixed(1)} s`,
  );
  return { report, runId };
}

/** The pages of a unit's spill files, in key order. */
async function* readSpills(files: readonly string[]): AsyncIterable<Awaited<ReturnType<typeof readSpill>> extends AsyncIterable<infer P> ? P : never> {
  for (const file of files) yield* readSpill(file);
}

const WORKER_URL = new URL('./preflight-worker.js', import.meta.url);

/** Worker threads for the pre-flight: with a snapshot to share, enough rows, more than one core, and the built code. */
function preflightThreads(source: Source, rows: number): number {
  const forced = process.env.ZG_MIGRATE_PREFLIGHT_THREADS;
  if (!source.workerSpec || !import.meta.url.endsWith('.js') || !fs.existsSync(fileURLToPath(WORKER_URL))) return 0;
  if (forced !== undefined) return Math.max(0, Math.min(8, Number(forced) || 0));
  if (rows < 20_000) return 0;
  // One thread already keeps two cores busy (V8's own GC and compiler threads, the database's
  // backend when it runs here), and a worker costs its startup and a heap of its own: measured on
  // two cores, the scale-1 pre-flight took 4.0 s alone and 4.7 s with a worker, and 30 MB more.
  return Math.max(0, Math.min(3, os.availableParallelism() - 2));
}

/**
 * Runs the pre-flight tasks in this thread (`concurrency` at a time, interleaving their reads) and
 * in `threads` worker threads, all taking tasks from one queue, largest units first.
 */
async function runPreflight(
  env: MigrationEnv,
  units: readonly Unit[],
  tasks: PreflightTask[],
  rowsLeft: Map<string, number>,
  threads: number,
  prepared: Prepared,
  concurrency: number,
  onResult: (r: TaskResult) => void,
): Promise<void> {
  const byName = new Map(units.map((u) => [u.name, u]));
  const left = new Map<string, number>();
  for (const t of tasks) left.set(t.unit, (left.get(t.unit) ?? 0) + 1);
  const bars = new Map(units.map((u) => [u.name, env.progress.task('pre-flight', u.name, rowsLeft.get(u.name) ?? 0)]));
  const done = (t: PreflightTask, r: TaskResult): void => {
    onResult(r);
    const n = (left.get(t.unit) ?? 1) - 1;
    left.set(t.unit, n);
    if (n === 0) bars.get(t.unit)?.finish();
  };
  const queue = [...tasks];
  const take = (workerSide: boolean): PreflightTask | undefined => {
    const i = workerSide ? queue.findIndex((t) => t.unit !== AUTH_TABLE) : 0;
    return i < 0 ? undefined : queue.splice(i, 1)[0];
  };
  const failure = new FirstFailure();

  const debug = process.env.ZG_MIGRATE_DEBUG ? (line: string) => env.log(`[debug ${((Date.now() - t0) / 1000).toFixed(2)}] ${line}`) : () => undefined;
  const t0 = Date.now();
  const local = async (): Promise<void> => {
    for (let t = take(false); t && !failure.failed; t = take(false)) {
      const unit = mustGet(byName, t.unit, 'unit');
      debug(`main: ${t.unit} #${t.id}`);
      done(t, await runTask(unit, t, (n) => bars.get(t?.unit ?? '')?.add(n)));
    }
    debug('main: done');
  };

  const spec = prepared.ctx.source.workerSpec?.();
  const remote = async (): Promise<void> => {
    if (!spec) return;
    const data: WorkerData = { url: spec.url, snapshot: spec.snapshot, users: prepared.users.toData() };
    // A heap of its own, bounded like the main thread's (bin/zg-migrate.js).
    const worker = new Worker(WORKER_URL, { workerData: data, resourceLimits: { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 12 } });
    let current: PreflightTask | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        const next = (): void => {
          current = failure.failed ? undefined : take(true);
          if (!current) {
            worker.postMessage({ type: 'close' } satisfies ToWorker);
            resolve();
            return;
          }
          worker.postMessage({ type: 'task', task: current } satisfies ToWorker);
        };
        worker.on('message', (msg: FromWorker) => {
          if (msg.type === 'ready') debug('worker: ready');
          if (msg.type === 'result') debug(`worker: ${current?.unit ?? ''} #${current?.id ?? ''} done`);
          if (msg.type === 'ready') next();
          else if (msg.type === 'rows') bars.get(current?.unit ?? '')?.add(msg.rows);
          else if (msg.type === 'result') {
            if (current) done(current, msg.result);
            next();
          } else reject(new Error(`pre-flight worker: ${msg.message}`));
        });
        worker.on('error', reject);
        worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pre-flight worker exited with ${code}`))));
      });
    } finally {
      // A task the worker did not finish goes back to the queue only on failure, which ends the run anyway.
      await worker.terminate().catch(() => undefined);
    }
  };

  // With worker threads, this thread takes fewer tasks at once (its work is CPU, not waiting).
  const localRunners = threads > 0 ? Math.min(2, Math.max(1, concurrency)) : Math.max(1, concurrency);
  const runners = [...Array.from({ length: localRunners }, local), ...Array.from({ length: threads }, remote)];
  await Promise.all(
    runners.map((r) =>
      r.catch((err: unknown) => {
        failure.record(err);
      }),
    ),
  );
  failure.rethrow();
}

/** The run could not go on; the report says how far it got. */
export class MigrationStopped extends Error {
  constructor(
    message: string,
    readonly report: Report,
  ) {
    super(message);
    this.name = 'MigrationStopped';
  }
}

async function importAuthPage(env: MigrationEnv, state: MigrationState, runId: string, page: WorkItem[], counts: Counts): Promise<void> {
  const entries = page.flatMap((item) => item.auth ?? []);
  const rejects: RejectedRow[] = page.flatMap((item) => item.rejects);
  if (entries.length) {
    const res = await importBatch(env.auth, entries);
    for (const f of res.failed) {
      const e = entries[f.index];
      if (!e) continue;
      if (e.table === AUTH_TABLE) rejects.push({ table: AUTH_TABLE, key: e.key, reason: f.reason, row: e.row });
      // supabase source: no auth.users row to reject; the user keeps their data but has no Auth account.
      else env.log(`warning: Firebase Auth user ${e.record.uid} not imported: ${f.reason}`);
    }
  }
  for (const item of page) {
    for (const c of item.counts) {
      const t = (counts[c.table] ??= { written: 0, rejected: 0 });
      t.written += c.written;
      t.rejected += c.rejected;
    }
  }
  // Rows Firebase Auth refused move from written to rejected.
  const refused = rejects.length - page.reduce((n, i) => n + i.rejects.length, 0);
  if (refused > 0) {
    const t = (counts[AUTH_TABLE] ??= { written: 0, rejected: 0 });
    t.written -= refused;
    t.rejected += refused;
  }
  for (let i = 0; i < rejects.length; i += 400) {
    const batch = env.db.batch();
    for (const r of rejects.slice(i, i + 400)) {
      const w = state.rejectWrite({ table: r.table, key: r.key, reason: r.reason, row: r.row, runId });
      batch.set(env.db.doc(w.path), w.data);
    }
    await batch.commit();
  }
}

export function sourceRowKey(table: SourceTable, row: SourceRow): string {
  return row[table.primaryKey] ?? '';
}

export { tablesOfUnit };
