/**
 * A sync without a slot: the rows whose xmin the last sync's snapshot does not see (postgres), or
 * every row (the supabase API source); deletions show by comparing every table's documents with
 * its rows (diff.ts). Tables a slot's publication could not carry (auth.users on Supabase) are
 * followed the same way, by xmin.
 */
import { mustGet, type MigrationSyncDoc } from '@zhengrowth/model';
import { AUTH_TABLE, USERS_UNIT } from '../plan/mapping.js';
import { ChangeSet } from './changes.js';
import { apply, rejectedKeys, type OnApplied, type Session } from './session.js';

const countOf = (changes: ChangeSet): number => [...changes.tables.values()].reduce((n, m) => n + m.size, 0);

/** Without a slot: rows by xmin since the recorded snapshot (postgres) or all rows (supabase), deletions by path. */
export async function syncByScan(s: Session, doc: MigrationSyncDoc, onApplied?: OnApplied): Promise<number> {
  const { ctx } = s;
  const changes = new ChangeSet();
  for (const name of s.units) {
    if (name === USERS_UNIT || name === AUTH_TABLE) continue;
    const table = mustGet(s.prepared.catalog, name, 'source table');
    if (ctx.source.changedKeys && doc.snapshot) changes.touch(name, await ctx.source.changedKeys(table, doc.snapshot));
    else {
      const all: string[] = [];
      for await (const page of ctx.source.scan(table, { after: null, pageSize: 5000, columns: [table.primaryKey] }))
        for (const r of page) all.push(r[table.primaryKey] ?? '');
      changes.touch(name, all);
    }
    changes.truncated.add(name); // every table's documents are compared with its rows: that is how deletions show
  }
  rejectedKeys(s, changes);
  const count = countOf(changes);
  await apply(s, changes, true, onApplied);
  return count;
}

/** The slot mechanism's tables outside the publication (auth.users on Supabase): by xmin since the last sync. */
export async function syncOutsideStream(s: Session, doc: MigrationSyncDoc, tables: readonly string[]): Promise<number> {
  const { ctx } = s;
  const outside = tables.filter((t) => !doc.streamed_tables.includes(t));
  if (!outside.length || !ctx.source.changedKeys || !doc.snapshot) return 0;
  const more = new ChangeSet();
  for (const t of outside) more.touch(t, await ctx.source.changedKeys(mustGet(s.prepared.catalog, t, 'source table'), doc.snapshot));
  if (!more.empty) await apply(s, more, false);
  return countOf(more);
}
