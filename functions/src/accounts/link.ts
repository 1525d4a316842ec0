/**
 * Guest records: orders, paid bookings, Cal.com bookings and event registrations made before the
 * account existed carry the buyer's e-mail and no user. Once the account's e-mail is verified they
 * are linked to it (user_id set), each in a transaction that links it only if it is still nobody's,
 * so concurrent calls link each record once and never take a record from another account.
 */
import type { DocumentReference, Firestore, Query } from 'firebase-admin/firestore';
import { bookingsMine, calBookingsMine, ordersByCustomerEmail, registrationsByEmail, type QuerySpec } from '@zhengrowth/model';
import type { Deps } from '../core/deps.js';
import { buildQuery } from '../core/query.js';
import { adoptGuestOrders } from '../guests/adopt.js';
import { runTx } from '../core/firestore.js';

export interface Linked {
  orders: number;
  bookings: number;
  cal_bookings: number;
  event_registrations: number;
}

/** Where guest records are found by the address they were made with. */
const GUEST_RECORDS: ReadonlyArray<{ key: keyof Linked; spec: QuerySpec }> = [
  { key: 'orders', spec: ordersByCustomerEmail },
  { key: 'bookings', spec: bookingsMine },
  { key: 'cal_bookings', spec: calBookingsMine },
  { key: 'event_registrations', spec: registrationsByEmail },
];

const CHUNK = 200;

/** Nobody's: user_id absent (migrated rows) or null. */
const unowned = (data: Record<string, unknown> | undefined): boolean => data !== undefined && (data.user_id === undefined || data.user_id === null);

async function linkMatches(db: Firestore, query: Query, uid: string): Promise<number> {
  // Queries run outside the transaction (inside one they would lock whole ranges); each record is read again inside.
  const candidates: DocumentReference[] = (await query.get()).docs.filter((d) => unowned(d.data())).map((d) => d.ref);
  let linked = 0;
  for (let i = 0; i < candidates.length; i += CHUNK) {
    const refs = candidates.slice(i, i + CHUNK);
    linked += await runTx(db, async (tx) => {
      const snaps = await tx.getAll(...refs);
      const free = snaps.filter((s) => unowned(s.data()));
      for (const s of free) tx.update(s.ref, { user_id: uid });
      return free.length;
    });
  }
  return linked;
}

/**
 * Links the guest records made with `verifiedEmail` to `uid`; how many of each this call linked.
 * Guest orders are adopted first, as a payment would have left them (receipt, entitlements, their
 * registrations and booking: guests/adopt.ts); what is still nobody's after that is linked here.
 */
export async function linkGuestRecords(deps: Deps, uid: string, verifiedEmail: string): Promise<Linked> {
  const adopted = await adoptGuestOrders(deps, uid, verifiedEmail);
  const counts = await Promise.all(GUEST_RECORDS.map(({ spec }) => linkMatches(deps.db, buildQuery(deps.db, spec, [verifiedEmail]), uid)));
  const linked: Linked = { orders: 0, bookings: 0, cal_bookings: 0, event_registrations: 0 };
  GUEST_RECORDS.forEach(({ key }, i) => (linked[key] = counts[i] ?? 0));
  linked.orders += adopted;
  return linked;
}
