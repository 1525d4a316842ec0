/**
 * Whether syncs keep up with the source (`status --source`): what waits in the slot now — changes
 * and their commit times, counted without being consumed — against what the last sync applied per
 * second. A backlog B written at w changes/s and applied at a changes/s shrinks when a > w: the
 * syncs converge after about B / (a − w) seconds of syncing; they never do when a ≤ w.
 */
import type { MigrationSyncDoc } from '@zhengrowth/model';
import type pg from 'pg';
import { tallyMessage, type ChangeTally } from './pgoutput.js';

/** Counting stops here: a bigger backlog is shown as "at least". */
const MAX_COUNTED = 200_000;

export interface Backlog extends ChangeTally {
  /** More changes wait than were counted. */
  capped: boolean;
  /** The source's clock. */
  now: Date;
}

export async function backlogOf(client: pg.ClientBase, slot: string, publication: string): Promise<Backlog> {
  const res = await client.query<{ data: Buffer }>(
    `SELECT data FROM pg_logical_slot_peek_binary_changes($1, NULL, $2, 'proto_version', '1', 'publication_names', $3)`,
    [slot, MAX_COUNTED, publication],
  );
  const tally: ChangeTally = { changes: 0, firstCommitAt: null, lastCommitAt: null };
  for (const row of res.rows) tallyMessage(row.data, tally);
  const now = (await client.query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows[0]?.now ?? new Date();
  return { ...tally, capped: res.rows.length >= MAX_COUNTED, now };
}

const rate = (n: number): string => `${Math.round(n).toLocaleString('en')}`;

/** The lag trend in words: the backlog now, the source's write rate, the syncs' apply rate, and when (or whether) they converge. */
export function describeTrend(last: NonNullable<MigrationSyncDoc['last']>, backlog: Backlog | null, active: boolean): string {
  if (active) return 'trend: a sync is reading the slot now; ask again when it is done';
  if (!backlog) return 'trend: unknown (the slot could not be read)';
  const applied = last.duration_ms > 0 ? last.changes / (last.duration_ms / 1000) : 0;
  const window = Math.max(1, (backlog.now.getTime() - last.started_at.toMillis()) / 1000);
  const writes = backlog.changes / window;
  const atLeast = backlog.capped ? 'at least ' : '';
  const lag = `${atLeast}${rate(backlog.changes)} changes wait (the last sync had ${rate(last.changes)}: the lag is ${backlog.changes > last.changes ? 'growing' : 'shrinking'})`;
  if (backlog.changes === 0) return `trend: nothing waits; the syncs have caught up`;
  const pace = `the source wrote ${atLeast}${rate(writes)} changes/s since the last sync, which applied ${rate(applied)} changes/s`;
  if (last.changes < 100)
    return `trend: ${lag}; the source wrote ${atLeast}${rate(writes)} changes/s since the last sync, which had too little to do to tell its pace`;
  if (applied <= writes) return `trend: ${lag}; ${pace}: at this write rate the syncs will not converge (stop or slow the writes, or sync where it is faster)`;
  const converge = backlog.changes / (applied - writes);
  return `trend: ${lag}; ${pace}: back-to-back syncs would converge in about ${converge.toFixed(0)} s (the next one ~${(backlog.changes / applied).toFixed(1)} s)`;
}
