import type { Command } from 'commander';
import pg from 'pg';
import { z } from 'zod';
import { migrationSyncs, type MigrationRunDoc, type MigrationSyncDoc } from '@zhengrowth/model';
import type { Firestore } from 'firebase-admin/firestore';
import { currentLease, describeLease } from '../migrate/state/lease.js';
import { redactPostgresUrl } from '../migrate/sources/postgres-url.js';
import { slotState, type SlotState } from '../migrate/sync/slot-feed.js';
import { backlogOf, describeTrend, type Backlog } from '../migrate/sync/trend.js';
import { MigrationState } from '../migrate/state/index.js';
import type { MigrationCheckpointDoc } from '@zhengrowth/model';
import { parseOptions, type CliContext, type CommandModule } from './command.js';
import { fmt, table } from './format.js';
import { openProject } from './open.js';
import { projectOption, sourceOption } from './options.js';

const optionsSchema = z.object({
  project: projectOption.optional(),
  source: sourceOption.optional(),
  json: z.boolean().optional(),
});

const iso = (t: { toDate(): Date } | null | undefined): string | null => t?.toDate().toISOString() ?? null;

function mb(bytes: number): string {
  return bytes < 1024 * 1024 ? `${fmt(Math.round(bytes / 1024))} kB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function syncRecords(db: Firestore): Promise<Array<{ id: string; doc: MigrationSyncDoc }>> {
  const snap = await db.collection(migrationSyncs.collectionPath({})).withConverter(migrationSyncs.converter).get();
  return snap.docs.map((d) => ({ id: d.id, doc: d.data() })).sort((a, b) => b.doc.updated_at.toMillis() - a.doc.updated_at.toMillis());
}

interface SlotOnSource {
  state: SlotState | null;
  /** What waits in the slot (null while a sync reads it, or when it is gone). */
  backlog: Backlog | null;
}

/** The slot of each sync record of this source, as the source sees it, and what waits in it. */
async function slotsOn(url: string, syncs: Array<{ doc: MigrationSyncDoc }>): Promise<Map<string, SlotOnSource>> {
  const client = new pg.Client({ connectionString: url, application_name: 'zg-migrate status' });
  await client.connect();
  try {
    const out = new Map<string, SlotOnSource>();
    const source = redactPostgresUrl(url);
    for (const s of syncs) {
      if (!s.doc.slot || s.doc.source !== source) continue;
      const state = await slotState(client, s.doc.slot);
      const backlog = state && !state.active && s.doc.publication ? await backlogOf(client, s.doc.slot, s.doc.publication) : null;
      out.set(s.doc.slot, { state, backlog });
    }
    return out;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function printRun(
  ctx: CliContext,
  projectId: string,
  last: { id: string; doc: MigrationRunDoc },
  checkpoints: Map<string, MigrationCheckpointDoc>,
  others: number,
): void {
  const d = last.doc;
  const attempt = d.attempts[d.attempts.length - 1];
  ctx.out(`Project ${projectId}: last migration ${last.id}\n`);
  ctx.out(`  source ${d.source} (${d.source_kind}), uid map ${d.uid_map}, ${d.units.length} units\n`);
  ctx.out(`  status ${d.status}; started ${iso(d.started_at)}, last update ${iso(d.updated_at)}${d.finished_at ? `, finished ${iso(d.finished_at)}` : ''}\n`);
  if (attempt) {
    ctx.out(
      `  latest attempt: ${attempt.replay ? 'replay' : attempt.resumed ? 'resumed' : 'fresh'}, ${attempt.status}, ${fmt(attempt.written)} rows written, ${fmt(attempt.rejected)} rejected${attempt.error ? `; stopped: ${attempt.error}` : ''}\n`,
    );
  }
  const rows = d.units.map((unit) => {
    const c = checkpoints.get(unit);
    const counts = c ? Object.values(c.counts).reduce((a, x) => ({ w: a.w + x.written, r: a.r + x.rejected }), { w: 0, r: 0 }) : { w: 0, r: 0 };
    return [unit, c ? (c.done ? 'done' : c.last_key === null ? 'not started' : 'in progress') : 'not started', c?.last_key ?? '', fmt(counts.w), fmt(counts.r)];
  });
  for (const l of table(['unit', 'state', 'last key done', 'written', 'rejected'], rows, 3)) ctx.out(`  ${l}\n`);
  if (d.status === 'running' || d.status === 'failed') {
    ctx.out(
      `This run did not finish${d.status === 'running' ? ' (it is running, or was killed)' : ''}: \`zg-migrate run --source … --resume\` continues it from the checkpoints.\n`,
    );
  }
  if (others > 0) ctx.out(`(${others} other migration record(s) in this project)\n`);
}

