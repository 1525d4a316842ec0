/**
 * A table's changed keys applied: each row as the stream left it, or else read as the source holds
 * it now, through the run's transform; its documents written, the documents it no longer has
 * deleted (locate.ts), its reject record kept in step (writes.ts).
 */
import type { MigrationRejectDoc } from '@zhengrowth/model';
import type { MigrationContext } from '../context/index.js';
import type { SourceRow } from '../sources/catalog.js';
import type { Unit, WorkItem } from '../units/index.js';
import type { KeyChange } from './changes.js';
import { locateDocuments } from './locate.js';
import type { SyncWrites } from './writes.js';

const CHUNK = 2000;

export async function applyTableChanges(
  ctx: MigrationContext,
  unit: Unit,
  changes: ReadonlyMap<string, KeyChange>,
  rejects: ReadonlyMap<string, MigrationRejectDoc>,
  out: SyncWrites,
  /** Look for the documents the rows had (null: the caller compares paths afterwards instead). */
  onScan: ((group: string) => void) | null,
): Promise<void> {
  const compiled = unit.compiled;
  if (!compiled) throw new Error(`${unit.name} is not a table unit`);
  const table = unit.name;
  const keys = [...changes.keys()];
  for (let i = 0; i < keys.length; i += CHUNK) {
    const chunk = keys.slice(i, i + CHUNK);
    const items = new Map<string, WorkItem>();
    // Rows the stream carried whole are applied as it left them; the rest are read again.
    const reread: string[] = [];
    const streamed: SourceRow[] = [];
    for (const key of chunk) {
      const now = changes.get(key)?.now;
      if (now === undefined || !unit.fromRows) reread.push(key);
      else if (now) streamed.push(now);
    }
    if (streamed.length && unit.fromRows) for (const item of await unit.fromRows(streamed)) items.set(item.key, item);
    for await (const page of unit.keyed(reread)) for (const item of page) items.set(item.key, item);
    const part = new Map(chunk.map((k) => [k, changes.get(k) as KeyChange]));
    const located = onScan
      ? await locateDocuments({
          db: ctx.db,
          destinations: compiled.destinations,
          changes: part,
          items,
          rejectedBefore: (key) => rejects.get(`${table}\u0000${key}`)?.status === 'rejected',
          onScan,
        })
      : new Map<string, Set<string>>();
    for (const key of chunk) {
      const item = items.get(key);
      const docs = item?.docs ?? [];
      const keep = new Set(docs.map((d) => d.path));
      const stale = [...(located.get(key) ?? [])].filter((p) => !keep.has(p));
      await out.put(key, docs, stale, item?.rejects ?? [], [{ table, key }]);
    }
  }
}
