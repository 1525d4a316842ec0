/**
 * Admin broadcasts: one message to a segment — everyone, a role, or a language — in pages of
 * subscriptions, with a report of what the push services answered. Visitors' anonymous
 * subscriptions count as everyone (and by their language), never as a role. A broadcast is a push
 * job like an inbox item (job.ts): the same broadcast_id sends once and a retry gets the report.
 */
import { randomBytes } from 'node:crypto';
import type { DocumentSnapshot, Query } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { logger } from 'firebase-functions/logger';
import {
  anonymousPushSubscriptions,
  anonymousPushSubscriptionsAll,
  appLangOf,
  pushSubscriptions,
  pushSubscriptionsAll,
  users,
  type BroadcastSegment,
  type broadcastPush,
} from '@zhengrowth/model';
import type { CallableHandler } from '../../core/callable.js';
import { buildQuery } from '../../core/query.js';
import type { PushDeps } from './deps.js';
import { deliverToAll, type DeliveryCount, type Subscriber } from './deliver.js';
import { claimJob, finishJob, jobRef } from './job.js';
import type { PushMessage } from './gateway.js';

const PAGE = 300;
/** A broadcast runs for minutes: its lease spans the function's whole timeout. */
export const BROADCAST_LEASE_MS = 9 * 60_000;

/** Rows that break the model (a damaged migrated row) are left out, not fatal to the broadcast. */
function parsed<T>(docs: DocumentSnapshot[], parse: (d: DocumentSnapshot) => T): Array<T & { ref: DocumentSnapshot['ref'] }> {
  return docs.flatMap((d) => {
    try {
      return [{ ...parse(d), ref: d.ref }];
    } catch {
      return [];
    }
  });
}

async function* pages(query: Query): AsyncGenerator<DocumentSnapshot[]> {
  let last: DocumentSnapshot | undefined;
  for (;;) {
    const q = last ? query.startAfter(last).limit(PAGE) : query.limit(PAGE);
    const snap = await q.get();
    if (snap.empty) return;
    yield snap.docs;
    last = snap.docs[snap.docs.length - 1];
    if (snap.size < PAGE) return;
  }
}

/** Which of these users are in the segment (their profiles read in one batch). */
async function usersInSegment(deps: PushDeps, uids: string[], segment: BroadcastSegment): Promise<Set<string>> {
  if (segment.kind === 'all' || uids.length === 0) return new Set(uids);
  const profiles = await deps.db.getAll(...uids.map((uid) => deps.db.doc(users.docPath({ uid }))));
  return new Set(
    profiles
      .filter((p) => {
        if (!p.exists) return false;
        if (segment.kind === 'role') return ((p.get('roles') as unknown[] | undefined) ?? []).includes(segment.role);
        return appLangOf(p.get('lang') as string | null | undefined) === segment.lang;
      })
      .map((p) => p.id),
  );
}

function add(total: DeliveryCount, c: DeliveryCount): void {
  total.targeted += c.targeted;
  total.sent += c.sent;
  total.gone += c.gone;
  total.failed += c.failed;
}

async function sendToSegment(deps: PushDeps, segment: BroadcastSegment, message: PushMessage): Promise<DeliveryCount> {
  const total: DeliveryCount = { targeted: 0, sent: 0, gone: 0, failed: 0 };
  for await (const docs of pages(buildQuery(deps.db, pushSubscriptionsAll, []))) {
    const rows = parsed(docs, (d) => pushSubscriptions.converter.fromFirestore(d));
    const inSegment = await usersInSegment(deps, [...new Set(rows.map((r) => r.user_id))], segment);
    const batch: Subscriber[] = rows.filter((r) => r.active !== false && inSegment.has(r.user_id));
    add(total, await deliverToAll(deps, batch, message));
  }
  if (segment.kind === 'role') return total;
  for await (const docs of pages(buildQuery(deps.db, anonymousPushSubscriptionsAll, []))) {
    const rows = parsed(docs, (d) => anonymousPushSubscriptions.converter.fromFirestore(d));
    const batch: Subscriber[] = rows.filter((r) => r.active !== false && (segment.kind === 'all' || r.lang === segment.lang));
    add(total, await deliverToAll(deps, batch, message));
  }
  return total;
}

export const broadcast: CallableHandler<typeof broadcastPush, PushDeps> = async (input, caller, deps) => {
  const broadcastId = input.broadcast_id ?? randomBytes(12).toString('hex');
  const ref = jobRef(deps, `broadcast-${broadcastId}`);
  const claim = await claimJob(deps, ref, { kind: 'broadcast', user_id: caller.uid, item_id: broadcastId, segment: input.segment }, BROADCAST_LEASE_MS);
  if (claim.kind === 'done') {
    const d = claim.doc;
    return { broadcast_id: broadcastId, targeted: d.targeted, sent: d.sent, gone: d.gone, failed: d.failed, duplicate: true };
  }
  if (claim.kind === 'held') throw new HttpsError('aborted', 'this broadcast is being sent; ask again in a minute for its report');
  const count = await sendToSegment(deps, input.segment, {
    title: input.title,
    body: input.body,
    url: input.url ?? null,
    tag: `broadcast:${broadcastId}`,
    lang: input.segment.kind === 'language' ? input.segment.lang : null,
  });
  if (!(await finishJob(deps, ref, claim.lease, count)))
    logger.warn('broadcast finished after its lease was taken over', { broadcastId, attempt: claim.lease.attempt });
  return { broadcast_id: broadcastId, ...count, duplicate: false };
};