function printSync(ctx: CliContext, s: MigrationSyncDoc, onSource: SlotOnSource | null | undefined): void {
  const slot = onSource === undefined ? undefined : (onSource?.state ?? null);
  const how = s.mechanism === 'slot' ? `replication slot ${s.slot}` : s.mechanism === 'xmin' ? 'xmin (no slot)' : 'reading every row (supabase source)';
  ctx.out(
    `Sync (${s.status}): ${how}; ${fmt(s.syncs)} sync(s)${s.last ? `, the last ${iso(s.last.started_at)}: ${fmt(s.last.changes)} changes, ${fmt(s.last.written)} written, ${fmt(s.last.deleted)} deleted in ${(s.last.duration_ms / 1000).toFixed(1)} s` : ''}\n`,
  );
  if (s.mechanism_note) ctx.out(`  ${s.mechanism_note}\n`);
  const full = s.full_identity_tables ?? [];
  if (full.length && s.status === 'active')
    ctx.out(`  REPLICA IDENTITY FULL on ${fmt(full.length)} source table(s) (run --replica-identity-full); \`zg-migrate finish\` sets them back to DEFAULT\n`);
  if (s.slot && s.status === 'active') {
    if (slot === undefined) ctx.out(`  (give --source to see how far the slot is behind and how much WAL it keeps on the source)\n`);
    else if (slot === null) ctx.out(`  the slot ${s.slot} is not on the source any more\n`);
    else
      ctx.out(
        `  on the source: ${slot.active ? 'in use' : 'idle'}, ${mb(slot.behindBytes)} of WAL not yet synced, ${mb(slot.retainedBytes)} of WAL kept for it (${slot.walStatus ?? '?'}); \`zg-migrate finish\` drops it after the cutover\n`,
      );
    if (slot && s.last) ctx.out(`  ${describeTrend(s.last, onSource?.backlog ?? null, slot.active)}\n`);
  }
  if (s.cutover)
    ctx.out(`  cutover ${iso(s.cutover.at)}: ${s.cutover.ok ? 'verified' : 'NOT verified'}, downtime ${(s.cutover.total_ms / 1000).toFixed(1)} s\n`);
}

async function run(raw: Record<string, unknown>, ctx: CliContext): Promise<void> {
  const opts = parseOptions(optionsSchema, raw);
  const target = await openProject(opts.project, ctx, { auth: false });
  try {
    const state = new MigrationState(target.db);
    const runs = await state.runs();
    const checkpoints = await state.checkpoints();
    const lease = await currentLease(target.db);
    const syncs = await syncRecords(target.db);
    const slots = opts.source && opts.source !== 'supabase' ? await slotsOn(opts.source, syncs) : null;
    if (opts.json) {
      const json = {
        runs: runs.map((r) => ({
          id: r.id,
          ...r.doc,
          started_at: iso(r.doc.started_at),
          updated_at: iso(r.doc.updated_at),
          finished_at: iso(r.doc.finished_at),
          attempts: r.doc.attempts.length,
        })),
        checkpoints: Object.fromEntries([...checkpoints].map(([unit, c]) => [unit, { ...c, updated_at: iso(c.updated_at) }])),
        lease: lease
          ? { ...lease, token: undefined, acquired_at: iso(lease.acquired_at), heartbeat_at: iso(lease.heartbeat_at), expires_at: iso(lease.expires_at) }
          : null,
        syncs: syncs.map((s) => ({
          id: s.id,
          ...s.doc,
          created_at: iso(s.doc.created_at),
          updated_at: iso(s.doc.updated_at),
          last: s.doc.last ? { ...s.doc.last, started_at: iso(s.doc.last.started_at) } : null,
          cutover: s.doc.cutover ? { ...s.doc.cutover, at: iso(s.doc.cutover.at) } : null,
          slot_on_source: s.doc.slot && slots ? (slots.get(s.doc.slot)?.state ?? null) : undefined,
          backlog: s.doc.slot && slots ? (slots.get(s.doc.slot)?.backlog ?? null) : undefined,
        })),
      };
      ctx.out(`${JSON.stringify(json, null, 2)}\n`);
      return;
    }
    if (lease) ctx.out(`Working now: ${describeLease(lease)}\n`);
    const last = runs[0];
    if (!last) ctx.out(`No migration has run in project ${target.projectId}.\n`);
    else printRun(ctx, target.projectId, last, checkpoints, runs.length - 1);
    for (const s of syncs) printSync(ctx, s.doc, s.doc.slot && slots ? (slots.get(s.doc.slot) ?? null) : undefined);
  } finally {
    await target.close();
  }
}

export const statusCommand: CommandModule = {
  register(program: Command, ctx: CliContext): void {
    program
      .command('status')
      .description('what the last run did, where a resumable run stands, which command works now, the sync and its replication slot')
      .option('--project <id>', 'Firebase project (default: $GCLOUD_PROJECT)')
      .option('--source <url>', 'also ask the source how far the replication slot is behind and how much WAL it keeps')
      .option('--json', 'print the run records, checkpoints, lease and sync records as JSON')
      .action(async (raw: Record<string, unknown>) => run(raw, ctx));
  },
};
