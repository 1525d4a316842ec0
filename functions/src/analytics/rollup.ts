/**
 * The daily analytics job (`analyticsDaily`): per UTC day, the events by name with their unique
 * users and sessions (analytics_rollups/{day} and …/names/{event}), computed from the raw events;
 * then raw events older than the retention period are deleted. Safe to run twice or overlapping:
 * a day's rollup is recomputed from what is stored and written whole (names that no longer occur
 * are removed), and deleting what is already gone does nothing.
 */
import { Timestamp, type Firestore, type QueryDocumentSnapshot } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions/logger';
import { analyticsBeforeDay, analyticsOfDay, analyticsRollupNames, analyticsRollups } from '@zhengrowth/model';
import { buildQuery } from '../core/query.js';
import type { AnalyticsDeps } from './track.js';
import { utcDay } from './events.js';

interface Tally {
  events: number;
  users: Set<string>;
  sessions: Set<string>;
}

const tally = (): Tally => ({ events: 0, users: new Set(), sessions: new Set() });

function add(t: Tally, userId: unknown, sessionId: unknown): void {
  t.events++;
  if (typeof userId === 'string') t.users.add(userId);
  if (typeof sessionId === 'string') t.sessions.add(sessionId);
}

/** Days the job looks back for a missing rollup (yesterday is always recomputed). */
const CATCH_UP_DAYS = 7;
/** Deletes per query page (BulkWriter batches them). */
const DELETE_PAGE = 1000;

export interface RollupResult {
  day: string;
  events: number;
  names: number;
}

/** One day's rollup from its raw events (only the three fields it needs are read). */
export async function rollupDay(db: Firestore, day: string, now: Date): Promise<RollupResult> {
  const total = tally();
  const byName = new Map<string, Tally>();
  const stream = buildQuery(db, analyticsOfDay, [day]).select('event_name', 'user_id', 'session_id').stream();
  for await (const snap of stream as AsyncIterable<QueryDocumentSnapshot>) {
    const name = snap.get('event_name') as unknown;
    if (typeof name !== 'string') continue;
    const t = byName.get(name) ?? tally();
    byName.set(name, t);
    add(t, snap.get('user_id'), snap.get('session_id'));
    add(total, snap.get('user_id'), snap.get('session_id'));
  }
  const writer = db.bulkWriter();
  const names = db.collection(analyticsRollupNames.collectionPath({ day })).withConverter(analyticsRollupNames.converter);
  for (const old of (await names.select().get()).docs) if (!byName.has(old.id)) void writer.delete(old.ref);
  for (const [name, t] of byName) {
    void writer.set(names.doc(name), { day, event_name: name, events: t.events, unique_users: t.users.size, unique_sessions: t.sessions.size });
  }
  void writer.set(db.doc(analyticsRollups.docPath({ day })).withConverter(analyticsRollups.converter), {
    day,
    events: total.events,
    unique_users: total.users.size,
    unique_sessions: total.sessions.size,
    names: byName.size,
    computed_at: Timestamp.fromDate(now),
  });
  await writer.close();
  return { day, events: total.events, names: byName.size };
}

/** Deletes raw events of days before the retention period; returns how many. */
export async function deleteExpiredEvents(db: Firestore, now: Date, retentionDays: number): Promise<number> {
  const cutoff = utcDay(new Date(now.getTime() - retentionDays * 86_400_000));
  let deleted = 0;
  for (;;) {
    const page = await buildQuery(db, analyticsBeforeDay, [cutoff]).select().limit(DELETE_PAGE).get();
    if (page.empty) return deleted;
    const writer = db.bulkWriter();
    for (const d of page.docs) void writer.delete(d.ref);
    await writer.close();
    deleted += page.size;
  }
}

export async function runAnalyticsDaily(deps: AnalyticsDeps): Promise<{ rolled: RollupResult[]; deleted: number }> {
  const now = deps.now();
  const rolled: RollupResult[] = [];
  for (let back = 1; back <= CATCH_UP_DAYS; back++) {
    const day = utcDay(new Date(now.getTime() - back * 86_400_000));
    const done = (await deps.db.doc(analyticsRollups.docPath({ day })).get()).exists;
    if (back === 1 || !done) rolled.push(await rollupDay(deps.db, day, now));
  }
  const deleted = await deleteExpiredEvents(deps.db, now, deps.retentionDays);
  logger.info('analyticsDaily', { days: rolled.map((r) => r.day), events: rolled.reduce((n, r) => n + r.events, 0), deleted });
  return { rolled, deleted };
}
