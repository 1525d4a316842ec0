/**
 * Entitlements follow their order: granted in the transaction that marks the order paid, revoked
 * when it is refunded in full, reduced in proportion by a partial refund where the offer says
 * `partial_refund: 'prorate'`. Everything is derived from the order's facts (paid_at, paid and
 * refunded amounts) and the offer terms captured on the order line at checkout, so applying the
 * same facts again writes the same documents: a repeated or late event grants nothing twice.
 *
 * The lesson passes (users/{uid}/lesson_access/{key}) are the projection the rules read: each holds
 * the end of every entitlement that grants its key.
 */
import { Timestamp, type DocumentReference, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { entitlements, lessonAccess, type EntitlementDoc, type LessonPassDoc, type OrderDoc, type OrderItem, type TimestampLike } from '@zhengrowth/model';
import { txSet } from '../core/firestore.js';
import { isPaid, orderItems } from '../shared/orders.js';

const WEEK_MS = 7 * 86_400_000;

type EntitlementState = NonNullable<OrderDoc['entitlement_state']>;

interface Line {
  id: string;
  item: OrderItem & { grants: NonNullable<OrderItem['grants']> };
}

/** The offer lines of an order that grant something, with the id of their entitlement (`{orderId}-{n}`). */
export function grantingLines(orderId: string, order: Pick<OrderDoc, 'items'>): Line[] {
  return orderItems(order).flatMap((item, i) =>
    item.kind === 'offer' && item.grants ? [{ id: `${orderId}-${i + 1}`, item: { ...item, grants: item.grants } }] : [],
  );
}

/** What is left of a payment after refunds, as a fraction (1 when nothing was refunded). */
function keptFraction(o: OrderDoc): number {
  const paid = o.paid_minor ?? o.total_minor;
  if (paid <= 0) return 1;
  return Math.max(0, paid - (o.refunded_minor ?? 0)) / paid;
}

export function entitlementStateOf(o: OrderDoc, lines: readonly Line[]): EntitlementState {
  if (!isPaid(o)) return 'none';
  if (o.status === 'refunded') return 'revoked';
  if (o.status === 'partially_refunded' && lines.some((l) => l.item.grants.partial_refund === 'prorate')) return 'reduced';
  return 'granted';
}

/** The entitlement a line should be now, given its previous document (credits used, start). */
export function entitlementFor(
  o: OrderDoc,
  orderId: string,
  line: Line,
  prev: EntitlementDoc | undefined,
  state: EntitlementState,
  now: Timestamp,
): EntitlementDoc {
  const g = line.item.grants;
  const start = prev?.starts_at ?? o.paid_at ?? now;
  const prorate = state === 'reduced' && g.partial_refund === 'prorate';
  const fraction = prorate ? keptFraction(o) : 1;
  const revoked = state === 'revoked';
  const weeks = g.duration_weeks;
  const expires = weeks === null ? null : Timestamp.fromMillis(start.toMillis() + Math.floor(weeks * WEEK_MS * fraction));
  return {
    user_id: o.user_id as string,
    order_id: orderId,
    offer_id: line.item.ref_id,
    title: line.item.title,
    status: revoked ? 'revoked' : prorate ? 'reduced' : 'active',
    starts_at: start,
    expires_at: expires,
    sessions_total: revoked ? 0 : Math.floor(g.sessions * line.item.quantity * fraction),
    sessions_used: prev?.sessions_used ?? 0,
    lesson_access: g.lesson_access,
    granted_at: prev?.granted_at ?? now,
    updated_at: now,
    revoked_at: revoked ? (prev?.revoked_at ?? now) : null,
    note: revoked ? 'the order was refunded in full' : prorate ? `reduced to ${Math.round(fraction * 1000) / 10} % by a partial refund` : null,
  };
}

/** A lesson pass with one entitlement's grant set (its end) or removed (revoked). */
export function passWith(
  uid: string,
  key: string,
  prev: LessonPassDoc | undefined,
  entitlementId: string,
  grant: TimestampLike | null | 'revoked',
  now: Timestamp,
): LessonPassDoc {
  const grants = { ...(prev?.grants ?? {}) };
  if (grant === 'revoked') delete grants[entitlementId];
  else grants[entitlementId] = grant;
  const ends = Object.values(grants);
  const expires =
    ends.length === 0 ? null : ends.some((e) => e === null) ? null : (ends as TimestampLike[]).reduce((a, b) => (b.toMillis() > a.toMillis() ? b : a));
  return { user_id: uid, key, active: ends.length > 0, expires_at: expires, grants, updated_at: now };
}

const entitlementRef = (db: Firestore, uid: string, entitlementId: string): DocumentReference<EntitlementDoc> =>
  db.doc(entitlements.docPath({ uid, entitlementId })).withConverter(entitlements.converter);
const passRef = (db: Firestore, uid: string, accessKey: string): DocumentReference<LessonPassDoc> =>
  db.doc(lessonAccess.docPath({ uid, accessKey })).withConverter(lessonAccess.converter);

/** Whether the order's entitlements may need writing after this change (cheap test, before any read). */
export function entitlementsMayChange(before: OrderDoc, o: OrderDoc): boolean {
  if (!o.user_id) return false;
  return (
    (isPaid(o) && (o.entitlement_state ?? 'none') === 'none') ||
    o.status !== before.status ||
    (o.refunded_minor ?? 0) !== (before.refunded_minor ?? 0) ||
    o.user_id !== before.user_id
  );
}

/**
 * Reads what the order's entitlements need (inside the caller's transaction, before its writes) and
 * returns the writes to make, or null when nothing changes. Sets `o.entitlement_state`.
 */
export async function planEntitlements(
  tx: Transaction,
  db: Firestore,
  orderId: string,
  o: OrderDoc,
  now: Timestamp,
): Promise<((tx: Transaction) => void) | null> {
  const uid = o.user_id;
  const lines = grantingLines(orderId, o);
  if (!uid || lines.length === 0) return null;
  const state = entitlementStateOf(o, lines);
  const had = o.entitlement_state ?? 'none';
  if (state === 'none' || (state === 'revoked' && had === 'none')) {
    // Nothing was ever granted (a refund reported before the payment): nothing to take back.
    o.entitlement_state = had === 'none' && state === 'revoked' ? 'revoked' : had;
    return null;
  }
  const keys = [...new Set(lines.flatMap((l) => l.item.grants.lesson_access))];
  const [prevs, passes] = await Promise.all([
    Promise.all(lines.map(async (l) => (await tx.get(entitlementRef(db, uid, l.id))).data())),
    Promise.all(keys.map(async (k) => [k, (await tx.get(passRef(db, uid, k))).data()] as const)),
  ]);
  const docs = lines.map((l, i) => ({ line: l, doc: entitlementFor(o, orderId, l, prevs[i], state, now) }));
  const passDocs = new Map(passes);
  for (const { line, doc } of docs) {
    for (const key of line.item.grants.lesson_access) {
      passDocs.set(key, passWith(uid, key, passDocs.get(key), line.id, doc.status === 'revoked' ? 'revoked' : doc.expires_at, now));
    }
  }
  o.entitlement_state = state;
  return (t) => {
    for (const { line, doc } of docs) txSet(t, entitlementRef(db, uid, line.id), doc);
    for (const [key, pass] of passDocs) if (pass) txSet(t, passRef(db, uid, key), pass);
  };
}
