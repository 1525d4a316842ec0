/**
 * One zg-migrate command at a time per project (migration_leases/zg-migrate): a second command
 * refuses, naming the first, and changes nothing; a lease nobody renews is taken over once it has
 * expired, and the taker says whose it took; a holder that lost its lease stops at its next commit.
 */
import type { TestFirebase } from '@zhengrowth/devstack/testing';
import { migrationLeases, type MigrationLeaseDoc } from '@zhengrowth/model';
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLease, LEASE_ID, LeaseHeld, LeaseLost } from '../src/migrate/state/lease.js';
import { firebaseFor, targetEnv, zg } from './migrate-helpers.js';

/** A source no command gets to: the lease is decided before the source is opened. */
const NO_SOURCE = 'postgres://nobody@127.0.0.1:1/none';

describe('the run lease', () => {
  let fb: TestFirebase;
  const leaseRef = () => fb.db.doc(migrationLeases.docPath({ leaseId: LEASE_ID })).withConverter(migrationLeases.converter);
  const held = (over: Partial<MigrationLeaseDoc>): MigrationLeaseDoc => {
    const now = Date.now();
    return {
      command: 'run',
      host: 'other-machine',
      pid: 4242,
      token: 'someone-else',
      acquired_at: Timestamp.fromMillis(now - 60_000),
      heartbeat_at: Timestamp.fromMillis(now - 1_000),
      expires_at: Timestamp.fromMillis(now + 60_000),
      ...over,
    };
  };

  beforeAll(() => {
    fb = firebaseFor('lease');
  });
  afterAll(async () => {
    await fb?.clear();
    await fb?.close();
  });

  it('a second command refuses, naming the first, and leaves its lease alone', async () => {
    const first = held({});
    await leaseRef().set(first);
    for (const args of [
      ['run', '--source', NO_SOURCE],
      ['sync', '--source', NO_SOURCE],
      ['files', '--source', NO_SOURCE],
    ]) {
      const r = await zg(args, { ...targetEnv(fb), SUPABASE_URL: 'http://127.0.0.1:1', SUPABASE_SERVICE_ROLE_KEY: 'unused' });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err).toMatch(/another zg-migrate command is working on this project: `run` \(pid 4242 on other-machine, since .*last heartbeat \d+ s ago\)/);
    }
    expect((await leaseRef().get()).data()).toEqual(first);
    // status shows who works now.
    expect((await zg(['status'], targetEnv(fb))).out).toMatch(/Working now: `run` \(pid 4242 on other-machine/);
    // In the library too, with the holder named.
    await expect(acquireLease(fb.db, 'files', { ttlMs: 5_000, log: () => undefined })).rejects.toThrow(LeaseHeld);
  });

  it('an expired lease is taken over, and the taker says whose it took', async () => {
    await leaseRef().set(held({ command: 'sync', heartbeat_at: Timestamp.fromMillis(Date.now() - 120_000), expires_at: Timestamp.fromMillis(Date.now() - 1) }));
    const r = await zg(['sync', '--source', NO_SOURCE], targetEnv(fb));
    expect(r.err).toMatch(/Took over the lease of `sync` \(pid 4242 on other-machine.*\): it had expired/);
    // The source could not be opened: the command fails, and its own lease goes with it.
    expect(r.code).toBe(1);
    expect((await leaseRef().get()).exists).toBe(false);
  });

  it('a holder renews its lease; one that lost it stops at its next check', async () => {
    const lease = await acquireLease(fb.db, 'run', { ttlMs: 1_500, log: () => undefined });
    try {
      const first = (await leaseRef().get()).data();
      expect(first?.command).toBe('run');
      expect(first?.pid).toBe(process.pid);
      await new Promise((r) => setTimeout(r, 1_200));
      const renewed = (await leaseRef().get()).data();
      expect(renewed?.heartbeat_at.toMillis()).toBeGreaterThan(first?.heartbeat_at.toMillis() ?? Infinity);
      expect(renewed?.acquired_at.toMillis()).toBe(first?.acquired_at.toMillis());
      expect(() => lease.check()).not.toThrow();

      // Another machine takes it over (as after an expiry): the next renewal finds out, check() stops the holder.
      await leaseRef().set(held({ command: 'files' }));
      await new Promise((r) => setTimeout(r, 1_200));
      expect(() => lease.check()).toThrow(LeaseLost);
      expect(() => lease.check()).toThrow(/lost its lease to `files` \(pid 4242 on other-machine/);
    } finally {
      await lease.release();
    }
    // Releasing a lease it no longer holds leaves the new holder's alone.
    expect((await leaseRef().get()).data()?.command).toBe('files');
    await leaseRef().delete();
  });
});
