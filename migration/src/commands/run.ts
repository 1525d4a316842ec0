import fs from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { peakRssMb } from '../migrate/memory.js';
import { replayRejects } from '../migrate/replay.js';
import { MigrationStopped, runMigration, UsageProblem, type MigrationEnv, type Report } from '../migrate/run.js';
import { parseOptions, RowsRejected, UsageError, type CliContext, type CommandModule } from './command.js';
import { openMigrationEnv, positiveInt, sourceOption, table, tablesOption, uidMapOption } from './shared.js';

const optionsSchema = z.object({
  source: sourceOption,
  tables: tablesOption.optional(),
  dryRun: z.boolean().optional(),
  resume: z.boolean().optional(),
  concurrency: positiveInt(32).default(4),
  report: z.string().min(1, 'must be a file name').optional(),
  uidMap: uidMapOption.optional(),
  rejects: z.string().min(1, 'must be a file name').optional(),
  replay: z
    .string()
    .min(1, 'must be a file name')
    .refine((f) => fs.existsSync(f), 'no such file')
    .optional(),
  maxOpsPerSecond: positiveInt(1_000_000).optional(),
  project: z.string().min(1, 'must not be empty').optional(),
});

/**
 * Test hook for fault injection: ZG_MIGRATE_KILL_AFTER=commit:3 kills the process (SIGKILL) after the
 * third commit; started:1 right after the run record is saved, before the first write.
 */
function killHook(ctx: CliContext): MigrationEnv['onEvent'] {
  const spec = ctx.env.ZG_MIGRATE_KILL_AFTER;
  if (!spec) return undefined;
  const m = /^(started|commit|checkpoint|auth):(\d+)$/.exec(spec);
  if (!m) throw new UsageError('ZG_MIGRATE_KILL_AFTER must look like started:1, commit:3, checkpoint:2 or auth:1');
  const [, event, n] = m;
  let seen = 0;
  return (e) => {
    if (e === event && ++seen >= Number(n)) process.kill(process.pid, 'SIGKILL');
  };
}

export function printReport(ctx: CliContext, report: Report, heading: string): void {
  const fmt = (n: number): string => n.toLocaleString('en');
  ctx.out(`\n${heading}\n`);
  const lines = table(
    ['table', 'source rows', 'written', 'rejected', 'seconds'],
    report.tables.map((t) => [t.table, fmt(t.source_rows), fmt(t.written), fmt(t.rejected), (t.duration_ms / 1000).toFixed(1)]),
  );
  for (const l of lines) ctx.out(`  ${l}\n`);
  const total = report.tables.reduce((a, t) => ({ rows: a.rows + t.source_rows, written: a.written + t.written, rejected: a.rejected + t.rejected }), {
    rows: 0,
    written: 0,
    rejected: 0,
  });
  ctx.out(`  total: ${fmt(total.rows)} source rows, ${fmt(total.written)} written, ${fmt(total.rejected)} rejected\n`);
  if (report.rejects.length) {
    ctx.out(`\nRejected rows (${fmt(report.rejects.length)}):\n`);
    for (const r of report.rejects.slice(0, 50)) ctx.out(`  ${r.table} ${r.key}: ${r.reason}\n`);
    if (report.rejects.length > 50) ctx.out(`  … and ${fmt(report.rejects.length - 50)} more (see --report / --rejects)\n`);
  }
}

async function run(raw: Record<string, unknown>, ctx: CliContext): Promise<void> {
  const opts = parseOptions(optionsSchema, raw);
  if (opts.resume && opts.dryRun) throw new UsageError('option --dry-run: cannot be combined with --resume (a dry run starts nothing to resume)');
  if (opts.replay && (opts.resume || opts.dryRun)) throw new UsageError('option --replay: cannot be combined with --resume or --dry-run');
  const { env, close } = await openMigrationEnv(opts, ctx, killHook(ctx));
  const started = Date.now();
  let report: Report;
  try {
    if (opts.replay) {
      report = (await replayRejects(env, { file: opts.replay, uidMap: opts.uidMap ?? null, rejectsFile: opts.rejects })).report;
    } else {
      const result = await runMigration(env, {
        tables: opts.tables ?? null,
        dryRun: opts.dryRun === true,
        resume: opts.resume === true,
        concurrency: opts.concurrency,
        uidMap: opts.uidMap ?? null,
        maxOpsPerSecond: opts.maxOpsPerSecond,
        rejectsFile: opts.rejects,
      });
      report = result.report;
    }
  } catch (err) {
    if (err instanceof UsageProblem) throw new UsageError(err.message);
    if (err instanceof MigrationStopped) {
      if (opts.report) fs.writeFileSync(opts.report, `${JSON.stringify(err.report, null, 2)}\n`);
      printReport(ctx, err.report, 'Stopped before the end:');
    }
    throw err;
  } finally {
    await close();
  }
  if (opts.report) fs.writeFileSync(opts.report, `${JSON.stringify(report, null, 2)}\n`);
  const seconds = (Date.now() - started) / 1000;
  const rows = report.tables.reduce((n, t) => n + t.written + t.rejected, 0);
  printReport(
    ctx,
    report,
    `${opts.dryRun ? 'Dry run' : opts.replay ? 'Replay' : 'Migration'} ${report.ok ? 'finished' : report.rejects.length ? 'finished with rejected rows' : 'finished with problems'} in ${seconds.toFixed(1)} s (${Math.round(rows / Math.max(seconds, 0.001)).toLocaleString('en')} rows/s, peak RSS ${Math.round(peakRssMb())} MB):`,
  );
  if (opts.rejects && report.rejects.length)
    ctx.out(`The rejected rows are in ${opts.rejects}; fix them there and load them with \`zg-migrate run --source … --replay ${opts.rejects}\`.\n`);
  if (report.rejects.length) throw new RowsRejected(report.rejects.length);
  if (!report.ok) throw new Error('the row counts do not add up (see the warning above)');
}

export const runCommand: CommandModule = {
  register(program: Command, ctx: CliContext): void {
    program
      .command('run')
      .description('migrate the Supabase tables into Firestore and Firebase Auth (resumable; exit 3 when rows were rejected)')
      .option('--source <url>', 'postgres://… (direct or session pooler), or `supabase` (SUPABASE_URL + SUPABASE_SERVICE_ROLE_KEY)')
      .option('--tables <list>', 'comma-separated tables to migrate (default: all 45 and auth.users)')
      .option('--dry-run', 'transform and check every row, write nothing, report what would happen')
      .option('--resume', 'continue the unfinished run from its checkpoints')
      .option('--concurrency <n>', 'tables in parallel', '4')
      .option('--report <file>', 'write the JSON report here')
      .option('--uid-map <mode>', '`same` (uid = auth.users.id) or `email` (existing Firebase users with the same e-mail keep their uid)')
      .option('--rejects <file>', 'write rejected rows, whole, as NDJSON')
      .option('--replay <file>', 'load the rows of a (corrected) rejects file instead of reading the tables')
      .option('--max-ops-per-second <n>', 'cap on writes per second (default: unthrottled on the emulator, the 500/50/5 ramp in production)')
      .option('--project <id>', 'Firebase project (default: $GCLOUD_PROJECT)')
      .addHelpText(
        'after',
        '\nExit codes: 0 all rows written, 1 failure (resume with --resume), 2 usage error, 3 finished but rows were rejected.\n' +
          'Example:\n  zg-migrate run --source postgres://postgres:…@db.<ref>.supabase.co:5432/postgres --project my-app --report report.json --rejects rejects.ndjson\n',
      )
      .action(async (raw: Record<string, unknown>) => run(raw, ctx));
  },
};
