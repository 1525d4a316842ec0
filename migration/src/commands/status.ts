import type { Command } from 'commander';
import { z } from 'zod';
import { MigrationState } from '../migrate/state.js';
import { parseOptions, type CliContext, type CommandModule } from './command.js';
import { openProject, table } from './shared.js';

const optionsSchema = z.object({
  project: z.string().min(1, 'must not be empty').optional(),
  json: z.boolean().optional(),
});

async function run(raw: Record<string, unknown>, ctx: CliContext): Promise<void> {
  const opts = parseOptions(optionsSchema, raw);
  const target = openProject(opts.project, ctx);
  try {
    const state = new MigrationState(target.db);
    const runs = await state.runs();
    const checkpoints = await state.checkpoints();
    if (opts.json) {
      ctx.out(
        `${JSON.stringify(
          {
            runs: runs.map((r) => ({
              id: r.id,
              ...r.doc,
              started_at: r.doc.started_at.toDate().toISOString(),
              updated_at: r.doc.updated_at.toDate().toISOString(),
              finished_at: r.doc.finished_at?.toDate().toISOString() ?? null,
              attempts: r.doc.attempts.length,
            })),
            checkpoints: Object.fromEntries([...checkpoints].map(([unit, c]) => [unit, { ...c, updated_at: c.updated_at.toDate().toISOString() }])),
          },
          null,
          2,
        )}\n`,
      );
      return;
    }
    if (runs.length === 0) {
      ctx.out(`No migration has run in project ${target.projectId}.\n`);
      return;
    }
    const last = runs[0];
    if (!last) return;
    const d = last.doc;
    const attempt = d.attempts[d.attempts.length - 1];
    ctx.out(`Project ${target.projectId}: last migration ${last.id}\n`);
    ctx.out(`  source ${d.source} (${d.source_kind}), uid map ${d.uid_map}, ${d.units.length} units\n`);
    ctx.out(
      `  status ${d.status}; started ${d.started_at.toDate().toISOString()}, last update ${d.updated_at.toDate().toISOString()}${d.finished_at ? `, finished ${d.finished_at.toDate().toISOString()}` : ''}\n`,
    );
    if (attempt) {
      ctx.out(
        `  latest attempt: ${attempt.replay ? 'replay' : attempt.resumed ? 'resumed' : 'fresh'}, ${attempt.status}, ${attempt.written.toLocaleString('en')} rows written, ${attempt.rejected.toLocaleString('en')} rejected${attempt.error ? `; stopped: ${attempt.error}` : ''}\n`,
      );
    }
    const rows = d.units.map((unit) => {
      const c = checkpoints.get(unit);
      const counts = c ? Object.values(c.counts).reduce((a, x) => ({ w: a.w + x.written, r: a.r + x.rejected }), { w: 0, r: 0 }) : { w: 0, r: 0 };
      return [
        unit,
        c ? (c.done ? 'done' : c.last_key === null ? 'not started' : 'in progress') : 'not started',
        c?.last_key ?? '',
        counts.w.toLocaleString('en'),
        counts.r.toLocaleString('en'),
      ];
    });
    for (const l of table(['unit', 'state', 'last key done', 'written', 'rejected'], rows, 3)) ctx.out(`  ${l}\n`);
    if (d.status === 'running' || d.status === 'failed') {
      ctx.out(
        `This run did not finish${d.status === 'running' ? ' (it is running, or was killed)' : ''}: \`zg-migrate run --source … --resume\` continues it from the checkpoints.\n`,
      );
    }
    if (runs.length > 1) ctx.out(`(${runs.length - 1} other migration record(s) in this project)\n`);
  } finally {
    await target.close();
  }
}

export const statusCommand: CommandModule = {
  register(program: Command, ctx: CliContext): void {
    program
      .command('status')
      .description('what the last run did, and where a resumable run stands')
      .option('--project <id>', 'Firebase project (default: $GCLOUD_PROJECT)')
      .option('--json', 'print the run records and checkpoints as JSON')
      .action(async (raw: Record<string, unknown>) => run(raw, ctx));
  },
};
