import type { Command } from 'commander';
import { z } from 'zod';
import { SOURCE_TABLES } from '../migrate/plan/mapping.js';
import { planJson, planText } from '../migrate/plan/estimate.js';
import { parseOptions, type CliContext, type CommandModule } from './command.js';
import { openSource } from './open.js';
import { positiveInt, sourceOption } from './options.js';

const optionsSchema = z.object({
  json: z.boolean().optional(),
  source: sourceOption.optional(),
  maxOpsPerSecond: positiveInt(1_000_000).optional(),
});

async function run(raw: Record<string, unknown>, ctx: CliContext): Promise<void> {
  const opts = parseOptions(optionsSchema, raw);
  if (opts.json) {
    ctx.out(`${JSON.stringify(planJson(), null, 2)}\n`);
    return;
  }
  let counts: Map<string, number> | null = null;
  if (opts.source) {
    const source = await openSource(opts.source, ctx, { readers: 2 });
    try {
      const catalog = await source.catalog([...SOURCE_TABLES]);
      counts = new Map();
      for (const t of SOURCE_TABLES) {
        const table = catalog.get(t);
        if (table) counts.set(t, await source.count(table));
      }
    } finally {
      await source.close();
    }
  }
  for (const line of planText(counts, { emulator: Boolean(ctx.env.FIRESTORE_EMULATOR_HOST), maxOpsPerSecond: opts.maxOpsPerSecond })) ctx.out(`${line}\n`);
}

export const planCommand: CommandModule = {
  register(program: Command, ctx: CliContext): void {
    program
      .command('plan')
      .description('show where every table goes: paths, fields and types, notes, and the estimated write time')
      .option('--json', 'print {"tables":[{"table","path","fields":{"<column>":{"field","type"}},"notes"}]}')
      .option('--source <url>', 'count the rows of this database (postgres:// or `supabase`) for the estimate')
      .option('--max-ops-per-second <n>', 'estimate with this write cap instead of the default governor')
      .action(async (raw: Record<string, unknown>) => run(raw, ctx));
  },
};
