/**
 * The path without a replication slot, proven: the same change set (inserts, updates, deletes, a role
 * removed, a profile renamed, a row moved to another user) reaches Firestore through `sync` after
 * `run --no-slot`, on a server whose wal_level is below logical, and with the supabase source against
 * the PostgREST stand-in; `verify` passes after each, and one more sync deletes nothing more.
 */
import type { PostgresServer } from '@zhengrowth/devstack';
import type { TestDatabase, TestFirebase } from '@zhengrowth/devstack/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/seed/index.js';
import { expectChangeSet, makeChangeSet } from './change-set.js';
import { discardFirebase, firebaseFor, seededDatabase, targetEnv, zg } from './migrate-helpers.js';
import { startPostgresBelowLogical } from './pg-below-logical.js';
import { withClient } from './pg-helpers.js';
import { startPostgrestStub, type PostgrestStub } from './postgrest-stub.js';

/** run (exit 0, or 3 for rows the source cannot own), the change set, sync, checks, verify, an idle sync. */
async function changeSetThroughSync(
  source: string,
  url: string,
  fb: TestFirebase,
  env: Record<string, string>,
  runArgs: string[],
  mechanism: RegExp,
): Promise<void> {
  const run = await zg(['run', '--source', source, ...runArgs], env);
  expect([0, 3], run.err).toContain(run.code);
  const made = await makeChangeSet(url);
  const s = await zg(['sync', '--source', source], env);
  expect(s.err).not.toMatch(/zg-migrate:/);
  expect(s.out).toMatch(mechanism);
  expect(s.code).toBe(0);
  await expectChangeSet(fb.db, fb.auth, made);
  const v = await zg(['verify', '--source', source], env);
  expect(v.out).toMatch(/OK: every migrated row matches/);
  expect(v.code).toBe(0);
  // Without a stream a sync rewrites what it cannot tell unchanged (harmless), but deletes nothing more.
  const again = await zg(['sync', '--source', source], env);
  expect(again.out).toMatch(/ 0 deleted/);
  expect(again.code).toBe(0);
}

describe('sync without a replication slot', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c().catch(() => undefined);
  });

  it('carries the change set after run --no-slot (by xmin)', async () => {
    const db: TestDatabase = await seededDatabase(0.01, 'zg_noslot');
    const fb = firebaseFor('noslot');
    cleanup.push(
      () => db.drop(),
      () => discardFirebase(fb),
    );
    await changeSetThroughSync(db.url, db.url, fb, targetEnv(fb), ['--no-slot'], /Synced by xmin \(no slot\)/);
    const status = await zg(['status'], targetEnv(fb));
    expect(status.out).toMatch(/Sync \(active\): xmin \(no slot\)/);
  }, 600_000);

  it('carries the change set on a server whose wal_level is below logical (the run says why it has no slot)', async () => {
    const server: PostgresServer = await startPostgresBelowLogical();
    const fb = firebaseFor('walreplica');
    cleanup.push(
      () => server.stop(),
      () => discardFirebase(fb),
    );
    expect(await withClient(server.url, async (c) => (await c.query<{ w: string }>("SELECT current_setting('wal_level') AS w")).rows[0]?.w)).toBe('replica');
    await seedDemo(server.url, { scale: 0.01, seed: 'fixture' });
    // Asked for old rows, but no slot came: the tables go back to their replica identity.
    await changeSetThroughSync(server.url, server.url, fb, targetEnv(fb), ['--replica-identity-full'], /Synced by xmin \(no slot\)/);
    const status = await zg(['status'], targetEnv(fb));
    expect(status.out).toMatch(/no replication slot: .*wal_level/);
    expect(status.out).not.toMatch(/REPLICA IDENTITY FULL/);
    const full = await withClient(server.url, async (c) =>
      (await c.query<{ relname: string }>("SELECT relname FROM pg_class WHERE relreplident = 'f' AND relnamespace = 'public'::regnamespace")).rows.map(
        (r) => r.relname,
      ),
    );
    expect(full).toEqual([]);
  }, 600_000);

  it('carries the change set with the supabase source (every row again, through the API)', async () => {
    const db: TestDatabase = await seededDatabase(0.01, 'zg_apisync');
    const fb = firebaseFor('apisync');
    const stub: PostgrestStub = await startPostgrestStub(db.url);
    cleanup.push(
      () => db.drop(),
      () => stub.close(),
      () => discardFirebase(fb),
    );
    const env = { ...targetEnv(fb), SUPABASE_URL: stub.url, SUPABASE_SERVICE_ROLE_KEY: stub.key };
    await changeSetThroughSync('supabase', db.url, fb, env, [], /Synced every row again \(no slot, no snapshot\)/);
  }, 600_000);
});
