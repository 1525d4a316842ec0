/**
 * What changed in the source since the last sync, per table and key: the kinds of change seen (a
 * key inserted and never there before needs no old document looked for) and, when the stream
 * carried it (REPLICA IDENTITY FULL), the whole old row — whose paths say where its documents were.
 */
import type { SourceRow } from '../sources/catalog.js';

export interface KeyChange {
  /** The first change seen for the key was an insert: no document of it existed before. */
  insertedFirst: boolean;
  deleted: boolean;
  /** The row before its first change, when the stream carried it whole. */
  old: SourceRow | null;
}

export class ChangeSet {
  readonly tables = new Map<string, Map<string, KeyChange>>();
  /** Tables emptied by TRUNCATE: every document of theirs is checked against the rows left. */
  readonly truncated = new Set<string>();
  /** Changes seen (inserts, updates, deletes), before folding by key. */
  count = 0;

  add(table: string, key: string, kind: 'insert' | 'update' | 'delete', old: SourceRow | null): void {
    this.count++;
    let keys = this.tables.get(table);
    if (!keys) {
      keys = new Map();
      this.tables.set(table, keys);
    }
    const seen = keys.get(key);
    if (!seen) keys.set(key, { insertedFirst: kind === 'insert', deleted: kind === 'delete', old });
    else if (kind === 'delete') seen.deleted = true;
  }

  /** Keys of a table marked changed without detail (xmin, rejected keys re-checked): old documents are looked for. */
  touch(table: string, keys: Iterable<string>): void {
    let map = this.tables.get(table);
    if (!map) {
      map = new Map();
      this.tables.set(table, map);
    }
    for (const k of keys) if (!map.has(k)) map.set(k, { insertedFirst: false, deleted: false, old: null });
  }

  keys(table: string): string[] {
    return [...(this.tables.get(table)?.keys() ?? [])];
  }

  get empty(): boolean {
    return this.tables.size === 0 && this.truncated.size === 0;
  }
}
