/**
 * Where the documents of changed rows are now, so that a deleted row's documents go and a row whose
 * path changed (a new owner, a new slug) leaves none behind. In order of cost: a path made of the
 * key alone; the old rows when the stream carried them (REPLICA IDENTITY FULL); nothing, when the
 * row was only inserted (its document, if any, is where the row puts it) or was rejected (it has
 * none); the row's new path, when its document is already there (each key has at most one document
 * per destination); and last, a scan of the destination's collection group (document names only, or
 * the key field), once per table and sync.
 */
import type { DocumentSnapshot, Firestore } from 'firebase-admin/firestore';
import type { DestinationPaths } from '../transform/index.js';
import type { WorkItem } from '../units/index.js';
import { templateRegex } from '../verify/compare.js';
import type { KeyChange } from './changes.js';

/** Every document of a destination's collection group with its key (the path's, or the key field's). */
export async function* destinationDocs(db: Firestore, dp: DestinationPaths): AsyncIterable<{ path: string; key: string | null }> {
  const re = templateRegex(dp.plan.collection);
  const q = db.collectionGroup(dp.plan.collection.groupId);
  const stream = (dp.keyField ? q.select(dp.keyField) : q.select()).stream() as AsyncIterable<DocumentSnapshot>;
  for await (const snap of stream) {
    const path = snap.ref.path;
    if (!re.test(path)) continue;
    const fromField: unknown = dp.keyField ? snap.get(dp.keyField) : null;
    yield { path, key: dp.keyField ? (typeof fromField === 'string' ? fromField : null) : dp.keyOfPath(path) };
  }
}

export interface LocateInput {
  db: Firestore;
  destinations: readonly DestinationPaths[];
  changes: ReadonlyMap<string, KeyChange>;
  /** The items of the keys whose row exists now. */
  items: ReadonlyMap<string, WorkItem>;
  /** The row was rejected until now (it has no document). */
  rejectedBefore(key: string): boolean;
  /** Scans done (for the sync's report). */
  onScan?(group: string): void;
}

/** key → the paths of the documents it has now. */
export async function locateDocuments(input: LocateInput): Promise<Map<string, Set<string>>> {
  const found = new Map<string, Set<string>>();
  const add = (key: string, path: string): void => {
    const set = found.get(key) ?? new Set<string>();
    set.add(path);
    found.set(key, set);
  };
  for (const dp of input.destinations) {
    const probe: Array<{ key: string; path: string }> = [];
    const scan = new Set<string>();
    for (const [key, change] of input.changes) {
      // A row rejected until now has no document anywhere.
      if (input.rejectedBefore(key)) continue;
      if (dp.keyOnly) {
        const p = dp.pathOfKey(key);
        if (p && !change.onlyInserted) add(key, p);
        continue;
      }
      // The documents stand where one of the old rows put them (every one is a candidate: see KeyChange.olds).
      const olds = change.olds.map((row) => dp.pathOfRow(row));
      if (olds.length && !olds.includes('unknown')) {
        for (const o of olds) if (o !== 'none' && o !== 'unknown') add(key, o.path);
        continue;
      }
      // A row only inserted has at most the document its row makes now.
      if (change.onlyInserted) continue;
      const now = input.items.get(key)?.docs.find((d) => d.collection === dp.plan.collection);
      if (now) probe.push({ key, path: now.path });
      else scan.add(key);
    }
    for (let i = 0; i < probe.length; i += 300) {
      const chunk = probe.slice(i, i + 300);
      const snaps = await input.db.getAll(...chunk.map((p) => input.db.doc(p.path)));
      chunk.forEach((p, j) => {
        if (snaps[j]?.exists) add(p.key, p.path);
        else scan.add(p.key);
      });
    }
    if (scan.size === 0) continue;
    input.onScan?.(dp.plan.collection.groupId);
    for await (const d of destinationDocs(input.db, dp)) if (d.key !== null && scan.has(d.key)) add(d.key, d.path);
  }
  return found;
}
