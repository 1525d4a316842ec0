/**
 * The snapshot a postgres source reads in, held by a coordinator connection for as long as the
 * source lives: the snapshot of a new replication slot (a run that sync may follow), or one exported
 * by a REPEATABLE READ, READ ONLY transaction (pg_export_snapshot()); or another source's snapshot,
 * imported (a pre-flight worker thread).
 */
import pg from 'pg';
import { dropSlot, NoSlot, openSlot, quietly } from './slot.js';
import { feedWithoutSlot, SourceError, type FeedOrigin } from './source.js';
import { redactPostgresUrl } from './postgres-url.js';

/** The slot a run asks for: its name, the tables it streams, and whether they carry old rows (REPLICA IDENTITY FULL). */
export interface SlotWanted {
  name: string;
  tables: readonly string[];
  fullIdentity?: boolean;
}

export interface HeldSnapshot {
  /** The connection that holds the snapshot (null when it was imported). */
  coordinator: pg.Client | null;
  snapshot: string;
  feed: FeedOrigin;
}

/** The slot's snapshot; when PostgreSQL refuses a slot (no REPLICATION, wal_level, no free slot), null and why. */
async function slotSnapshot(url: string, slot: SlotWanted, log?: (line: string) => void): Promise<HeldSnapshot | { note: string }> {
  try {
    const opened = await openSlot(url, slot.name, slot.tables, { fullIdentity: slot.fullIdentity });
    return {
      coordinator: opened.client,
      snapshot: opened.snapshot,
      feed: {
        mechanism: 'slot',
        note: null,
        slot: slot.name,
        publication: slot.name,
        streamedTables: opened.streamedTables,
        fullIdentity: opened.fullIdentity,
        fullIdentitySkipped: opened.fullIdentitySkipped,
        snapshot: null,
      },
    };
  } catch (err) {
    if (!(err instanceof NoSlot)) throw new SourceError(`cannot connect to ${redactPostgresUrl(url)}: ${(err as Error).message}`);
    log?.(
      `Without a replication slot (${err.message}), \`zg-migrate sync\` will find changed rows by xmin and deletions by comparing keys (slower; see docs/migration.md).`,
    );
    // Nothing may have been created, or the role may not drop it: nothing to clean then.
    await quietly(url, (c) => dropSlot(c, slot.name));
    return { note: `no replication slot: ${err.message}` };
  }
}

/** A REPEATABLE READ, READ ONLY transaction on a connection of its own, its snapshot exported. */
export async function exportSnapshot(url: string): Promise<{ coordinator: pg.Client; snapshot: string }> {
  const coordinator = new pg.Client({ connectionString: url, application_name: 'zg-migrate' });
  try {
    await coordinator.connect();
  } catch (err) {
    throw new SourceError(`cannot connect to ${redactPostgresUrl(url)}: ${(err as Error).message}`);
  }
  try {
    await coordinator.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const res = await coordinator.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
    const snapshot = res.rows[0]?.id ?? '';
    if (!snapshot) throw new Error('pg_export_snapshot() returned nothing');
    return { coordinator, snapshot };
  } catch (err) {
    await coordinator.end().catch(() => undefined);
    throw new SourceError(
      `cannot take a consistent snapshot on ${redactPostgresUrl(url)} (${(err as Error).message}). ` +
        'Connect to the primary directly or through a session-mode pooler, not a transaction pooler or a hot standby.',
    );
  }
}

/** The snapshot a new source reads in: imported, a new slot's, or exported. */
export async function holdSnapshot(url: string, options: { snapshot?: string; slot?: SlotWanted; log?: (line: string) => void }): Promise<HeldSnapshot> {
  let feed: FeedOrigin = feedWithoutSlot('xmin', null);
  if (options.snapshot) return { coordinator: null, snapshot: options.snapshot, feed };
  if (options.slot) {
    const held = await slotSnapshot(url, options.slot, options.log);
    if ('snapshot' in held) return held;
    feed = { ...feed, note: held.note };
  }
  return { ...(await exportSnapshot(url)), feed };
}
