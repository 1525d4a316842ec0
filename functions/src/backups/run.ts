/**
 * The daily Firestore backup: settle the exports still marked running (ask the API how each
 * ended), start today's export under a lease (one export per day however many runs overlap or
 * retry), then delete export folders past the retention. A failure is recorded, told to the admins
 * and thrown, so the scheduler retries; retention runs only after today's export has started, so
 * failing exports never leave the bucket without its latest backups.
 */
import type { StorageBucket as Bucket } from '../core/app.js';
import { Timestamp } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions/logger';
import { backupRunsByStatus, backupRuns, type BackupRunDoc } from '@zhengrowth/model';
import type { Deps } from '../core/deps.js';
import { txSet, runTx } from '../core/firestore.js';
import { holds, leaseLive, nextLease, type Lease, type LeaseView } from '../core/lease.js';
import { buildQuery } from '../core/query.js';
import { adminUids } from '../shared/admins.js';
import { alertBackupFailed } from './alerts.js';
import type { FirestoreExporter } from './exporter.js';
import { EXPORT_ROOT, pruneExports } from './retention.js';

export interface BackupDeps extends Deps {
  exporter: FirestoreExporter;
  bucket: Bucket;
  retentionDays: number;
}

export interface BackupOutcome {
  day: string;
  /** started: this run started the export; taken: another run has (or is starting) it. */
  export: 'started' | 'taken';
  settled: Array<{ day: string; status: 'succeeded' | 'failed' }>;
  pruned: string[];
}

/** A run that took the day may take this long to have the API accept the export. */
export const START_LEASE_MS = 10 * 60_000;

export const utcDay = (d: Date): string => d.toISOString().slice(0, 10);
const runRef = (deps: Deps, day: string) => deps.db.doc(backupRuns.docPath({ day })).withConverter(backupRuns.converter);

export async function runDailyBackup(deps: BackupDeps): Promise<BackupOutcome> {
  const day = utcDay(deps.now());
  const admins = await adminUids(deps.db);
  const settled = await settleRunning(deps, admins);
  const started = await startExport(deps, day, admins);
  const oldestKept = utcDay(new Date(Date.parse(`${day}T00:00:00Z`) - (deps.retentionDays - 1) * 86_400_000));
  const pruned = await pruneExports(deps.bucket, oldestKept);
  if (pruned.length) logger.info('old Firestore exports deleted', { days: pruned.length, oldestKept });
  return { day, export: started ? 'started' : 'taken', settled, pruned };
}

/** Records how each export still marked running ended (once: the transition happens in a transaction). */
async function settleRunning(deps: BackupDeps, admins: readonly string[]): Promise<BackupOutcome['settled']> {
  const running = await buildQuery(deps.db, backupRunsByStatus, ['running']).withConverter(backupRuns.converter).get();
  const settled: BackupOutcome['settled'] = [];
  for (const doc of running.docs) {
    const { operation, day } = doc.data();
    if (!operation) continue;
    const status = await deps.exporter.status(operation);
    if (!status.done) continue;
    const outcome = status.error ? 'failed' : 'succeeded';
    const changed = await runTx(deps.db, async (tx) => {
      const current = (await tx.get(runRef(deps, day))).data();
      if (current?.status !== 'running' || current.operation !== operation) return false;
      const now = Timestamp.fromDate(deps.now());
      txSet(tx, runRef(deps, day), { ...current, status: outcome, error: status.error, finished_at: now, updated_at: now });
      if (status.error) alertBackupFailed(tx, deps.db, admins, day, status.error, now);
      return true;
    });
    if (changed) {
      settled.push({ day, status: outcome });
      if (status.error) logger.error('Firestore export failed', { day, error: status.error });
    }
  }
  return settled;
}

/** Takes the day (unless a run has it), starts the export and records its operation; false when taken. */
async function startExport(deps: BackupDeps, day: string, admins: readonly string[]): Promise<boolean> {
  const prefix = `gs://${deps.bucket.name}/${EXPORT_ROOT}${day}`;
  const lease = await takeDay(deps, day, prefix);
  if (lease === null) return false;
  const attempt = lease.attempt;
  let operation: string;
  try {
    operation = await deps.exporter.start(prefix);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    await recordStart(deps, day, lease, { status: 'failed', error: reason }, admins);
    logger.error('Firestore export could not start', { day, attempt, error: reason });
    throw new Error(`the Firestore export of ${day} could not start: ${reason}`);
  }
  await recordStart(deps, day, lease, { status: 'running', operation }, admins);
  logger.info('Firestore export started', { day, attempt, operation });
  return true;
}

const leaseView = (run: BackupRunDoc | undefined): LeaseView => ({ id: run?.lease_id, expiresAt: run?.lease_until, attempts: run?.attempts });

/** The lease this run holds on the day, or null when the day is done or another run holds it. */
async function takeDay(deps: BackupDeps, day: string, prefix: string): Promise<Lease | null> {
  return runTx(deps.db, async (tx) => {
    const ref = runRef(deps, day);
    const current = (await tx.get(ref)).data();
    const now = Timestamp.fromDate(deps.now());
    if (current && !retakeable(current, now)) return null;
    const lease = nextLease(leaseView(current), now.toDate(), START_LEASE_MS);
    const doc: BackupRunDoc = {
      day,
      status: 'running',
      output_uri_prefix: prefix,
      operation: null,
      started_at: current?.started_at ?? now,
      updated_at: now,
      finished_at: null,
      lease_until: lease.expiresAt,
      lease_id: lease.id,
      attempts: lease.attempt,
      error: null,
    };
    txSet(tx, ref, doc);
    return lease;
  });
}

/** A failed day is tried again; a running one only when its starter never recorded an operation and its lease ran out. */
function retakeable(run: BackupRunDoc, now: Timestamp): boolean {
  if (run.status === 'failed') return true;
  return run.status === 'running' && run.operation === null && !leaseLive(leaseView(run), now.toDate());
}

type StartResult = { status: 'running'; operation: string } | { status: 'failed'; error: string };

/** Records what the API said, if this run still holds the day; a failure alerts the admins. */
async function recordStart(deps: BackupDeps, day: string, lease: Lease, result: StartResult, admins: readonly string[]): Promise<void> {
  await runTx(deps.db, async (tx) => {
    const ref = runRef(deps, day);
    const current = (await tx.get(ref)).data();
    if (!current || !holds(leaseView(current), lease.id)) return;
    const now = Timestamp.fromDate(deps.now());
    if (result.status === 'running') {
      txSet(tx, ref, { ...current, operation: result.operation, lease_until: null, lease_id: null, updated_at: now });
      return;
    }
    txSet(tx, ref, { ...current, status: 'failed', error: result.error, lease_until: null, lease_id: null, finished_at: now, updated_at: now });
    alertBackupFailed(tx, deps.db, admins, day, result.error, now);
  });
}
