/**
 * A sync from the run's replication slot. Where it reads up to is fixed first: the source's
 * snapshot (every transaction it sees is then before the WAL position), the WAL position, and only
 * then a new snapshot for reading rows — so every change up to the position is read as the source
 * holds it now, and the first snapshot is a point at which Firestore holds the source once this
 * sync is done (the verified point of `verify` and `cutover` builds on it).
 */
import type { MigrationSyncDoc } from '@zhengrowth/model';
import type { SourceTable } from '../sources/catalog.js';
import type { MigrationContext } from '../context/index.js';
import { tablesOfUnit } from '../plan/mapping.js';
import type { ChangeSet } from './changes.js';
import { apply, rejectedKeys, type OnApplied, type Session } from './session.js';
import { SlotFeed } from './slot-feed.js';
import type { StreamTable } from './pgoutput.js';

export interface SlotPosition {
  feed: SlotFeed;
  /** pg_current_snapshot() before the position was read: what Firestore holds once this sync is done. */
  applied: string;
  /** The WAL position this sync reads up to (once the source has flushed it). */
  upto: string;
  /** The source's clock at the position. */
  at: Date;
  /** Resolves with the position once decodable, or with what was flushed when the source lags (see SlotFeed.flushed). */
  decodable: Promise<string>;
  /** The first chunk's messages, fetched while the sync prepares (the source decodes them meanwhile). */
  firstChunk: Promise<Buffer[]>;
  /** Changes per chunk. */
  chunk: number;
}

/**
 * A table as the stream is decoded for it: the key always; the columns when its rows are applied
 * from the stream (a table unit's), not read again. The users' and Auth tables are read again: their
 * units build a user from several rows.
 */
export function streamTable(table: SourceTable | undefined, rowsApplied: boolean): StreamTable | undefined {
  return table && { key: table.primaryKey, columns: rowsApplied ? table.columns : null };
}

/**
 * Opens the slot and fixes the position; the context's source then reads a snapshot taken after
 * it. The source flushes its WAL meanwhile (the caller prepares its reads). `tableOf` is asked only
 * once changes are decoded (the catalog is read after the source's refresh).
 */
export async function openSlotPosition(
  ctx: MigrationContext,
  doc: MigrationSyncDoc,
  units: readonly string[],
  tableOf: (table: string) => StreamTable | undefined,
  chunk: number,
): Promise<SlotPosition> {
  if (!ctx.source.url || !ctx.source.refresh || !doc.slot || !doc.publication) throw new Error('the slot mechanism needs the postgres source');
  const tables = new Set(units.flatMap(tablesOfUnit));
  const feed = new SlotFeed(ctx.source.url, doc.slot, doc.publication, (t) => (tables.has(t) ? tableOf(t) : undefined));
  try {
    await feed.open();
    const { snapshot, lsn, at } = await feed.position();
    await ctx.source.refresh();
    const decodable = feed.flushed(lsn);
    const firstChunk = decodable.then((upto) => feed.peek(upto, chunk));
    // Both awaited by syncFromSlot; a failure is reported there.
    decodable.catch(() => undefined);
    firstChunk.catch(() => undefined);
    return { feed, applied: snapshot, upto: lsn, at, decodable, firstChunk, chunk };
  } catch (err) {
    await feed.close();
    throw err;
  }
}

export interface SlotSyncResult {
  changes: number;
  lsn: string | null;
  /** The commit time of the last change applied (the source's clock), if any. */
  lastCommitAt: Date | null;
  /** Every change up to the position was applied (false when the source had not flushed it in time). */
  complete: boolean;
}

/** Applies the slot's changes up to the position, a chunk at a time, confirming each chunk once applied. */
export async function syncFromSlot(s: Session, position: SlotPosition, doc: MigrationSyncDoc, onApplied?: OnApplied): Promise<SlotSyncResult> {
  const { feed, chunk } = position;
  const upto = await position.decodable;
  let changes = 0;
  let lsn = doc.lsn;
  let lastCommitAt: Date | null = null;
  let first = true;
  for (;;) {
    const next = first ? feed.decode(await position.firstChunk, chunk) : await feed.next(upto, chunk);
    if (first) rejectedKeys(s, next.changes);
    first = false;
    if (next.changes.empty && next.end === null) break;
    await apply(s, next.changes, false, next.complete ? onApplied : undefined);
    changes += next.changes.count;
    lastCommitAt = next.lastCommitAt ?? lastCommitAt;
    if (next.end) {
      await feed.advance(next.end);
      lsn = next.end;
    }
    if (next.end === null || next.complete) break;
  }
  return { changes, lsn, lastCommitAt, complete: upto === position.upto };
}

/** Changes waiting after the slot's confirmed position: nothing, when the source has been silent since. */
export async function pendingChanges(feed: SlotFeed): Promise<{ changes: ChangeSet; lastCommitAt: Date | null; now: Date }> {
  const { lsn, at } = await feed.position();
  const next = await feed.next(await feed.flushed(lsn), 10_000);
  return { changes: next.changes, lastCommitAt: next.lastCommitAt, now: at };
}
