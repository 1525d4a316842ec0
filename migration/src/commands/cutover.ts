import fs from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { cutover } from '../migrate/sync/cutover.js';
import { CheckFailed, parseOptions, type CliContext, type CommandModule } from './command.js';
import { fmt } from './format.js';
import { openContext } from './open.js';
import { outputFile, positiveInt, projectOption, sourceOption } from './options.js';
import { describeSync } from './sync.js';
import { printVerification } from './verify.js';

const optionsSchema = z.object({
  source: sourceOption,
  quietSeconds: positiveInt(600).default(3),
  fullVerify: z.boolean().optional(),
  writesStopped: z.boolean().optional(),
  concurrency: positiveInt(32).default(4),
  report: outputFile.optional(),
  project: projectOption.optional(),
});

const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function run(raw: Record<string, unknown>, ctx: CliContext): Promise<void> {
  const opts = parseOptions(optionsSchema, raw);
  const { ctx: mctx, close } = await openContext({ ...opts, lease: 'cutover' }, ctx);
  let result;
  try {
    result = await cutover(mctx, {
      concurrency: opts.concurrency,
      quietMs: opts.quietSeconds * 1000,
      fullVerify: opts.fullVerify === true,
      writesStopped: opts.writesStopped === true,
    });
  } finally {
    await close();
  }
  ctx.out(`Catch-up: ${describeSync(result.catchUp)}.\n`);
  if (result.stillWriting?.size) {
    const tables = [...result.stillWriting].map(([t, n]) => `${t} (${fmt(n)})`).join(', ');
    ctx.out(
      `Writes have not stopped: rows changed during the last ${opts.quietSeconds} s in ${tables}. Stop the app's writes to Supabase, then run cutover again.\n`,
    );
    throw new CheckFailed('writes have not stopped');
  }
  if (result.stillWriting === null) ctx.out(`(Without a slot, deletions during the quiet moment cannot be seen: make sure writes are stopped.)\n`);
  if (result.final) ctx.out(`Final sync: ${describeSync(result.final)}.\n`);
  if (opts.report) fs.writeFileSync(opts.report, `${JSON.stringify({ ok: result.ok, ms: result.ms, verify: result.verify }, null, 2)}\n`);
  for (const c of result.verify?.counts ?? []) ctx.out(`COUNT ${c}\n`);
  const m = result.ms;
  const summary =
    `Downtime (from the start of cutover, writes stopped, to verified): ${s(m.total)} — catch-up ${s(m.catchUp)}, quiet ${s(m.quiet)}, ` +
    `final sync ${s(m.final)}, verify ${s(m.verify)} (${opts.fullVerify ? 'every row' : "rows changed since the run, and every table's document count"}).\n`;
  if (result.verify) {
    try {
      printVerification(ctx, result.verify, m.verify / 1000);
    } finally {
      ctx.out(summary);
    }
  }
  if (result.ok) ctx.out('Firestore holds the source: switch the app to Firebase now, then `zg-migrate finish` drops the replication slot.\n');
}

export const cutoverCommand: CommandModule = {
  register(program: Command, ctx: CliContext): void {
    program
      .command('cutover')
      .description('the final switch once the app stopped writing: catch up, check nothing changes any more, final sync, verify, print the downtime')
      .option('--source <url>', 'the source of the run')
      .option('--quiet-seconds <n>', 'how long nothing may change in the source before the final sync', '3')
      .option('--full-verify', "verify every row (default: the rows changed since the run, and every table's document count)")
      .option('--writes-stopped', 'the supabase source cannot see whether writes stopped: say that they did')
      .option('--concurrency <n>', 'tables in parallel', '4')
      .option('--report <file>', 'write the timings and the verification as JSON')
      .option('--project <id>', 'Firebase project (default: $GCLOUD_PROJECT)')
      .action(async (raw: Record<string, unknown>) => run(raw, ctx));
  },
};
