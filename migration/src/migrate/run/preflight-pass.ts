/**
 * The pre-flight as a phase of its own (`--dry-run`, and `run --preflight-first`): every remaining
 * row transformed and checked before the first write, its output (each document encoded as a
 * Firestore write, the rejected rows, the counts) spilled to disk for the write pass. With the
 * postgres source and cores to spare it also runs in worker threads, on key ranges of the same
 * snapshot (preflight-threads.ts).
 */
import type { MigrationContext, Prepared } from '../context/index.js';
import { AUTH_TABLE } from '../plan/mapping.js';
import { mergeStats, type PreflightStats, type PreflightTask } from './preflight.js';
import { readSpill, type ReadyItem, type SpillDir } from './spill.js';
import type { RejectedRow, Unit } from '../units/index.js';
import { preflightThreads, runPreflightTasks } from './preflight-threads.js';
import type { Work } from './work.js';

export interface PreflightOutcome {
  stats: Map<string, PreflightStats>;
  /** Rejected rows, whole (collected for a dry run only). */
  rejects: RejectedRow[];
  /** The spill files of each unit, in key order (none for a dry run). */
  spills: Map<string, string[]>;
  seconds: number;
}

export async function runPreflightPhase(
  ctx: MigrationContext,
  prepared: Prepared,
  work: Work,
  options: { dryRun: boolean; concurrency: number; spillDir: SpillDir | null },
): Promise<PreflightOutcome> {
  const started = Date.now();
  const stats = new Map<string, PreflightStats>();
  const rejects: RejectedRow[] = [];
  const spills = new Map<string, string[]>();
  const todo = work.bySize.filter((u) => !work.startOf(u).done);
  const rowsLeft = new Map<string, number>();
  for (const u of todo) rowsLeft.set(u.name, await work.remaining(u, work.startOf(u).key));
  const threads = preflightThreads(
    ctx.source,
    [...rowsLeft.values()].reduce((a, b) => a + b, 0),
    ctx.tuning.preflightThreads,
  );
  const chunkRows = ctx.tuning.preflightChunk;
  const tasks: PreflightTask[] = [];
  for (const u of todo) {
    const from = work.startOf(u).key;
    // Large tables are cut in key ranges that the threads share.
    const cuts = threads > 0 && u.split && (rowsLeft.get(u.name) ?? 0) > chunkRows * 1.5 ? await u.split(from, chunkRows) : [];
    const bounds = [from, ...cuts];
    const files: string[] = [];
    bounds.forEach((after, i) => {
      // The Auth unit has nothing costly to redo: its write pass reads auth.users again.
      const file = options.spillDir && u.name !== AUTH_TABLE ? options.spillDir.file(`${u.name}.${i}.v8`) : null;
      if (file) files.push(file);
      tasks.push({ id: tasks.length, unit: u.name, after, until: bounds[i + 1] ?? null, file, database: ctx.commits.database, collectRejects: options.dryRun });
    });
    spills.set(u.name, files);
  }
  await runPreflightTasks(ctx, todo, tasks, rowsLeft, threads, prepared, options.concurrency, (r) => {
    mergeStats(stats, r.stats);
    rejects.push(...r.rejects);
  });
  return { stats, rejects, spills, seconds: (Date.now() - started) / 1000 };
}

/** The pages of a unit's spill files, in key order. */
export async function* readSpills(files: readonly string[]): AsyncIterable<ReadyItem[]> {
  for (const file of files) yield* readSpill(file);
}

/** What the write pass sends for a unit after a pre-flight phase: exactly what the pre-flight spilled. */
export function spilledItems(outcome: PreflightOutcome): (u: Unit) => AsyncIterable<ReadyItem[]> {
  return (u) => {
    const files = outcome.spills.get(u.name);
    if (!files) throw new Error(`no pre-flight output for ${u.name}`);
    return readSpills(files);
  };
}
