/**
 * `run --replay FILE`: loads the rows of a rejects file (NDJSON, one `{"table","key","reason","row"}`
 * a line, as `--rejects` wrote it) once they are corrected. Each row goes through the same transform
 * as in a run; what passes is written and its reject record marked `replayed` (keeping the row as
 * loaded, which `verify` then compares against); what still fails keeps its record, with the new reason.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { importBatch, authRecord } from './auth-import.js';
import type { SourceRow } from './catalog.js';
import { loadIndexConfig } from './limits.js';
import { AUTH_TABLE, SOURCE_TABLES, tablePlan } from './mapping.js';
import { UsageProblem, writeRejectsFile, type MigrationEnv, type Report, type RunResult, type TableReport } from './run.js';
import { MigrationState } from './state.js';
import { compileTable, compileUsers, type DocWrite } from './transform.js';
import type { RejectedRow } from './units.js';
import { loadUserSet, type UidMapMode } from './users.js';
import { withRetries } from './writer.js';

const lineSchema = z.object({
  table: z.string(),
  key: z.string(),
  reason: z.string().optional(),
  row: z.record(z.string(), z.string().nullable()),
});

export function readRejectsFile(file: string): Array<z.infer<typeof lineSchema>> {
  const out: Array<z.infer<typeof lineSchema>> = [];
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

export async function replayRejects(env: MigrationEnv, options: { file: string; uidMap: UidMapMode | null; rejectsFile?: string }): Promise<RunResult> {
  const lines = readRejectsFile(options.file);
  const { source } = env;
  const state = new MigrationState(env.db);
  // The uid map of the migration this file came from (the latest run from this source).
  const previous = (await state.runs()).find((r) => r.doc.source === source.description);
  const uidMap: UidMapMode = options.uidMap ?? previous?.doc.uid_map ?? 'same';
  const runId = previous?.id ?? 'replay';
  const tables: string[] = [...SOURCE_TABLES];
  if (source.canReadAuthUsers) tables.push(AUTH_TABLE);
  const catalog = await source.catalog(tables);
  const users = await loadUserSet(source, catalog, { uidMap, auth: env.auth, log: env.log });
  const ctx = { users, indexes: loadIndexConfig() };

  const counts = new Map<string, TableReport>();
  const tally = (table: string, ok: boolean): void => {
    const t = counts.get(table) ?? { table, source_rows: 0, written: 0, rejected: 0, duration_ms: 0 };
    t.source_rows++;
    if (ok) t.written++;
    else t.rejected++;
    counts.set(table, t);
  };
  const writes: Array<{ path: string; data: Record<string, unknown> }> = [];
  const still: RejectedRow[] = [];
  const settle = (table: string, key: string, row: SourceRow, docs: DocWrite[] | null, reason: string | null): void => {
    tally(table, docs !== null);
    if (docs) {
      for (const d of docs) writes.push({ path: d.path, data: d.data });
      writes.push(state.rejectWrite({ table, key, reason: `replayed (was: ${reason ?? 'rejected'})`, row, runId, status: 'replayed' }));
    } else {
      still.push({ table, key, reason: reason ?? 'rejected', row });
      writes.push(state.rejectWrite({ table, key, reason: reason ?? 'rejected', row, runId }));
    }
  };
  const started = Date.now();

  // Ordinary tables.
  for (const table of SOURCE_TABLES) {
    if (table === 'zg_profiles' || table === 'user_roles') continue;
    const rows = lines.filter((l) => l.table === table);
    if (rows.length === 0) continue;
    const t = catalog.get(table);
    if (!t) throw new Error(`the source has no table ${table}`);
    const transform = compileTable(tablePlan(table), t, ctx);
    for (const l of rows) {
      const o = transform(l.row);
      settle(table, l.key, l.row, o.ok ? o.docs : null, o.ok ? (l.reason ?? null) : o.reason);
    }
  }

  // users/{uid}: the replayed profile and role rows, completed from the source.
  const userLines = lines.filter((l) => l.table === 'zg_profiles' || l.table === 'user_roles');
  if (userLines.length) {
    const profiles = catalog.get('zg_profiles');
    const roleTable = catalog.get('user_roles');
    if (!profiles || !roleTable) throw new Error('the source has no zg_profiles or user_roles');
    const build = compileUsers(tablePlan('zg_profiles'), profiles, roleTable, ctx, !source.canReadAuthUsers);
    const byUser = new Map<string, typeof userLines>();
    for (const l of userLines) {
      const uid = l.row.user_id ?? '';
      byUser.set(uid, [...(byUser.get(uid) ?? []), l]);
    }
    const fromSource = await source.byKeys(profiles, 'user_id', [...byUser.keys()]);
    for (const [sourceId, ls] of byUser) {
      const profile = ls.find((l) => l.table === 'zg_profiles')?.row ?? fromSource.find((r) => r.user_id === sourceId) ?? null;
      const roles = new Map((users.rolesByUser.get(sourceId) ?? []).map((r) => [r.id ?? '', r]));
      for (const l of ls.filter((x) => x.table === 'user_roles')) roles.set(l.key, l.row);
      const { outcome } = build({ sourceId, profile, roles: [...roles.values()] });
      for (const l of ls) settle(l.table, l.key, l.row, outcome.ok ? outcome.docs : null, outcome.ok ? (l.reason ?? null) : outcome.reason);
    }
  }

  // Firebase Auth users.
  const authLines = lines.filter((l) => l.table === AUTH_TABLE);
  if (authLines.length) {
    if (!source.canReadAuthUsers) throw new UsageProblem('option --replay: auth.users rows need the postgres source');
    const ok: Array<{ l: (typeof authLines)[number]; record: Parameters<typeof importBatch>[1][number] }> = [];
    for (const l of authLines) {
      const o = authRecord(l.row, users, new Date());
      if (o.ok) ok.push({ l, record: { record: o.record, existing: o.existing } });
      else settle(AUTH_TABLE, l.key, l.row, null, o.reason);
    }
    for (let i = 0; i < ok.length; i += 1000) {
      const chunk = ok.slice(i, i + 1000);
      const res = await importBatch(
        env.auth,
        chunk.map((c) => c.record),
      );
      const failed = new Map(res.failed.map((f) => [f.index, f.reason]));
      chunk.forEach((c, j) => settle(AUTH_TABLE, c.l.key, c.l.row, failed.has(j) ? null : [], failed.get(j) ?? c.l.reason ?? null));
    }
  }

  for (let i = 0; i < writes.length; i += 400) {
    const chunk = writes.slice(i, i + 400);
    await withRetries(
      'replay: commit',
      async () => {
        const batch = env.db.batch();
        for (const w of chunk) batch.set(env.db.doc(w.path), w.data);
        await batch.commit();
      },
      null,
    );
  }
  const duration = Date.now() - started;
  const tablesOut = [...counts.values()].map((t) => ({ ...t, duration_ms: duration }));
  if (options.rejectsFile) writeRejectsFile(options.rejectsFile, still);
  const report: Report = { ok: still.length === 0, tables: tablesOut, rejects: still.map((r) => ({ table: r.table, key: r.key, reason: r.reason })) };
  return { report, runId };
}
