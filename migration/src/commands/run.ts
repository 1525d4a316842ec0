import fs from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { AUTH_TABLE, SOURCE_TABLES } from '../migrate/plan/mapping.js';
import { peakRssMb } from '../migrate/run/memory.js';
import { replayRejects } from '../migrate/run/replay.js';
import { MigrationStopped, type Report } from '../migrate/run/report.js';
import { runMigration } from '../migrate/run/index.js';
import { slotName } from '../migrate/sources/slot.js';
import type { FeedOrigin } from '../migrate/sources/source.js';
import { redactPostgresUrl } from '../migrate/sources/postgres-url.js';
import { MigrationState } from '../migrate/state/index.js';
import { parseOptions, RowsRejected, UsageError, type CliContext, type CommandModule } from './command.js';
import { fmt, table } from './format.js';
import { openContext } from './open.js';
import { outputFile, positiveInt, projectOption, sourceOption, tablesOption, uidMapOption } from './options.js';

const optionsSchema = z.object({
  source: sourceOption,
  tables: tablesOption.optional(),
  dryRun: z.boolean().optional(),
  resume: z.boolean().optional(),
  preflightFirst: z.boolean().optional(),
  slot: z.boolean().default(true),
  replicaIdentityFull: z.boolean().optional(),
  concurrency: positiveInt(32).default(4),
  report: outputFile.optional(),
  uidMap: uidMapOption.optional(),
  rejects: outputFile.optional(),
  replay: z
    .string()
    .min(1, 'must be a file name')
    .refine((f) => fs.existsSync(f), 'no such file')
    .optional(),
  maxOpsPerSecond: positiveInt(1_000_000).optional(),
  project: projectOption.optional(),
});
type Options = z.infer<typeof optionsSchema>;

export function printReport(ctx: CliContext, report: Report, heading: string): void {
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

/** A new run from a postgres source (not a dry run, resume or replay) opens its snapshot through a replication slot that `sync` follows. */
function wantsSlot(opts: Options): boolean {
  return opts.slot && !opts.dryRun && !opts.replay && opts.source !== 'supabase';
}

/** What --replica-identity-full did to the source's tables. */
function printIdentity(ctx: CliContext, feed: FeedOrigin): void {
  if (feed.fullIdentity.length)
    ctx.out(
      `REPLICA IDENTITY FULL set on ${feed.fullIdentity.length} table(s) of the source: their updates and deletes carry the old row (more WAL on the source), so syncs find where deleted and moved rows' documents were without searching Firestore. \`zg-migrate finish\` sets them back to DEFAULT.\n`,
    );
  for (const t of feed.fullIdentitySkipped) ctx.out(`  left with its replica identity: ${t}\n`);
}

async function run(raw: Record<string, unknown>, ctx: CliContext): Promise<void> {
  const opts = parseOptions(optionsSchema, raw);
  if (opts.resume && opts.dryRun) throw new UsageError('option --dry-run: cannot be combined with --resume (a dry run starts nothing to resume)');
  if (opts.replay && (opts.resume || opts.dryRun)) throw new UsageError('option --replay: cannot be combined with --resume or --dry-run');
  if (opts.replicaIdentityFull && !wantsSlot(opts))
    throw new UsageError(
      'option --replica-identity-full: only a new run from a postgres source with its replication slot (not --no-slot, --dry-run, --replay or supabase)',
    );
  const { ctx: mctx, close } = await openContext(
    {
      ...opts,
      lease: opts.dryRun ? undefined : opts.replay ? 'replay' : 'run',
      slot: wantsSlot(opts)
        ? async (target) => {
            // A resumed run keeps the slot of the run it continues (its stream began at that snapshot).
            if (opts.resume && (await new MigrationState(target.db).unfinished())) return undefined;
            return {
              name: slotName(target.projectId, redactPostgresUrl(opts.source)),
              tables: [...SOURCE_TABLES, AUTH_TABLE],
              fullIdentity: opts.replicaIdentityFull === true,
            };
          }
        : undefined,
    },
    ctx,
  );
  const started = Date.now();
  let report: Report;
  try {
    if (opts.replay) {
      report = (await replayRejects(mctx, { file: opts.replay, uidMap: opts.uidMap ?? null, rejectsFile: opts.rejects })).report;
    } else {
      const result = await runMigration(mctx, {
        tables: opts.tables ?? null,
        dryRun: opts.dryRun === true,
        resume: opts.resume === true,
        preflightFirst: opts.preflightFirst === true,
        concurrency: opts.concurrency,
        uidMap: opts.uidMap ?? null,
        maxOpsPerSecond: opts.maxOpsPerSecond,
        rejectsFile: opts.rejects,
      });
      report = result.report;
      if (!opts.dryRun && mctx.source.feed.mechanism === 'slot' && mctx.source.feed.slot) {
        ctx.out(
          `Replication slot ${mctx.source.feed.slot} follows the source from this run's snapshot: \`zg-migrate sync\` applies the changes since; it holds WAL on the source until \`zg-migrate finish\`.\n`,
        );
        printIdentity(ctx, mctx.source.feed);
      }
    }
  } catch (err) {
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
      .option('--preflight-first', 'check every row before the first write (a phase of its own, as --dry-run does), then write what it checked')
      .option('--resume', 'continue the unfinished run from its checkpoints')
      .option('--no-slot', 'do not create the replication slot that `zg-migrate sync` follows (sync then finds changes by xmin)')
      .option(
        '--replica-identity-full',
        "set the source's tables that have the default to REPLICA IDENTITY FULL (until `finish`): syncs then see old rows and need not search Firestore; more WAL on the source",
      )
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
