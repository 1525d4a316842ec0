/**
 * The slot feed reads everything committed before a sync starts, even a commit the source has not
 * flushed yet (synchronous_commit=off, as on the tests' servers and possibly a customer's). Its own
 * cluster, with a WAL writer slowed to 5 s, makes the unflushed window wide enough to hit every time.
 * The rows it decodes are the rows a read gives, value for value, whatever the source's settings.
 */
import pgLib from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '@zhengrowth/devstack';
import type { SourceRow, SourceTable } from '../src/migrate/sources/catalog.js';
import { SnapshotReads } from '../src/migrate/sources/postgres-reads.js';
import type { KeyChange } from '../src/migrate/sync/changes.js';
import { SlotFeed } from '../src/migrate/sync/slot-feed.js';
import { streamTable } from '../src/migrate/sync/slot-sync.js';
import { withClient } from './pg-helpers.js';

let pg: PostgresServer;

beforeAll(async () => {
  pg = await startPostgres({ useEnv: false });
  await withClient(pg.url, async (c) => {
    await c.query(`ALTER SYSTEM SET wal_writer_delay = '5s'`);
    await c.query('SELECT pg_reload_conf()');
    await c.query('CREATE TABLE items (id int PRIMARY KEY, name text)');
    await c.query('CREATE PUBLICATION feed_pub FOR TABLE items');
    await c.query(`SELECT pg_create_logical_replication_slot('feed_slot', 'pgoutput')`);
  });
}, 120_000);

afterAll(async () => {
  await pg?.stop();
});

describe('the slot feed', () => {
  /** The logical messages in the slot (a sync never asks for them; the test does, to see the feed's). */
  const messages = async (): Promise<string[]> =>
    withClient(pg.url, async (c) =>
      (
        await c.query<{ data: Buffer }>(
          `SELECT data FROM pg_logical_slot_peek_binary_changes('feed_slot', NULL, NULL, 'proto_version', '1', 'publication_names', 'feed_pub', 'messages', 'true')`,
        )
      ).rows
        .map((r) => r.data)
        .filter((d) => d.toString('latin1', 0, 1) === 'M')
        .map((d) => d.toString('latin1')),
    );

  it('reads a change committed just before it, though the source has not flushed it yet: it asks the source to flush', async () => {
    await withClient(pg.url, async (c) => {
      // Fill the WAL writer's round, so that the commit below waits for its next one (5 s away).
      await c.query('SELECT pg_sleep(0.3)');
      await c.query('SET synchronous_commit = off');
      await c.query(`INSERT INTO items VALUES (1, 'one'), (2, 'two')`);
    });
    const feed = new SlotFeed(pg.url, 'feed_slot', 'feed_pub', () => ({ key: 'id', columns: null }));
    await feed.open();
    try {
      const upto = await feed.currentLsn();
      const { changes, end } = await feed.next(upto, 1000);
      expect(changes.keys('items').sort()).toEqual(['1', '2']);
      expect(end).not.toBeNull();
      // The flush was asked for with a message of its own (no WAL writer's round waited for)...
      expect((await messages()).some((m) => m.includes('zg-migrate'))).toBe(true);
      // ... whose transaction is not in the stream: a source that is silent stays so.
      await feed.advance(end as string);
      const after = await feed.next(await feed.currentLsn(), 1000);
      expect([after.changes.empty, after.end]).toEqual([true, null]);
    } finally {
      await feed.close();
    }
  });

  it('waits for the WAL writer where the source refuses the flush message', async () => {
    await withClient(pg.url, async (c) => {
      await c.query('REVOKE EXECUTE ON FUNCTION pg_logical_emit_message(boolean, text, text) FROM PUBLIC');
      await c.query('CREATE ROLE syncer LOGIN REPLICATION');
      await c.query('GRANT SELECT ON items TO syncer');
      // The WAL writer at its usual pace (200 ms): what the feed waits for here.
      await c.query('ALTER SYSTEM RESET wal_writer_delay');
      await c.query('SELECT pg_reload_conf()');
      await c.query('SET synchronous_commit = off');
      await c.query(`INSERT INTO items VALUES (3, 'three')`);
    });
    const before = (await messages()).length;
    const feed = new SlotFeed(pg.url.replace('postgres@', 'syncer@'), 'feed_slot', 'feed_pub', () => ({ key: 'id', columns: null }));
    await feed.open();
    try {
      const { changes } = await feed.next(await feed.currentLsn(), 1000);
      expect(changes.keys('items')).toEqual(['3']);
      expect((await messages()).length).toBe(before);
    } finally {
      await feed.close();
      await withClient(pg.url, (c) => c.query('GRANT EXECUTE ON FUNCTION pg_logical_emit_message(boolean, text, text) TO PUBLIC'));
    }
  });
});

