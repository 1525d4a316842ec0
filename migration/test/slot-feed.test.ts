/**
 * The slot feed reads everything committed before a sync starts, even a commit the source has not
 * flushed yet (synchronous_commit=off, as on the tests' servers and possibly a customer's). Its own
 * cluster, with a WAL writer slowed to 5 s, makes the unflushed window wide enough to hit every time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '@zhengrowth/devstack';
import { SlotFeed } from '../src/migrate/sync/slot-feed.js';
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
  it('reads a change committed just before it, though the source has not flushed it yet', async () => {
    await withClient(pg.url, async (c) => {
      // Fill the WAL writer's round, so that the commit below waits for its next one (5 s away).
      await c.query('SELECT pg_sleep(0.3)');
      await c.query('SET synchronous_commit = off');
      await c.query(`INSERT INTO items VALUES (1, 'one'), (2, 'two')`);
    });
    const feed = new SlotFeed(pg.url, 'feed_slot', 'feed_pub', () => 'id');
    await feed.open();
    try {
      const upto = await feed.currentLsn();
      const { changes, end } = await feed.next(upto, 1000);
      expect(changes.keys('items').sort()).toEqual(['1', '2']);
      expect(end).not.toBeNull();
    } finally {
      await feed.close();
    }
  });
});
