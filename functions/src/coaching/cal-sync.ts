/**
 * Cal.com event types into `cal_event_types`, daily and on an admin's request: the answer of
 * cal-api.ts folded into the stored types in ONE transaction — new ones created, changed ones
 * rewritten (the admins' own `metadata` and `created_at` kept), ones gone from Cal.com or hidden
 * there inactive — with the outcome in `integration_syncs/cal_event_types`. Two syncs at once
 * conflict on the documents and the second finds nothing left to change. A failure is recorded
 * and told to the admins once per run of failures (an inbox item each); the next success clears it.
 */
import { HttpsError } from 'firebase-functions/v2/https';
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import {
  calEventTypes,
  calEventTypesAll,
  integrationSyncs,
  type CalEventTypeDoc,
  type IntegrationSyncDoc,
  type syncCalEventTypes as contract,
} from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import type { Deps } from '../core/deps.js';
import { runTx, txSet } from '../core/firestore.js';
import { buildQuery } from '../core/query.js';
import { adminUids } from '../shared/admins.js';
import { notifyInbox } from '../shared/outbox.js';
import { CalApiError, fetchEventTypes, type CalApi, type CalEventType } from './cal-api.js';

export interface CalSyncDeps extends Deps {
  cal: CalApi;
}

export interface SyncCounts {
  fetched: number;
  created: number;
  updated: number;
  deactivated: number;
  unchanged: number;
  skipped: number;
}

const SYNC = 'cal_event_types';
const stateRef = (db: Firestore) => db.doc(integrationSyncs.docPath({ name: SYNC })).withConverter(integrationSyncs.converter);
const typeRef = (db: Firestore, id: string) => db.doc(calEventTypes.docPath({ eventTypeId: id })).withConverter(calEventTypes.converter);

/** What Cal.com says of an event type, over what we stored of it. */
export function eventTypeDoc(t: CalEventType, was: CalEventTypeDoc | undefined, now: Timestamp): CalEventTypeDoc {
  return {
    slug: t.slug,
    title: t.title,
    description: t.description ?? null,
    duration_minutes: t.lengthInMinutes,
    price_minor: t.price ?? null,
    currency: t.currency ? t.currency.toUpperCase() : null,
    active: !(t.hidden ?? false),
    metadata: was?.metadata ?? {},
    created_at: was?.created_at ?? now,
    updated_at: now,
  };
}

const FIELDS = ['slug', 'title', 'description', 'duration_minutes', 'price_minor', 'currency', 'active'] as const;
const sameType = (a: CalEventTypeDoc, b: CalEventTypeDoc): boolean => FIELDS.every((k) => a[k] === b[k]);

async function applyTypes(deps: CalSyncDeps, types: readonly CalEventType[], skipped: number, startedAt: Timestamp): Promise<SyncCounts> {
  const db = deps.db;
  return runTx(db, async (tx) => {
    const stored = await tx.get(buildQuery(db, calEventTypesAll, []).withConverter(calEventTypes.converter));
    const now = Timestamp.fromDate(deps.now());
    const byId = new Map(stored.docs.map((d) => [d.id, d.data()]));
    const counts: SyncCounts = { fetched: types.length, created: 0, updated: 0, deactivated: 0, unchanged: 0, skipped };
    const seen = new Set<string>();
    for (const t of types) {
      const id = String(t.id);
      seen.add(id);
      const was = byId.get(id);
      const next = eventTypeDoc(t, was, now);
      if (was && sameType(was, next)) counts.unchanged++;
      else {
        if (was) counts.updated++;
        else counts.created++;
        txSet(tx, typeRef(db, id), next);
      }
    }
    for (const [id, was] of byId) {
      if (seen.has(id) || was.active === false) continue;
      counts.deactivated++;
      txSet(tx, typeRef(db, id), { ...was, active: false, updated_at: now });
    }
    const last: IntegrationSyncDoc = {
      started_at: startedAt,
      finished_at: now,
      ok: true,
      error: null,
      counts: { ...counts },
      last_success_at: now,
      failing_since: null,
      alerted: false,
    };
    txSet(tx, stateRef(db), last);
    return counts;
  });
}

async function recordFailure(deps: CalSyncDeps, err: CalApiError, startedAt: Timestamp): Promise<void> {
  const db = deps.db;
  const admins = await adminUids(db);
  await runTx(db, async (tx) => {
    const was = (await tx.get(stateRef(db))).data();
    const now = Timestamp.fromDate(deps.now());
    const failingSince = was && !was.ok && was.failing_since ? was.failing_since : now;
    // Once per run of failures: a daily sync that keeps failing does not fill the inbox.
    if (!(was && !was.ok && was.alerted)) {
      for (const uid of admins)
        notifyInbox(
          tx,
          db,
          uid,
          `cal-sync-failed-${failingSince.toMillis()}`,
          {
            type: 'system',
            title: 'Cal.com event types could not be synced',
            message: `${err.message}. The daily sync tries again; an admin can run it from the event types page.`,
            metadata: { sync: SYNC, status: err.status },
            expires_at: Timestamp.fromMillis(now.toMillis() + 30 * 86_400_000),
          },
          now,
        );
    }
    txSet(tx, stateRef(db), {
      started_at: startedAt,
      finished_at: now,
      ok: false,
      error: err.message,
      counts: was?.counts ?? null,
      last_success_at: was?.last_success_at ?? null,
      failing_since: failingSince,
      alerted: true,
    });
  });
}

/** One sync: Cal.com's event types stored, or the failure recorded (and returned). */
export async function runCalSync(deps: CalSyncDeps): Promise<{ ok: true; counts: SyncCounts } | { ok: false; error: CalApiError }> {
  const startedAt = Timestamp.fromDate(deps.now());
  try {
    const { types, skipped } = await fetchEventTypes(deps.cal);
    return { ok: true, counts: await applyTypes(deps, types, skipped, startedAt) };
  } catch (err) {
    if (!(err instanceof CalApiError)) throw err;
    await recordFailure(deps, err, startedAt);
    return { ok: false, error: err };
  }
}

/** `syncCalEventTypes` (admins): the same sync now; a refused or missing key is failed-precondition, anything else of Cal.com's unavailable. */
export const syncCalEventTypes: CallableHandler<typeof contract, CalSyncDeps> = async (_input, _caller, deps) => {
  const r = await runCalSync(deps);
  if (r.ok) return r.counts;
  const keyProblem = r.error.status === 401 || r.error.status === 403 || (r.error.status === null && !deps.cal.apiKey);
  throw new HttpsError(keyProblem ? 'failed-precondition' : 'unavailable', r.error.message);
};