describe('rows from the stream', () => {
  // A database whose sessions print values otherwise than the reads ask for (time zone, dates, floats).
  const url = (): string => pg.url.replace(/\/postgres$/, '/kinds');
  let pool: pgLib.Pool;

  beforeAll(async () => {
    await withClient(pg.url, async (c) => {
      // The WAL writer back to its pace: nothing below needs an unflushed commit.
      await c.query('ALTER SYSTEM RESET wal_writer_delay');
      await c.query('SELECT pg_reload_conf()');
      await c.query('CREATE DATABASE kinds');
      await c.query(`ALTER DATABASE kinds SET timezone = 'Asia/Shanghai'`);
      await c.query(`ALTER DATABASE kinds SET DateStyle = 'SQL, DMY'`);
      await c.query('ALTER DATABASE kinds SET extra_float_digits = 0');
    });
    await withClient(url(), async (c) => {
      await c.query(`CREATE TYPE mood AS ENUM ('calm', 'busy')`);
      await c.query(`CREATE TABLE kinds (
        id uuid PRIMARY KEY, t text, v varchar(20), c char(6), e mood, ip inet, net cidr, mac macaddr,
        ts timestamptz, d date, i integer, s smallint, b bigint, n numeric(12, 2), r real, f double precision,
        flag boolean, j jsonb, js json, tags text[], names varchar(10)[], big text)`);
      // Out of line and uncompressed: an update that leaves it alone sends it as "unchanged".
      await c.query('ALTER TABLE kinds ALTER COLUMN big SET STORAGE EXTERNAL');
      await c.query('CREATE TABLE generated (id int PRIMARY KEY, a int, twice int GENERATED ALWAYS AS (a * 2) STORED)');
      await c.query('CREATE PUBLICATION kinds_pub FOR TABLE kinds, generated');
      await c.query(`SELECT pg_create_logical_replication_slot('kinds_slot', 'pgoutput')`);
    });
    pool = new pgLib.Pool({ connectionString: url(), max: 2 });
    // An idle client is ended by the server's shutdown at the end of the file.
    pool.on('error', () => undefined);
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
  });

  /** Reads in a snapshot of now, as a sync reads its rows. */
  async function inSnapshot<T>(fn: (reads: SnapshotReads) => Promise<T>): Promise<T> {
    return withClient(url(), async (holder) => {
      await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      const snapshot = (await holder.query<{ s: string }>('SELECT pg_export_snapshot() AS s')).rows[0]?.s ?? '';
      try {
        return await fn(new SnapshotReads(pool, () => snapshot));
      } finally {
        await holder.query('COMMIT');
      }
    });
  }

  /** The changes committed so far, decoded as a sync decodes them (rows applied from the stream), and the slot moved past them. */
  async function drain(db = url(), tables?: Map<string, SourceTable>, slot = 'kinds_slot'): Promise<Map<string, Map<string, KeyChange>>> {
    const catalog = tables ?? (await inSnapshot((r) => r.catalog(['kinds', 'generated'])));
    const feed = new SlotFeed(db, slot, 'kinds_pub', (t) => streamTable(catalog.get(t), true));
    await feed.open();
    try {
      const { changes, end } = await feed.next(await feed.currentLsn(), 10_000);
      if (end) await feed.advance(end);
      return changes.tables;
    } finally {
      await feed.close();
    }
  }

  async function read(ids: string[]): Promise<Map<string, SourceRow>> {
    return inSnapshot(async (r) => {
      const table = (await r.catalog(['kinds'])).get('kinds');
      if (!table) throw new Error('no table kinds');
      return new Map((await r.byKeys(table, 'id', ids)).map((row) => [row.id ?? '', row]));
    });
  }

  const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003'];

  it('are, value for value, the rows a read gives', async () => {
    await withClient(url(), async (c) => {
      await c.query(
        `INSERT INTO kinds VALUES
          ($1, 'it''s ünïcode', 'varchar', 'ab', 'busy', '10.1.2.3', '10.0.0.0/8', '08:00:2b:01:02:03',
           '2026-12-08 03:04:05.123456+08', '2026-02-28', -5, 7, 9007199254740993, 12.3, 0.1, 0.30000000000000004,
           true, '{"a": [1, 2.50, "x"], "b": null}', '{"b" :  1}', '{a,"b c",NULL}', '{x}', repeat('x', 100000)),
          ($2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
          ($3, '', '', '', 'calm', '2001:db8::1', '2001:db8::/32', '08:00:2b:01:02:04',
           '1999-12-31 23:59:59+00', '0044-03-15 BC', 0, 0, 0, 0, 'NaN', '-Infinity', false, '[]', '"s"', '{}', '{}', 'small')`,
        ids,
      );
      await c.query(`INSERT INTO generated (id, a) VALUES (1, 21)`);
    });
    const changes = await drain();
    const rows = await read(ids);
    for (const id of ids) expect(changes.get('kinds')?.get(id)?.now).toEqual(rows.get(id));
    expect(rows.get(ids[0] as string)?.flag).toBe('true');
    expect(rows.get(ids[0] as string)?.ip).toBe('10.1.2.3/32');
    expect(rows.get(ids[2] as string)?.ip).toBe('2001:db8::1/128');
    expect(rows.get(ids[2] as string)?.ts).toBe('1999-12-31 23:59:59+00');
    // pgoutput leaves out a generated column: that table's rows are read again.
    expect(changes.get('generated')?.get('1')).toMatchObject({ onlyInserted: true, now: undefined });
  });

  it('take a value left out as unchanged from the old row, or else are read again', async () => {
    const [first, , third] = ids as [string, string, string];
    await withClient(url(), async (c) => {
      await c.query(`UPDATE kinds SET t = 'edited', flag = false WHERE id = $1`, [first]);
      await c.query(`UPDATE kinds SET t = 'edited too' WHERE id = $1`, [third]);
    });
    // The default replica identity: the big value is left out and the stream has no old row to take it from.
    let changes = await drain();
    expect(changes.get('kinds')?.get(first)).toMatchObject({ now: undefined, olds: [] });
    // A small value is always sent.
    expect(changes.get('kinds')?.get(third)?.now).toEqual((await read([third])).get(third));

    await withClient(url(), async (c) => {
      await c.query('ALTER TABLE kinds REPLICA IDENTITY FULL');
      await c.query(`UPDATE kinds SET t = 'edited again' WHERE id = $1`, [first]);
      await c.query(`UPDATE kinds SET t = 'and again' WHERE id = $1`, [first]);
      await c.query(`DELETE FROM kinds WHERE id = $1`, [third]);
    });
    changes = await drain();
    const now = (await read([first])).get(first);
    expect(now?.big).toHaveLength(100_000);
    const change = changes.get('kinds')?.get(first);
    expect(change?.now).toEqual(now);
    // Every old row is kept: Firestore may hold any of them.
    expect(change?.olds.map((o) => o.t)).toEqual(['edited', 'edited again']);
    expect(change?.olds[0]?.flag).toBe('false');
    expect(changes.get('kinds')?.get(third)).toMatchObject({ onlyInserted: false, now: null });
  });

  it('are not taken from a database whose encoding is not UTF-8 (its rows are read again)', async () => {
    const latin = pg.url.replace(/\/postgres$/, '/latin');
    await withClient(pg.url, (c) => c.query(`CREATE DATABASE latin TEMPLATE template0 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C'`));
    await withClient(latin, async (c) => {
      await c.query('CREATE TABLE kinds (id uuid PRIMARY KEY, t text)');
      await c.query('CREATE PUBLICATION kinds_pub FOR TABLE kinds');
      await c.query(`SELECT pg_create_logical_replication_slot('latin_slot', 'pgoutput')`);
      await c.query(`INSERT INTO kinds VALUES ($1, 'café')`, [ids[0]]);
    });
    const table: SourceTable = {
      name: 'kinds',
      primaryKey: 'id',
      columns: [
        { name: 'id', pgType: 'uuid', kind: 'uuid', nullable: false },
        { name: 't', pgType: 'text', kind: 'text', nullable: true },
      ],
    };
    const change = (await drain(latin, new Map([['kinds', table]]), 'latin_slot')).get('kinds')?.get(ids[0] as string);
    expect(change).toMatchObject({ onlyInserted: true, now: undefined });
  });
});
