/**
 * Session credits and Cal.com bookings. A booking of a paid session type (cal_event_types with a
 * price) that no paid `bookings` row covers takes one credit of the client's entitlements (the one
 * that ends soonest); cancelling or rejecting it gives the credit back; a reschedule carries the
 * credit to the new booking. A booking with neither a credit nor a payment is flagged for the
 * coach (`attention`, and an inbox notice to the organizer when they have an account). Each change
 * is decided from the booking's recorded credit_state, in the webhook's transaction, so a repeated
 * or late delivery uses or returns nothing twice.
 */
import { FieldValue, type Firestore, type Timestamp, type Transaction } from 'firebase-admin/firestore';
import { calEventTypes, entitlements, entitlementsOfUser, usersByEmail, type CalBookingDoc, type EntitlementDoc } from '@zhengrowth/model';
import { buildQuery } from '../core/query.js';
import { notifyInbox } from '../shared/outbox.js';

export interface CreditLookups {
  /** The session type has a price: a booking must be paid or use a credit. */
  needsPayment: boolean;
  /** The client's entitlements that may hold credits (read again in the transaction). */
  candidates: string[];
  /** The organizer's account (the coach), for the notice of an unpaid booking. */
  coachUid: string | null;
}

const ACTIVE = new Set(['pending', 'awaiting_payment', 'confirmed', 'completed']);
const ENDED = new Set(['cancelled', 'rejected']);

/** Before the transaction (queries lock ranges inside one): the session type, the client's entitlements, the coach. */
export async function lookUpCredits(
  db: Firestore,
  eventTypeId: number | null | undefined,
  userId: string | null,
  organizerEmail: string | undefined,
): Promise<CreditLookups> {
  const type = eventTypeId
    ? (
        await db
          .doc(calEventTypes.docPath({ eventTypeId: String(eventTypeId) }))
          .withConverter(calEventTypes.converter)
          .get()
      ).data()
    : undefined;
  const needsPayment = Boolean(type?.price_minor && type.price_minor > 0);
  const [candidates, coach] = await Promise.all([
    needsPayment && userId ? buildQuery(db, entitlementsOfUser, [], { uid: userId }).limit(50).select().get() : null,
    needsPayment && organizerEmail ? buildQuery(db, usersByEmail, [organizerEmail]).limit(1).select().get() : null,
  ]);
  return { needsPayment, candidates: candidates?.docs.map((d) => d.id) ?? [], coachUid: coach?.docs[0]?.id ?? null };
}

const entitlementRef = (db: Firestore, uid: string, entitlementId: string) =>
  db.doc(entitlements.docPath({ uid, entitlementId })).withConverter(entitlements.converter);

function usable(e: EntitlementDoc, at: Timestamp): boolean {
  return e.status !== 'revoked' && e.sessions_used < e.sessions_total && (e.expires_at === null || e.expires_at.toMillis() > at.toMillis());
}

export interface CreditInput {
  bookingDocId: string;
  userId: string | null;
  /** The booking as it will be written: its credit fields are set here. */
  data: CalBookingDoc;
  /** The booking this one replaces (a reschedule), as stored. */
  original: CalBookingDoc | null;
  /** A paid `bookings` row covers it. */
  paid: boolean;
  lookups: CreditLookups;
  now: Timestamp;
}

/**
 * Decides the booking's credit (reads in the transaction, before its writes) and returns the
 * writes, or null. Sets data.credit_state, credit_entitlement_id and attention.
 */
export async function planCredit(tx: Transaction, db: Firestore, c: CreditInput): Promise<((tx: Transaction) => void) | null> {
  const { data, userId, now } = c;
  const status = data.status ?? '';
  if (ENDED.has(status) && data.credit_state === 'used' && userId && data.credit_entitlement_id) {
    const ref = entitlementRef(db, userId, data.credit_entitlement_id);
    const e = (await tx.get(ref)).data();
    data.credit_state = 'returned';
    return e ? (t) => t.update(ref, { sessions_used: FieldValue.increment(-1), updated_at: now }) : null;
  }
  if (!ACTIVE.has(status) || data.credit_state || c.paid || !c.lookups.needsPayment) return null;
  if (c.original?.credit_state === 'used' || c.original?.credit_state === 'unpaid') {
    // A reschedule: the credit (or the flag) moves with the session; nothing is counted again.
    data.credit_state = c.original.credit_state;
    data.credit_entitlement_id = c.original.credit_entitlement_id ?? null;
    data.attention = c.original.attention ?? null;
    return null;
  }
  if (userId) {
    const found = await Promise.all(c.lookups.candidates.map(async (id) => ({ id, doc: (await tx.get(entitlementRef(db, userId, id))).data() })));
    const soonest = found
      .filter((f): f is { id: string; doc: EntitlementDoc } => f.doc !== undefined && usable(f.doc, now))
      .sort((a, b) => (a.doc.expires_at?.toMillis() ?? Infinity) - (b.doc.expires_at?.toMillis() ?? Infinity))[0];
    if (soonest) {
      data.credit_state = 'used';
      data.credit_entitlement_id = soonest.id;
      return (t) => t.update(entitlementRef(db, userId, soonest.id), { sessions_used: FieldValue.increment(1), updated_at: now });
    }
  }
  data.credit_state = 'unpaid';
  data.attention = 'booked without a session credit or a payment';
  const coach = c.lookups.coachUid;
  if (!coach) return null;
  return (t) =>
    notifyInbox(
      t,
      db,
      coach,
      `credit-${c.bookingDocId}`,
      {
        type: 'booking',
        title: 'Session booked without payment',
        message: `${data.attendee_name ?? data.attendee_email} booked a paid session on ${data.start_time.toDate().toISOString().slice(0, 16).replace('T', ' ')} UTC without a session credit or a payment.`,
        metadata: { cal_booking: c.bookingDocId, attendee_email: data.attendee_email },
      },
      now,
    );
}
