/**
 * Opening what a command works on, the same way for every command: the project (checked reachable
 * within seconds), the source, and the migration context (migrate/context.ts) with output, progress
 * and tuning wired to the CLI. Problems of the invocation are usage errors (exit 2): an unknown
 * --tables entry, a demo project without the emulator variables, a missing SUPABASE_* variable.
 */
import { TargetError, openTarget, projectIdFrom, type Target } from '../migrate/target/firebase.js';
import type { MigrationContext } from '../migrate/context/index.js';
import { acquireLease, type Lease } from '../migrate/state/lease.js';
import { makeProgress, type Progress } from '../migrate/context/progress.js';
import { checkReachable } from '../migrate/target/reach.js';
import { selectUnits, UsageProblem } from '../migrate/plan/select.js';
import { openPostgresSource, type PostgresSourceOptions } from '../migrate/sources/postgres.js';
import type { Source } from '../migrate/sources/source.js';
import { MigrationState } from '../migrate/state/index.js';
import { UsageError, type CliContext } from './command.js';
import { killHook, progressIntervalMs, tuningFrom } from './tuning.js';

export async function openSource(spec: string, ctx: CliContext, options: PostgresSourceOptions): Promise<Source> {
  if (spec === 'supabase') {
    const url = ctx.env.SUPABASE_URL;
    const key = ctx.env.SUPABASE_SERVICE_ROLE_KEY;
    if (!url || !key) throw new UsageError('option --source: `supabase` needs SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY in the environment');
    // Loaded only for this source: supabase-js is start-up time every postgres run would pay.
    const { openSupabaseSource } = await import('../migrate/sources/supabase.js');
    return openSupabaseSource({ url, serviceRoleKey: key });
  }
  return openPostgresSource(spec, options);
}

/** The project id: --project, GCLOUD_PROJECT (and friends), or demo-zhengrowth on the emulator. */
export function projectIdOf(project: string | undefined, ctx: CliContext): string {
  const projectId = projectIdFrom(project, ctx.env) ?? (ctx.env.FIRESTORE_EMULATOR_HOST ? 'demo-zhengrowth' : undefined);
  if (!projectId) throw new UsageError('option --project: is required (or set GCLOUD_PROJECT) unless FIRESTORE_EMULATOR_HOST points at the emulator');
  return projectId;
}

/** The target project, reachable (Auth too when `auth`), or a clear error within seconds. */
export async function openProject(project: string | undefined, ctx: CliContext, needs: { auth: boolean }): Promise<Target> {
  const projectId = projectIdOf(project, ctx);
  if (projectId.startsWith('demo-') && needs.auth && ctx.env.FIRESTORE_EMULATOR_HOST && !ctx.env.FIREBASE_AUTH_EMULATOR_HOST) {
    throw new UsageError(`project ${projectId} is a demo project, which exists only in the emulators: set FIREBASE_AUTH_EMULATOR_HOST too`);
  }
  let target: Target;
  try {
    target = openTarget(projectId, ctx.env);
  } catch (err) {
    if (err instanceof TargetError) throw new UsageError(err.message);
    throw err;
  }
  try {
    await checkReachable({ firestoreEmulator: ctx.env.FIRESTORE_EMULATOR_HOST, authEmulator: ctx.env.FIREBASE_AUTH_EMULATOR_HOST, auth: needs.auth });
  } catch (err) {
    await target.close();
    throw err;
  }
  return target;
}

export function progressFor(ctx: CliContext): Progress {
  return makeProgress({ tty: ctx.isTTY === true, write: (line) => ctx.err(`${line}\n`), intervalMs: progressIntervalMs(ctx) });
}

/** --tables, checked against the mapping before anything is opened (exit 2 with the closest names). */
export function checkTables(tables: string[] | undefined): void {
  if (!tables) return;
  try {
    selectUnits(tables);
  } catch (err) {
    if (err instanceof UsageProblem) throw new UsageError(err.message);
    throw err;
  }
}

export interface OpenOptions {
  source: string;
  project?: string | undefined;
  tables?: string[] | undefined;
  concurrency: number;
  /** The command imports or compares Firebase Auth users. */
  auth?: boolean;
  /** Take the project's lease for this command (lease.ts) before the source is opened. */
  lease?: string;
  /** Open the source through a new replication slot of this name (a run that sync may follow). */
  slot?: (target: Target) => Promise<PostgresSourceOptions['slot']>;
  onEvent?: MigrationContext['onEvent'];
}

export interface Opened {
  ctx: MigrationContext;
  target: Target;
  progress: Progress;
  close: () => Promise<void>;
}

/** The migration context of a command: project first (closed again if the source fails), then the source. */
export async function openContext(opts: OpenOptions, cli: CliContext): Promise<Opened> {
  checkTables(opts.tables);
  const tuning = tuningFrom(cli);
  // The fault-injection hook (ZG_MIGRATE_KILL_AFTER) works for every command that writes.
  const onEvent = opts.onEvent ?? killHook(cli);
  const target = await openProject(opts.project, cli, { auth: opts.auth ?? true });
  const progress = progressFor(cli);
  const log = (line: string): void => progress.log(line);
  let source: Source;
  let lease: Lease | undefined;
  try {
    if (opts.lease) lease = await acquireLease(target.db, opts.lease, { ttlMs: tuning.leaseTtlMs, log });
    const slot = opts.slot ? await opts.slot(target) : undefined;
    source = await openSource(opts.source, cli, { readers: opts.concurrency + 2, slot, log });
  } catch (err) {
    progress.stop();
    await lease?.release();
    await target.close();
    throw err;
  }
  const ctx: MigrationContext = {
    source,
    db: target.db,
    commits: target.commits,
    auth: target.auth,
    projectId: target.projectId,
    emulator: target.emulator,
    state: new MigrationState(target.db),
    progress,
    out: (line) => cli.out(`${line}\n`),
    log,
    onEvent,
    tuning,
    lease,
  };
  const close = async (): Promise<void> => {
    progress.stop();
    await source.close();
    await lease?.release();
    await target.close();
  };
  return { ctx, target, progress, close };
}
