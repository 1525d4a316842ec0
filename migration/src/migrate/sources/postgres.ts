/**
 * The postgres:// source: one consistent snapshot for every table, held by a coordinator connection
 * (postgres-snapshot.ts) and imported by every reader (postgres-reads.ts).
 */
import pg from 'pg';
import { holdSnapshot, type SlotWanted } from './postgres-snapshot.js';
import { SnapshotReads } from './postgres-reads.js';
import { checkNotTransactionPooler, redactPostgresUrl } from './postgres-url.js';
import type { Source } from './source.js';

export interface PostgresSourceOptions {
  /** Connections for parallel readers. */
  readers: number;
  /** Read in this exported snapshot (another source's snapshotId) instead of taking a new one. */
  snapshot?: string;
  /**
   * Read in the snapshot of a new replication slot of this name (dropping an older one of the same
   * name), publishing these tables, so that `sync` can follow every later change. When PostgreSQL
   * refuses (no REPLICATION, wal_level, no free slot), the source reads a snapshot of its own and
   * `feed` says why there is no slot.
   */
  slot?: SlotWanted;
  /** Notes for the user (why there is no slot). */
  log?: (line: string) => void;
}

export async function openPostgresSource(url: string, options: PostgresSourceOptions): Promise<Source> {
  checkNotTransactionPooler(url);
  const held = await holdSnapshot(url, options);
  const { coordinator, feed } = held;
  let { snapshot } = held;
  const pool = new pg.Pool({ connectionString: url, max: Math.max(2, options.readers), application_name: 'zg-migrate' });
  // An idle pooled client that errors (server restart) must not crash the process.
  pool.on('error', () => undefined);
  coordinator?.on('error', () => undefined);
  const reads = new SnapshotReads(pool, () => snapshot);
  // What the snapshot sees, for sync's xmin mechanism and cutover's check of rows changed since.
  feed.snapshot = await reads.currentSnapshot();

  const source: Source = {
    kind: 'postgres',
    description: redactPostgresUrl(url),
    canReadAuthUsers: true,
    consistent: true,
    snapshotId: snapshot,
    feed,
    url,
    workerSpec: () => ({ url, snapshot }),
    catalog: (tables) => reads.catalog(tables),
    count: (table, after, orderBy) => reads.count(table, after, orderBy),
    scan: (table, opts) => reads.scan(table, opts),
    splitKeys: (table, after, chunkRows) => reads.splitKeys(table, after, chunkRows),
    byKeys: (table, column, values) => reads.byKeys(table, column, values),
    changedKeys: (table, since) => reads.changedKeys(table, since),

    async refresh() {
      if (!coordinator || feed.mechanism === 'slot') throw new Error('this source reads a fixed snapshot');
      await coordinator.query('COMMIT');
      await coordinator.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const res = await coordinator.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
      snapshot = res.rows[0]?.id ?? '';
      source.snapshotId = snapshot;
      feed.snapshot = await reads.currentSnapshot();
    },

    async close() {
      if (coordinator) {
        if (feed.mechanism !== 'slot') await coordinator.query('COMMIT').catch(() => undefined);
        await coordinator.end().catch(() => undefined);
      }
      await pool.end().catch(() => undefined);
    },
  };
  return source;
}
