/**
 * `run --replay FILE`: loads the rows of a rejects file (NDJSON, one `{"table","key","reason","row"}`
 * a line, as `--rejects` wrote it) once they are corrected. Each row goes through the same transform
 * as in a run; what passes is written and its reject record marked `replayed` (keeping the row as
 * loaded, which `verify` then compares against); what still fails keeps its record, with the new reason.
 */
import fs from 'node:fs';
import { mustGet } from '@zhengrowth/model';
import { z } from 'zod';
import { authRecord, importBatch } from '../units/auth-import.js';
import type { SourceRow } from '../sources/catalog.js';
import { prepare, type MigrationContext, type Prepared } from '../context/index.js';
import { AUTH_TABLE, SOURCE_TABLES, tablePlan } from '../plan/mapping.js';
import { writeRejectsFile, type Report, type RunResult, type TableReport } from './report.js';
import { UsageProblem } from '../plan/select.js';
import { compileTable, compileUsers, type DocWrite } from '../transform/index.js';
import type { RejectedRow } from '../units/index.js';
import type { UidMapMode } from '../units/users.js';
import { withRetries } from '../target/retries.js';

const lineSchema = z.object({
  table: z.string(),
  key: z.string(),
  reason: z.string().optional(),
  row: z.record(z.string(), z.string().nullable()),
});
type Line = z.infer<typeof lineSchema>;

