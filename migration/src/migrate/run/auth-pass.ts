/**
 * One page of the Auth unit: importUsers for the users it holds (existing users only get their
 * roles claim), the users Firebase Auth refuses moved from written to rejected, and the reject
 * records saved.
 */
import type { MigrationContext } from '../context/index.js';
import { importBatch } from '../units/auth-import.js';
import { AUTH_TABLE } from '../plan/mapping.js';
import type { RejectedRow, WorkItem } from '../units/index.js';
import type { Counts } from '../target/writer.js';

export async function importAuthPage(ctx: MigrationContext, runId: string, page: WorkItem[], counts: Counts): Promise<void> {
  const entries = page.flatMap((item) => item.auth ?? []);
  const rejects: RejectedRow[] = page.flatMap((item) => item.rejects);
  if (entries.length) {
    const res = await importBatch(ctx.auth, entries);
    for (const f of res.failed) {
      const e = entries[f.index];
      if (!e) continue;
      if (e.table === AUTH_TABLE) rejects.push({ table: AUTH_TABLE, key: e.key, reason: f.reason, row: e.row });
      // supabase source: no auth.users row to reject; the user keeps their data but has no Auth account.
      else ctx.log(`warning: Firebase Auth user ${e.record.uid} not imported: ${f.reason}`);
    }
  }
  for (const item of page) {
    for (const c of item.counts) {
      const t = (counts[c.table] ??= { written: 0, rejected: 0 });
      t.written += c.written;
      t.rejected += c.rejected;
    }
  }
  // Rows Firebase Auth refused move from written to rejected.
  const refused = rejects.length - page.reduce((n, i) => n + i.rejects.length, 0);
  if (refused > 0) {
    const t = (counts[AUTH_TABLE] ??= { written: 0, rejected: 0 });
    t.written -= refused;
    t.rejected += refused;
  }
  for (let i = 0; i < rejects.length; i += 400) {
    const batch = ctx.db.batch();
    for (const r of rejects.slice(i, i + 400)) {
      const w = ctx.state.rejectWrite({ table: r.table, key: r.key, reason: r.reason, row: r.row, runId });
      batch.set(ctx.db.doc(w.path), w.data);
    }
    await batch.commit();
  }
}
