import fs from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { cutover, type Silence } from '../migrate/sync/cutover.js';
import { CheckFailed, parseOptions, type CliContext, type CommandModule } from './command.js';
import { fmt } from './format.js';
import { openContext } from './open.js';
import { outputFile, positiveInt, projectOption, sourceOption } from './options.js';
import { describeSync } from './sync.js';
import { printVerification } from './verify.js';

const optionsSchema = z.object({
  source: sourceOption,
  quietSeconds: z.coerce.number().int().min(0).max(600).default(1),
  fullVerify: z.boolean().optional(),
  writesStopped: z.boolean().optional(),
  concurrency: positiveInt(32).default(4),
  report: outputFile.optional(),
  project: projectOption.optional(),
});

const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function describeSilence(q: Silence, quietSeconds: number): string {
  if (q.silentMs === null) return 'no row changed since the final sync read the source (without a slot deletions cannot be seen: make sure writes are stopped)';
  return `the WAL shows no change for ${s(q.silentMs)} (from the last change to the end of the check; at least ${quietSeconds} s asked)`;
}

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
  ctx.out(`Final sync: ${describeSync(result.final)}.\n`);
  const { stillWriting } = result.silence;
  if (stillWriting.size) {
    const tables = [...stillWriting].map(([t, n]) => `${t} (${fmt(n)})`).join(', ');
    ctx.out(
      `Writes have not stopped: rows changed after the final sync's position, while cutover ran, in ${tables}. Stop the app's writes to Supabase, then run cutover again.\n`,
    );
    throw new CheckFailed('writes have not stopped');
  }
  ctx.out(`Silence: ${describeSilence(result.silence, opts.quietSeconds)}.\n`);
  if (opts.report) fs.writeFileSync(opts.report, `${JSON.stringify({ ok: result.ok, ms: result.ms, verify: result.verify }, null, 2)}\n`);
  for (const c of result.verify?.counts ?? []) ctx.out(`COUNT ${c}\n`);
  const m = result.ms;
  const checked = result.checked === 'all' ? 'every row' : "the rows changed since the verified point, and every table's document count";
  const summary =
    `Downtime (from the start of cutover, writes stopped, to verified): ${s(m.total)} — final sync ${s(m.sync)} and check ${s(m.verify)} in parallel ` +
    `(${checked}, each table once the sync was done with it), silence check ${s(m.quiet)}.\n`;
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
      .description('the final switch once the app stopped writing: final sync and its check in parallel, silence proven from the WAL, print the downtime')
      .option('--source <url>', 'the source of the run')
      .option('--quiet-seconds <n>', 'how long the WAL must show the source silent (from its last change) when the check ends; no fixed wait', '1')
      .option('--full-verify', "verify every row (default: the rows changed since the verified point, and every table's document count)")
      .option('--writes-stopped', 'the supabase source cannot see whether writes stopped: say that they did')
      .option('--concurrency <n>', 'tables in parallel', '4')
      .option('--report <file>', 'write the timings and the verification as JSON')
      .option('--project <id>', 'Firebase project (default: $GCLOUD_PROJECT)')
      .action(async (raw: Record<string, unknown>) => run(raw, ctx));
  },
};
