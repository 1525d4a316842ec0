import fs from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { verifyAndRecord } from '../migrate/sync/verified-point.js';
import type { VerifyReport } from '../migrate/verify/index.js';
import { CheckFailed, parseOptions, type CliContext, type CommandModule } from './command.js';
import { fmt, table } from './format.js';
import { openContext } from './open.js';
import { outputFile, positiveInt, projectOption, sourceOption, tablesOption, uidMapOption } from './options.js';

const optionsSchema = z.object({
  source: sourceOption,
  report: outputFile.optional(),
  tables: tablesOption.optional(),
  uidMap: uidMapOption.optional(),
  concurrency: positiveInt(32).default(4),
  project: projectOption.optional(),
  sinceVerified: z.boolean().optional(),
});

/** The verification's table and findings; throws CheckFailed (exit 1) when it failed. */
export function printVerification(ctx: CliContext, report: VerifyReport, seconds: number): void {
  ctx.out(`Verified in ${seconds.toFixed(1)} s:\n`);
  for (const l of table(
    ['table', 'source rows', 'matched', 'mismatched', 'missing', 'rejected', 'replayed'],
    report.tables.map((t) => [t.table, fmt(t.source_rows), fmt(t.matched), fmt(t.mismatched), fmt(t.missing), fmt(t.rejected), fmt(t.replayed)]),
  )) {
    ctx.out(`  ${l}\n`);
  }
  for (const m of report.mismatches.slice(0, 50))
    ctx.out(`MISMATCH ${m.path} (${m.table} ${m.key}) field ${m.field}: expected ${m.expected}, found ${m.actual}\n`);
  for (const m of report.missing.slice(0, 50)) ctx.out(`MISSING ${m.path || '(no document)'} (${m.table} ${m.key}): ${m.reason}\n`);
  for (const r of report.rejected.slice(0, 50)) ctx.out(`REJECTED ${r.table} ${r.key}: ${r.reason}\n`);
  for (const e of report.extras.slice(0, 50)) ctx.out(`EXTRA ${e.path} (in ${e.collection}, from no source row)\n`);
  if (report.pending?.rows)
    ctx.out(
      `PENDING: ${fmt(report.pending.rows)} row(s) changed in the source since the last sync and do not match yet: the next sync applies them, and cutover checks them.\n`,
    );
  const problems = report.mismatches.length + report.missing.length;
  ctx.out(
    report.ok
      ? `OK: every migrated row matches its document${report.rejected.length ? `; ${fmt(report.rejected.length)} row(s) were rejected by the run (listed above)` : ''}${report.extras.length ? `; ${fmt(report.extraDocuments ?? report.extras.length)} extra document(s)${(report.extraDocuments ?? 0) > 50 ? ' (the first 50 listed above)' : ''}` : ''}.\n`
      : `FAILED: ${fmt(problems)} row(s) differ from or are missing in Firestore.\n`,
  );
  if (!report.ok) throw new CheckFailed('verification failed');
}

async function run(raw: Record<string, unknown>, ctx: CliContext): Promise<void> {
  const opts = parseOptions(optionsSchema, raw);
  const { ctx: mctx, close } = await openContext(opts, ctx);
  const started = Date.now();
  let result: Awaited<ReturnType<typeof verifyAndRecord>>;
  try {
    result = await verifyAndRecord(
      mctx,
      { tables: opts.tables ?? null, uidMap: opts.uidMap ?? null, concurrency: opts.concurrency },
      opts.sinceVerified === true,
    );
  } finally {
    await close();
  }
  if (opts.report) fs.writeFileSync(opts.report, `${JSON.stringify(result.report, null, 2)}\n`);
  printVerification(ctx, result.report, (Date.now() - started) / 1000);
  if (result.recorded)
    ctx.out(
      `${result.checked === 'changed' ? 'Verified point moved (the rows changed since the previous one)' : 'Verified point recorded'}: \`cutover\` checks the rows changed since the last sync before this verify, and every table's document count.\n`,
    );
}

export const verifyCommand: CommandModule = {
  register(program: Command, ctx: CliContext): void {
    program
      .command('verify')
      .description('compare every source row with its Firestore document, field by field (exit 1 on any mismatch or missing document)')
      .option('--source <url>', 'postgres://… or `supabase`, as for run')
      .option('--report <file>', 'write the JSON verification report here')
      .option('--tables <list>', 'comma-separated tables to verify (default: all)')
      .option('--uid-map <mode>', '`same` or `email` (default: what the last run from this source used)')
      .option('--concurrency <n>', 'readers in parallel', '4')
      .option('--project <id>', 'Firebase project (default: $GCLOUD_PROJECT)')
      .option('--since-verified', 'only the rows changed since the verified point a full verify proved (moves it forward: run it just before cutover)')
      .action(async (raw: Record<string, unknown>) => run(raw, ctx));
  },
};
