import { z } from 'zod';
import { openTarget, projectIdFrom, type Target } from '../migrate/firebase.js';
import { selectUnits, UsageProblem, type MigrationEnv } from '../migrate/run.js';
import { makeProgress, type Progress } from '../migrate/progress.js';
import { openPostgresSource } from '../migrate/sources/postgres.js';
import type { Source } from '../migrate/sources/source.js';
import { openSupabaseSource } from '../migrate/sources/supabase.js';
import { UsageError, type CliContext } from './command.js';

/** --source: a postgres:// URL, or the word `supabase` (SUPABASE_URL + SUPABASE_SERVICE_ROLE_KEY). */
export const sourceOption = z
  .string({ error: 'is required: a postgres:// URL or `supabase`' })
  .refine((s) => s === 'supabase' || /^postgres(ql)?:\/\/\S+$/.test(s), 'must be a postgres:// URL or `supabase`');

export const positiveInt = (max: number) =>
  z
    .string()
    .transform(Number)
    .pipe(
      z
        .number({ error: 'must be a number' })
        .refine(Number.isInteger, 'must be a whole number')
        .refine((n) => n >= 1, 'must be at least 1')
        .refine((n) => n <= max, `must be at most ${max}`),
    );

/** --tables a,b: checked against the mapping by openMigrationEnv, before anything is opened. */
export const tablesOption = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  )
  .refine((l) => l.length > 0, 'must name at least one table');

export const uidMapOption = z.enum(['same', 'email'], { error: 'must be `same` or `email`' });

export async function openSource(spec: string, ctx: CliContext, readers: number): Promise<Source> {
  if (spec === 'supabase') {
    const url = ctx.env.SUPABASE_URL;
    const key = ctx.env.SUPABASE_SERVICE_ROLE_KEY;
    if (!url || !key) throw new UsageError('option --source: `supabase` needs SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY in the environment');
    return openSupabaseSource({ url, serviceRoleKey: key });
  }
  return openPostgresSource(spec, { readers });
}

export function openProject(project: string | undefined, ctx: CliContext): Target {
  const projectId = projectIdFrom(project, ctx.env) ?? (ctx.env.FIRESTORE_EMULATOR_HOST ? 'demo-zhengrowth' : undefined);
  if (!projectId) throw new UsageError('option --project: is required (or set GCLOUD_PROJECT) unless FIRESTORE_EMULATOR_HOST points at the emulator');
  return openTarget(projectId, ctx.env);
}

export function progressFor(ctx: CliContext): Progress {
  const interval = Number(ctx.env.ZG_MIGRATE_PROGRESS_MS ?? 5000);
  return makeProgress({
    tty: ctx.isTTY === true,
    write: (line) => ctx.err(`${line}\n`),
    intervalMs: Number.isFinite(interval) && interval > 0 ? interval : 5000,
  });
}

export function table(head: string[], rows: string[][], rightAlignFrom = 1): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i >= rightAlignFrom ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/**
 * What `run` and `verify` work between: the source and the Firebase project, with progress and
 * output wired to the CLI. An unknown --tables entry is a usage error before anything is opened;
 * the project is closed again when the source cannot be opened.
 */
export async function openMigrationEnv(
  opts: { source: string; project?: string | undefined; tables?: string[] | undefined; concurrency: number },
  ctx: CliContext,
  onEvent?: MigrationEnv['onEvent'],
): Promise<{ env: MigrationEnv; progress: Progress; close: () => Promise<void> }> {
  if (opts.tables) {
    try {
      selectUnits(opts.tables);
    } catch (err) {
      if (err instanceof UsageProblem) throw new UsageError(err.message);
      throw err;
    }
  }
  const target = openProject(opts.project, ctx);
  let source: Source;
  try {
    source = await openSource(opts.source, ctx, opts.concurrency + 2);
  } catch (err) {
    await target.close();
    throw err;
  }
  const progress = progressFor(ctx);
  const env: MigrationEnv = {
    source,
    db: target.db,
    commits: target.commits,
    auth: target.auth,
    projectId: target.projectId,
    emulator: target.emulator,
    progress,
    out: (line) => ctx.out(`${line}\n`),
    log: (line) => progress.log(line),
    onEvent,
  };
  const close = async (): Promise<void> => {
    progress.stop();
    await source.close();
    await target.close();
  };
  return { env, progress, close };
}
