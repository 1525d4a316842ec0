/**
 * Documents no source row accounts for any more, found by comparing paths: every row's paths (from
 * its path columns) against the documents of the table's collections. Without a slot this is how
 * deletions and moved rows are found (a scan of both sides per sync: the fallback's cost); with
 * one, only after a TRUNCATE.
 */
import type { MigrationRejectDoc } from '@zhengrowth/model';
import { users as usersCollection } from '@zhengrowth/model';
import type { DocumentSnapshot } from 'firebase-admin/firestore';
import type { MigrationContext, Prepared } from '../context/index.js';
import type { Unit } from '../units/index.js';
import { destinationDocs } from './locate.js';
import type { SyncWrites } from './writes.js';

const PAGE = 5000;

export async function removeStaleTableDocs(
  ctx: MigrationContext,
  prepared: Prepared,
  unit: Unit,
  rejects: ReadonlyMap<string, MigrationRejectDoc>,
  out: SyncWrites,
): Promise<void> {
  const compiled = unit.compiled;
  const table = prepared.catalog.get(unit.name);
  if (!compiled || !table) throw new Error(`${unit.name} is not a table unit`);
  const expected = compiled.destinations.map(() => new Set<string>());
  const keys = new Set<string>();
  for await (const page of ctx.source.scan(table, { after: null, pageSize: PAGE })) {
    for (const row of page) {
      keys.add(row[table.primaryKey] ?? '');
      compiled.destinations.forEach((dp, i) => {
        const p = dp.pathOfRow(row);
        if (typeof p === 'object') expected[i]?.add(p.path);
      });
    }
  }
  for (const [i, dp] of compiled.destinations.entries()) {
    for await (const d of destinationDocs(ctx.db, dp)) {
      if (expected[i]?.has(d.path)) continue;
      const key = d.key ?? d.path;
      await out.put(key, [], [d.path], [], d.key !== null && !keys.has(d.key) ? [{ table: unit.name, key: d.key }] : []);
    }
  }
  // Reject records of rows that are gone.
  for (const r of rejects.values()) {
    if (r.table === unit.name && !keys.has(r.key)) await out.put(r.key, [], [], [], [{ table: r.table, key: r.key }]);
  }
}

/** users/{uid} documents of users no longer migrated; returns their uids (their Auth users are dealt with by the caller). */
export async function removeStaleUserDocs(ctx: MigrationContext, prepared: Prepared, out: SyncWrites): Promise<string[]> {
  const wanted = new Set(prepared.users.sourceIds.map((id) => prepared.users.ref(id)));
  const gone: string[] = [];
  const stream = ctx.db.collection(usersCollection.collectionPath({})).select().stream() as AsyncIterable<DocumentSnapshot>;
  for await (const snap of stream) {
    if (wanted.has(snap.id)) continue;
    gone.push(snap.id);
    await out.put(`users:${snap.id}`, [], [snap.ref.path], [], []);
  }
  return gone;
}
