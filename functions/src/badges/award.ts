/**
 * Badges, awarded exactly once per user and badge (the award's id is the badge code, and a
 * migrated award of the same code counts too: the user's awards are read in the transaction).
 *
 * Automatic awards follow the domain events that move the counts the criteria language names
 * (functions/model/src/growth.ts, BADGE_METRICS): each event adds 1 to its user's count in
 * user_stats, exactly once (the delivery's receipt is written in the same transaction), and every
 * active badge whose criteria the new counts meet is awarded then, with an inbox notice. An admin
 * awards any badge by hand (`awardBadge`), with the same once-only rule.
 */
import { HttpsError } from 'firebase-functions/v2/https';
import { logger } from 'firebase-functions/logger';
import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import {
  BADGE_METRICS,
  badgeCriteria,
  badges,
  badgesActive,
  conditionsOf,
  criteriaMet,
  userBadges,
  userStats,
  type awardBadge as awardBadgeContract,
  type BadgeCriteria,
  type BadgeMetric,
  type DomainEventDoc,
  type JsonValue,
} from '@zhengrowth/model';
import type { AccountLookupDeps } from '../core/accounts.js';
import type { CallableHandler } from '../core/callable.js';
import type { Deps } from '../core/deps.js';
import { txCreate, txSet, runTx } from '../core/firestore.js';
import { buildQuery } from '../core/query.js';
import { readReceipt } from '../core/ledger.js';
import { notifyInbox } from '../shared/outbox.js';

const METRIC_OF_EVENT = new Map<string, BadgeMetric>(Object.entries(BADGE_METRICS).map(([metric, type]) => [type, metric as BadgeMetric]));

const awardRef = (db: Firestore, uid: string, code: string) => db.doc(userBadges.docPath({ uid, awardId: code })).withConverter(userBadges.converter);
const statsRef = (db: Firestore, uid: string) => db.doc(userStats.docPath({ uid })).withConverter(userStats.converter);

/** The codes a user already holds (award ids and badge_code of migrated awards); a read of the transaction. */
async function heldCodes(tx: Transaction, db: Firestore, uid: string): Promise<Set<string>> {
  const snap = await tx.get(db.collection(userBadges.collectionPath({ uid })).withConverter(userBadges.converter));
  return new Set(snap.docs.flatMap((d) => [d.id, d.data().badge_code]));
}

interface BadgeDef {
  code: string;
  name: string;
  criteria: BadgeCriteria;
}

function award(tx: Transaction, db: Firestore, uid: string, badge: { code: string; name: string }, metadata: JsonValue, now: Timestamp): void {
  txCreate(tx, awardRef(db, uid, badge.code), { user_id: uid, badge_code: badge.code, awarded_at: now, metadata });
  notifyInbox(
    tx,
    db,
    uid,
    `badge-${badge.code}`,
    {
      type: 'badge_awarded',
      title: `New badge: ${badge.name}`,
      message: `You earned the “${badge.name}” badge.`,
      action_url: '/account/badges',
      metadata: { badge_code: badge.code },
    },
    now,
  );
}

/** Active badges with automatic criteria that name this metric (badges whose criteria cannot be read are logged and left to admins). */
async function badgesOn(db: Firestore, metric: BadgeMetric): Promise<BadgeDef[]> {
  const snap = await buildQuery(db, badgesActive, [true]).withConverter(badges.converter).get();
  return snap.docs.flatMap((d) => {
    const b = d.data();
    const c = badgeCriteria.safeParse(b.criteria);
    if (!c.success) {
      logger.info('badges: criteria not in the criteria language; awarded by hand only', { badge: d.id });
      return [];
    }
    return conditionsOf(c.data).some((k) => k.metric === metric) ? [{ code: d.id, name: b.name, criteria: c.data }] : [];
  });
}

/** One domain event: its user's count moves by one, and the badges it completes are awarded. Returns the codes awarded. */
export async function countForBadges(deps: Deps, eventId: string, event: DomainEventDoc): Promise<string[]> {
  const metric = METRIC_OF_EVENT.get(event.type);
  const uid = event.user_id;
  if (!metric || !uid) return [];
  const db = deps.db;
  const candidates = await badgesOn(db, metric);
  const nowDate = deps.now();
  const now = Timestamp.fromDate(nowDate);
  return runTx(db, async (tx) => {
    const receipt = await readReceipt(tx, db, 'badge-count', eventId, nowDate);
    if (receipt.seen) return [];
    const stats = (await tx.get(statsRef(db, uid))).data();
    const held = candidates.length ? await heldCodes(tx, db, uid) : new Set<string>();
    const counts = { ...(stats?.counts ?? {}), [metric]: (stats?.counts[metric] ?? 0) + 1 };
    receipt.record();
    txSet(tx, statsRef(db, uid), { user_id: uid, counts, updated_at: now });
    const earned = candidates.filter((b) => !held.has(b.code) && criteriaMet(b.criteria, counts));
    for (const b of earned) award(tx, db, uid, b, { by: 'criteria', event_id: eventId }, now);
    return earned.map((b) => b.code);
  });
}

export const awardBadge: CallableHandler<typeof awardBadgeContract, AccountLookupDeps> = async (input, caller, deps) => {
  const db = deps.db;
  if (!(await deps.accounts.get(input.uid))) throw new HttpsError('not-found', 'no such user');
  const now = Timestamp.fromDate(deps.now());
  return runTx(db, async (tx) => {
    const badge = (await tx.get(db.doc(badges.docPath({ code: input.badge_code })).withConverter(badges.converter))).data();
    if (!badge) throw new HttpsError('not-found', 'no such badge');
    if ((await heldCodes(tx, db, input.uid)).has(input.badge_code)) return { awarded: false, award_id: input.badge_code };
    award(tx, db, input.uid, { code: input.badge_code, name: badge.name }, { by: 'admin', admin: caller.uid, note: input.note ?? null }, now);
    return { awarded: true, award_id: input.badge_code };
  });
};
