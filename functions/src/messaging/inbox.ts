/**
 * The inbox's upkeep: the daily job deletes items past their expires_at (production also has a TTL
 * policy on that field, which deletes within a day or so of expiry: the job makes it exact and
 * covers the emulator), and `markInboxRead` marks the caller's items read (given ids, or all).
 */
import { Timestamp, type DocumentReference, type Query } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions/logger';
import { inbox, inboxExpired, inboxUnreadOfUser, type markInboxRead } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import type { Deps } from '../core/deps.js';
import { buildQuery } from '../core/query.js';

const BATCH = 400;

export async function expireInboxItems(deps: Deps, maxPages = 50): Promise<{ deleted: number }> {
  const now = Timestamp.fromDate(deps.now());
  let deleted = 0;
  for (let page = 0; page < maxPages; page += 1) {
    const snap = await buildQuery(deps.db, inboxExpired, [now]).limit(BATCH).select().get();
    if (snap.empty) break;
    const batch = deps.db.batch();
    for (const d of snap.docs) batch.delete(d.ref);
    await batch.commit();
    deleted += snap.size;
    if (snap.size < BATCH) break;
  }
  if (deleted > 0) logger.info('expired inbox items deleted', { deleted });
  return { deleted };
}

async function markRefs(deps: Deps, refs: DocumentReference[]): Promise<number> {
  const at = Timestamp.fromDate(deps.now());
  for (let i = 0; i < refs.length; i += BATCH) {
    const batch = deps.db.batch();
    for (const ref of refs.slice(i, i + BATCH)) batch.update(ref, { read: true, read_at: at });
    await batch.commit();
  }
  return refs.length;
}

async function unreadRefs(query: Query): Promise<DocumentReference[]> {
  return (await query.select().get()).docs.map((d) => d.ref);
}

export const markRead: CallableHandler<typeof markInboxRead, Deps> = async (input, caller, deps) => {
  const uid = caller.uid;
  if ('ids' in input) {
    // Only the caller's items that exist and are unread: an id of someone else's item is just not found here.
    const refs = [...new Set(input.ids)].map((itemId) => deps.db.doc(inbox.docPath({ uid, itemId })));
    const snaps = await deps.db.getAll(...refs);
    return {
      updated: await markRefs(
        deps,
        snaps.filter((s) => s.exists && s.get('read') !== true).map((s) => s.ref),
      ),
    };
  }
  // Migrated items may hold read: null, which `read == false` does not match.
  const [unread, unknown] = await Promise.all([
    unreadRefs(buildQuery(deps.db, inboxUnreadOfUser, [false], { uid })),
    unreadRefs(buildQuery(deps.db, inboxUnreadOfUser, [null], { uid })),
  ]);
  return { updated: await markRefs(deps, [...unread, ...unknown]) };
};
