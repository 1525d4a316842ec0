/**
 * One command at a time per project. `run`, `sync`, `files`, `replay` and `cutover` take the lease
 * (migration_leases/zg-migrate) in a transaction before they open the source, renew it every third
 * of its time to live, and delete it when they end. A second command refuses, naming the first.
 * A lease nobody renews is taken over once it has expired — at once when its holder was a process
 * of this machine that no longer exists (kill -9, a crash) — and the taker says whose it took.
 * Expiry is judged by the clocks of the machines involved: keep them in time (NTP).
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { migrationLeases, type MigrationLeaseDoc } from '@zhengrowth/model';
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import { processAlive } from './process-alive.js';

export const LEASE_ID = 'zg-migrate';

/** Another command holds the lease: the message names it. */
export class LeaseHeld extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LeaseHeld';
  }
}

/** This command lost its lease (another took it over after it expired): it must stop. */
export class LeaseLost extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LeaseLost';
  }
}

function describe(l: MigrationLeaseDoc, now: number): string {
  const ago = Math.max(0, Math.round((now - l.heartbeat_at.toMillis()) / 1000));
  return `\`${l.command}\` (pid ${l.pid} on ${l.host}, since ${l.acquired_at.toDate().toISOString()}, last heartbeat ${ago} s ago)`;
}

export interface Lease {
  readonly command: string;
  /** Throws LeaseLost once the lease is gone (checked before every commit). */
  check(): void;
  release(): Promise<void>;
}

export interface LeaseOptions {
  ttlMs: number;
  log: (line: string) => void;
  host?: string;
  pid?: number;
}

export async function acquireLease(db: Firestore, command: string, options: LeaseOptions): Promise<Lease> {
  const ref = db.doc(migrationLeases.docPath({ leaseId: LEASE_ID })).withConverter(migrationLeases.converter);
  const host = options.host ?? os.hostname();
  const pid = options.pid ?? process.pid;
  const token = randomBytes(12).toString('hex');
  const fresh = (acquired?: MigrationLeaseDoc['acquired_at']): MigrationLeaseDoc => {
    const now = Date.now();
    return {
      command,
      host,
      pid,
      token,
      acquired_at: acquired ?? Timestamp.fromMillis(now),
      heartbeat_at: Timestamp.fromMillis(now),
      expires_at: Timestamp.fromMillis(now + options.ttlMs),
    };
  };
  const taken = await db.runTransaction(async (tx) => {
    const held = (await tx.get(ref)).data();
    const now = Date.now();
    let note: string | null = null;
    if (held) {
      const expired = held.expires_at.toMillis() <= now;
      const gone = held.host === host && held.pid !== pid && !processAlive(held.pid);
      if (!expired && !gone) {
        throw new LeaseHeld(
          `another zg-migrate command is working on this project: ${describe(held, now)}. Wait for it to end; if it died on another machine, its lease expires at ${held.expires_at.toDate().toISOString()} and the next command takes it over.`,
        );
      }
      note = `Took over the lease of ${describe(held, now)}: ${gone ? 'that process no longer exists on this machine' : 'it had expired'}.`;
    }
    tx.set(ref, fresh());
    return note;
  });
  if (taken) options.log(taken);

  let lost: LeaseLost | null = null;
  const renew = async (): Promise<void> => {
    try {
      await db.runTransaction(async (tx) => {
        const held = (await tx.get(ref)).data();
        if (!held || held.token !== token) {
          lost = new LeaseLost(
            `this ${command} lost its lease${held ? ` to ${describe(held, Date.now())}` : ''} (it was not renewed in time): it stops here; what it did is saved`,
          );
          return;
        }
        tx.set(ref, fresh(held.acquired_at));
      });
    } catch (err) {
      options.log(`warning: could not renew the lease: ${(err as Error).message}`);
    }
  };
  let lastRenewed = Date.now();
  const timer = setInterval(
    () => {
      void renew().then(() => {
        if (!lost) lastRenewed = Date.now();
      });
    },
    Math.max(250, Math.floor(options.ttlMs / 3)),
  );
  timer.unref();
  return {
    command,
    check() {
      if (!lost && Date.now() - lastRenewed > options.ttlMs) {
        lost = new LeaseLost(
          `this ${command} could not renew its lease for ${Math.round(options.ttlMs / 1000)} s: it stops here, as another command may now take over; what it did is saved`,
        );
      }
      if (lost) throw lost;
    },
    async release() {
      clearInterval(timer);
      await db
        .runTransaction(async (tx) => {
          const held = (await tx.get(ref)).data();
          if (held?.token === token) tx.delete(ref);
        })
        .catch((err: unknown) => options.log(`warning: could not release the lease: ${(err as Error).message}`));
    },
  };
}

/** The lease as it stands (status shows it). */
export async function currentLease(db: Firestore): Promise<MigrationLeaseDoc | null> {
  return (
    (
      await db
        .doc(migrationLeases.docPath({ leaseId: LEASE_ID }))
        .withConverter(migrationLeases.converter)
        .get()
    ).data() ?? null
  );
}

export function describeLease(l: MigrationLeaseDoc): string {
  return `${describe(l, Date.now())}, expires ${l.expires_at.toDate().toISOString()}`;
}
