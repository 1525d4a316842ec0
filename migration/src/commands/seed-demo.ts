import type { Command } from 'commander';
import { z } from 'zod';
import { seedDemo } from '../seed/index.js';
import { parseOptions, type CliContext, type CommandModule } from './command.js';
import { redactPostgresUrl } from '../migrate/sources/postgres-url.js';
import { databaseUrl } from './database-url.js';

const MAX_SCALE = 100;

const optionsSchema = z.object({
  database: databaseUrl,
  // Checked here rather than by commander's requiredOption, which would report a missing --scale
  // before an unknown flag and so hide the flag that is actually wrong.
  scale: z
    .string({ error: 'is required' })
    .transform(Number)
    .pipe(
      z
        .number({ error: 'must be a number' })
        .refine(Number.isFinite, 'must be a number')
        .refine((n) => n > 0, 'must be greater than 0')
        .refine((n) => n <= MAX_SCALE, `must be at most ${MAX_SCALE}`),
    ),
  seed: z.string().min(1, 'must not be empty'),
});

async function run(raw: Record<string, unknown>, ctx: CliContext): Promise<void> {
  const opts = parseOptions(optionsSchema, { ...raw, database: raw.database ?? ctx.env.DATABASE_URL });
  ctx.out(`Seeding ${redactPostgresUrl(opts.database)} with demo data (scale ${opts.scale}, seed ${JSON.stringify(opts.seed)})\n`);
  const summary = await seedDemo(opts.database, { scale: opts.scale, seed: opts.seed, log: (line) => ctx.out(`  ${line}\n`) });
  ctx.out(`Loaded ${summary.totalRows} rows into ${summary.tables.length} tables in ${summary.seconds.toFixed(1)} s\n`);
}

export const seedDemoCommand: CommandModule = {
  register(program: Command, ctx: CliContext): void {
    program
      .command('seed-demo')
      .description('fill an empty database that has the Supabase schema with deterministic demo data')
      .option('--database <url>', 'PostgreSQL URL of a database with migration/supabase/migrations applied (default: $DATABASE_URL)')
      .option(
        '--scale <n>',
        'size: 1 is the schema document\'s "Database Statistics" (~1,000 users, 100,000 analytics events); fractions such as 0.02 for tests',
      )
      .option('--seed <text>', 'the same seed always gives the same rows', 'zhengrowth')
      .addHelpText('after', '\nExample:\n  zg-migrate seed-demo --database postgres://postgres@127.0.0.1:5432/demo --scale 1 --seed demo\n')
      .action(async (raw: Record<string, unknown>) => run(raw, ctx));
  },
};