export function readRejectsFile(file: string): Line[] {
  const out: Line[] = [];
  const known = new Set<string>([...SOURCE_TABLES, AUTH_TABLE]);
  for (const [i, line] of fs.readFileSync(file, 'utf8').split('\n').entries()) {
    if (!line.trim()) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (err) {
      throw new UsageProblem(`option --replay: line ${i + 1} of ${file} is not JSON (${(err as Error).message})`);
    }
    const res = lineSchema.safeParse(parsed);
    if (!res.success)
      throw new UsageProblem(`option --replay: line ${i + 1} of ${file}: ${res.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    if (!known.has(res.data.table)) throw new UsageProblem(`option --replay: line ${i + 1} names no table of the schema: ${res.data.table}`);
    out.push(res.data);
  }
  return out;
}

/** What a replay decides per row, and the writes and report it makes of it. */
class Settlement {
  readonly counts = new Map<string, TableReport>();
  readonly writes: Array<{ path: string; data: Record<string, unknown> }> = [];
  readonly still: RejectedRow[] = [];

  constructor(
    private readonly ctx: MigrationContext,
    private readonly runId: string,
  ) {}

  settle(table: string, key: string, row: SourceRow, docs: DocWrite[] | null, reason: string | null): void {
    const t = this.counts.get(table) ?? { table, source_rows: 0, written: 0, rejected: 0, duration_ms: 0 };
    t.source_rows++;
    if (docs) t.written++;
    else t.rejected++;
    this.counts.set(table, t);
    const { state } = this.ctx;
    if (docs) {
      for (const d of docs) this.writes.push({ path: d.path, data: d.data });
      this.writes.push(state.rejectWrite({ table, key, reason: `replayed (was: ${reason ?? 'rejected'})`, row, runId: this.runId, status: 'replayed' }));
    } else {
      this.still.push({ table, key, reason: reason ?? 'rejected', row });
      this.writes.push(state.rejectWrite({ table, key, reason: reason ?? 'rejected', row, runId: this.runId }));
    }
  }
}

function replayTables(prepared: Prepared, lines: Line[], s: Settlement): void {
  for (const table of SOURCE_TABLES) {
    if (table === 'zg_profiles' || table === 'user_roles') continue;
    const rows = lines.filter((l) => l.table === table);
    if (rows.length === 0) continue;
    const { transform } = compileTable(tablePlan(table), mustGet(prepared.catalog, table, 'source table'), prepared.unitContext.transform);
    for (const l of rows) {
      const o = transform(l.row);
      s.settle(table, l.key, l.row, o.ok ? o.docs : null, o.ok ? (l.reason ?? null) : o.reason);
    }
  }
}

/** users/{uid}: the replayed profile and role rows, completed from the source. */
async function replayUsers(ctx: MigrationContext, prepared: Prepared, lines: Line[], s: Settlement): Promise<void> {
  const userLines = lines.filter((l) => l.table === 'zg_profiles' || l.table === 'user_roles');
  if (!userLines.length) return;
  const profiles = mustGet(prepared.catalog, 'zg_profiles', 'source table');
  const build = compileUsers(
    tablePlan('zg_profiles'),
    profiles,
    mustGet(prepared.catalog, 'user_roles', 'source table'),
    prepared.unitContext.transform,
    !ctx.source.canReadAuthUsers,
  );
  const byUser = new Map<string, Line[]>();
  for (const l of userLines) {
    const uid = l.row.user_id ?? '';
    byUser.set(uid, [...(byUser.get(uid) ?? []), l]);
  }
  const fromSource = await ctx.source.byKeys(profiles, 'user_id', [...byUser.keys()]);
  for (const [sourceId, ls] of byUser) {
    const profile = ls.find((l) => l.table === 'zg_profiles')?.row ?? fromSource.find((r) => r.user_id === sourceId) ?? null;
    const roles = new Map((prepared.users.rolesByUser.get(sourceId) ?? []).map((r) => [r.id ?? '', r]));
    for (const l of ls.filter((x) => x.table === 'user_roles')) roles.set(l.key, l.row);
    const { outcome } = build({ sourceId, profile, roles: [...roles.values()] });
    for (const l of ls) s.settle(l.table, l.key, l.row, outcome.ok ? outcome.docs : null, outcome.ok ? (l.reason ?? null) : outcome.reason);
  }
}

async function replayAuth(ctx: MigrationContext, prepared: Prepared, lines: Line[], s: Settlement): Promise<void> {
  const authLines = lines.filter((l) => l.table === AUTH_TABLE);
  if (!authLines.length) return;
  if (!ctx.source.canReadAuthUsers) throw new UsageProblem('option --replay: auth.users rows need the postgres source');
  const ok: Array<{ l: Line; record: Parameters<typeof importBatch>[1][number] }> = [];
  for (const l of authLines) {
    const o = authRecord(l.row, prepared.users, new Date());
    if (o.ok) ok.push({ l, record: { record: o.record, existing: o.existing } });
    else s.settle(AUTH_TABLE, l.key, l.row, null, o.reason);
  }
  for (let i = 0; i < ok.length; i += 1000) {
    const chunk = ok.slice(i, i + 1000);
    const res = await importBatch(
      ctx.auth,
      chunk.map((c) => c.record),
    );
    const failed = new Map(res.failed.map((f) => [f.index, f.reason]));
    chunk.forEach((c, j) => s.settle(AUTH_TABLE, c.l.key, c.l.row, failed.has(j) ? null : [], failed.get(j) ?? c.l.reason ?? null));
  }
}

export async function replayRejects(ctx: MigrationContext, options: { file: string; uidMap: UidMapMode | null; rejectsFile?: string }): Promise<RunResult> {
  const lines = readRejectsFile(options.file);
  // The uid map of the migration this file came from (the latest run from this source).
  const previous = (await ctx.state.runs()).find((r) => r.doc.source === ctx.source.description);
  const uidMap: UidMapMode = options.uidMap ?? previous?.doc.uid_map ?? 'same';
  const runId = previous?.id ?? 'replay';
  const prepared = await prepare(ctx, { uidMap });
  const started = Date.now();
  const s = new Settlement(ctx, runId);
  replayTables(prepared, lines, s);
  await replayUsers(ctx, prepared, lines, s);
  await replayAuth(ctx, prepared, lines, s);
  for (let i = 0; i < s.writes.length; i += 400) {
    const chunk = s.writes.slice(i, i + 400);
    await withRetries(
      'replay: commit',
      async () => {
        const batch = ctx.db.batch();
        for (const w of chunk) batch.set(ctx.db.doc(w.path), w.data);
        await batch.commit();
      },
      null,
    );
  }
  const duration = Date.now() - started;
  const tables = [...s.counts.values()].map((t) => ({ ...t, duration_ms: duration }));
  if (options.rejectsFile) writeRejectsFile(options.rejectsFile, s.still);
  const report: Report = { ok: s.still.length === 0, tables, rejects: s.still.map((r) => ({ table: r.table, key: r.key, reason: r.reason })) };
  return { report, runId };
}
