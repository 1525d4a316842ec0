/**
 * What changed in the source since the last sync, per table and key: the kinds of change seen (a
 * key only inserted needs no old document looked for), every old row the stream carried (REPLICA
 * IDENTITY FULL) — whose paths say where its documents may be — and the row as the last change left
 * it, when the stream carried it whole (then it is applied without reading it again).
 */
import type { SourceRow } from '../sources/catalog.js';

export interface KeyChange {
  /**
   * The key's one change was an insert: whatever document it has stands where this row puts it. (A
   * document may exist: a sync that read rows after its position may have written it, but only as
   * the row stood then — this row, as nothing else changed it since.)
   */
  onlyInserted: boolean;
  /**
   * Every old row the stream carried for the key, in order. Firestore may hold any of them: a
   * sync that read a row again from the source wrote it as it stood then, later than the stream's
   * position, and the stream's next changes start from an older state.
   */
  olds: SourceRow[];
  /**
   * The row as the key's last change left it (null: deleted), when the stream carried every value;
   * undefined: read it from the source (a value left out, or a key marked changed without detail).
   */
  now: SourceRow | null | undefined;
}

export class ChangeSet {
  readonly tables = new Map<string, Map<string, KeyChange>>();
  /** Tables emptied by TRUNCATE: every document of theirs is checked against the rows left. */
  readonly truncated = new Set<string>();
  /** Changes seen (inserts, updates, deletes), before folding by key. */
  count = 0;

  private table(name: string): Map<string, KeyChange> {
    let keys = this.tables.get(name);
    if (!keys) {
      keys = new Map();
      this.tables.set(name, keys);
    }
    return keys;
  }

  /** `now`: the new row (inserts and updates) when the stream carried it whole; a delete's is null. */
  add(table: string, key: string, kind: 'insert' | 'update' | 'delete', old: SourceRow | null, now?: SourceRow): void {
    this.count++;
    const keys = this.table(table);
    const after = kind === 'delete' ? null : now;
    const seen = keys.get(key);
    if (!seen) keys.set(key, { onlyInserted: kind === 'insert', olds: old ? [old] : [], now: after });
    else {
      seen.onlyInserted = false;
      if (old) seen.olds.push(old);
      seen.now = after;
    }
  }

  /** The row as the changes so far left it, if known: an update's values left out are the same as before. */
  latest(table: string, key: string): SourceRow | null | undefined {
    return this.tables.get(table)?.get(key)?.now;
  }

  /** TRUNCATE: every row seen so far is gone (the documents of the rest are compared with the rows left). */
  truncate(table: string): void {
    this.truncated.add(table);
    for (const change of this.tables.get(table)?.values() ?? []) change.now = null;
  }

  /** Keys of a table marked changed without detail (xmin, rejected keys re-checked): old documents are looked for. */
  touch(table: string, keys: Iterable<string>): void {
    const map = this.table(table);
    for (const k of keys) if (!map.has(k)) map.set(k, { onlyInserted: false, olds: [], now: undefined });
  }

  keys(table: string): string[] {
    return [...(this.tables.get(table)?.keys() ?? [])];
  }

  get empty(): boolean {
    return this.tables.size === 0 && this.truncated.size === 0;
  }
}
