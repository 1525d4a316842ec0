import type { Command } from 'commander';
import { z } from 'zod';
import { syncOnce, type SyncResult } from '../migrate/sync/index.js';
import { parseOptions, type CliContext, type CommandModule } from './command.js';
import { fmt } from './format.js';
import { openContext } from './open.js';
import { positiveInt, projectOption, sourceOption } from './options.js';

const optionsSchema = z.object({
  source: sourceOption,
  concurrency: positiveInt(32).default(4),
  maxOpsPerSecond: positiveInt(1_000_000).optional(),
  project: projectOption.optional(),
});

export function describeSync(r: SyncResult): string {
  const c = r.counts;
  return (
    `${r.mechanism === 'slot' ? 'from the replication slot' : r.mechanism === 'xmin' ? 'by xmin (no slot)' : 'every row again (no slot, no snapshot)'}: ` +
    `${fmt(r.changes)} changes, ${fmt(c.rows)} rows and users applied (${fmt(c.written)} documents written, ${fmt(c.deleted)} deleted, ${fmt(c.rejected)} rows rejected) ` +
    `in ${r.seconds.toFixed(1)} s (${fmt(Math.round(r.changes / Math.max(r.seconds, 0.001)))} changes/s; ${r.setupSeconds.toFixed(2)} s of it before the first change)` +
    (r.scans.length ? `; looked for old documents in ${r.scans.join(', ')}` : '') +
    (r.lsn ? `; slot at ${r.lsn}` : '')
  );
}

async function run(raw: Record<string, unknown>, ctx: CliContext): Promise<void> {
  const opts = parseOptions(optionsSchema, raw);
  const { ctx: mctx, close } = await openContext({ ...opts, lease: 'sync' }, ctx);
  try {
    const r = await syncOnce(mctx, { concurrency: opts.concurrency, maxOpsPerSecond: opts.maxOpsPerSecond });
    ctx.out(`Synced ${describeSync(r)}.\n`);
    if (r.previousChanges !== null && r.changes > r.previousChanges * 1.2 && r.changes > 1000)
      ctx.out(
        `Falling behind: this sync had ${fmt(r.changes)} changes to apply, the one before ${fmt(r.previousChanges)}; the source writes faster than syncs apply. \`zg-migrate status --source …\` estimates whether they converge.\n`,
      );
  } finally {
    await close();
  }
}

export const syncCommand: CommandModule = {
  register(program: Command, ctx: CliContext): void {
    program
      .command('sync')
      .description('apply every change made in the source since the run (or the last sync): inserts, updates and deletes; repeat until the cutover')
      .option('--source <url>', 'the source of the run, as given to run')
      .option('--concurrency <n>', 'tables in parallel', '4')
      .option('--max-ops-per-second <n>', 'cap on writes per second')
      .option('--project <id>', 'Firebase project (default: $GCLOUD_PROJECT)')
      .addHelpText(
        'after',
        "\nWith the run's replication slot (postgres source, the default) each change is read from its stream, once; without one (the supabase\n" +
          'source, a role without REPLICATION, --no-slot) changed rows are found by xmin, or all rows are read again, and deletions by comparing paths.\n',
      )
      .action(async (raw: Record<string, unknown>) => run(raw, ctx));
  },
};
