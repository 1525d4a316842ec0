import type { Command } from 'commander';
import pg from 'pg';
import { z } from 'zod';
import { Timestamp } from 'firebase-admin/firestore';
import { syncIdOf, syncRef } from '../migrate/sync/origin.js';
import { dropSlot, restoreIdentity } from '../migrate/sources/slot.js';
import { parseOptions, type CliContext, type CommandModule } from './command.js';
import { openContext } from './open.js';
import { projectOption, sourceOption } from './options.js';

const optionsSchema = z.object({ source: sourceOption, project: projectOption.optional() });

async function run(raw: Record<string, unknown>, ctx: CliContext): Promise<void> {
  const opts = parseOptions(optionsSchema, raw);
  const { ctx: mctx, close } = await openContext({ ...opts, concurrency: 1, auth: false, lease: 'finish' }, ctx);
  try {
    const id = syncIdOf(mctx);
    const ref = syncRef(mctx, id);
    const doc = (await ref.get()).data();
    let dropped = false;
    let restored: string[] = [];
    if (mctx.source.url) {
      // The slot of this source and project, recorded or not (a run killed before it saved its record).
      const client = new pg.Client({ connectionString: mctx.source.url, application_name: 'zg-migrate' });
      await client.connect();
      try {
        dropped = await dropSlot(client, doc?.slot ?? id);
        // After the slot: nothing reads the old rows any more.
        restored = await restoreIdentity(client, doc?.full_identity_tables ?? []);
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    if (doc) await ref.set({ ...doc, status: 'finished', updated_at: Timestamp.now() });
    ctx.out(
      dropped
        ? `Dropped the replication slot ${doc?.slot ?? id} and its publication: the source keeps no more WAL for zg-migrate. The migration from ${mctx.source.description} is finished.\n`
        : `No replication slot of this migration on the source${doc ? '' : ' (and no sync record in this project)'}; the migration from ${mctx.source.description} is marked finished.\n`,
    );
    if (restored.length) ctx.out(`REPLICA IDENTITY set back to DEFAULT on ${restored.length} table(s): ${restored.join(', ')}.\n`);
  } finally {
    await close();
  }
}

export const finishCommand: CommandModule = {
  register(program: Command, ctx: CliContext): void {
    program
      .command('finish')
      .description('after the cutover: drop the replication slot (it holds WAL on the source) and mark the migration finished')
      .option('--source <url>', 'the source of the run')
      .option('--project <id>', 'Firebase project (default: $GCLOUD_PROJECT)')
      .action(async (raw: Record<string, unknown>) => run(raw, ctx));
  },
};
