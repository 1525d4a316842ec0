/**
 * The Cal.com webhook's reads and writes around its pure fold (cal-fold.ts): lookups by query
 * before the transaction, then in it the documents by id, the fold, the session credit, and the
 * writes — the booking in `cal_bookings` (`cal-{uid}`, or the migrated row with the same Cal.com
 * booking id), the replaced booking, the client's session, the paid `bookings` row, the client's
 * inbox notice and the confirmation e-mail.
 */
import { Timestamp, type Transaction } from 'firebase-admin/firestore';
import { bookings, bookingsByToken, calBookings, calBookingsByCalId, sessions, users, usersByEmail, type SessionDoc } from '@zhengrowth/model';
import { txMerge, txSet } from '../core/firestore.js';
import { buildQuery } from '../core/query.js';
import { goodDocs, txGetTolerant } from '../core/read.js';
import type { Effect, WebhookDeps } from '../core/webhook-delivery.js';
import { planCredit, type CreditLookups } from '../entitlements/credits.js';
import { notifyInbox, queueEmail } from '../shared/outbox.js';
import type { BookingEvent, NoShowEvent } from './cal-events.js';
import { foldBookingEvent, isRescheduleOf, sessionStatusFor, when, type BookingPlan, type BookingState, type Target } from './cal-fold.js';

/** What a delivery needs looked up by query: done before the transaction (queries inside one lock whole ranges). */
export interface Lookups {
  /** The booking's document id: `cal-{uid}`, or a migrated row that has its Cal.com booking id. */
  targetId: string;
  /** The same for the booking a reschedule replaces. */
  originalId: string | null;
  userId: string | null;
  paidBookingId: string | null;
  /** The organizer, when their e-mail is a coach's: the session's coach. */
  organizerCoachId: string | null;
  /** Booking events: what its session credit needs (entitlements/credits.ts). */
  credits?: CreditLookups;
}

export async function lookUp(
  deps: WebhookDeps,
  booking: { uid: string; calId: number | null | undefined },
  original: { uid: string; calId: number | null | undefined } | null,
  email: string | undefined,
  token: string | null,
  organizerEmail: string | undefined,
): Promise<Lookups> {
  const { db } = deps;
  const findDoc = async (uid: string, calId: number | null | undefined): Promise<string> => {
    const own = `cal-${uid}`;
    if (calId === null || calId === undefined || (await db.doc(calBookings.docPath({ calBookingDocId: own })).get()).exists) return own;
    const migrated = (await buildQuery(db, calBookingsByCalId, [calId]).limit(1).get()).docs[0];
    return migrated?.id ?? own;
  };
  // Only an account whose e-mail is verified (or a migrated one, verified in Supabase) owns a booking
  // made with that address: an account that merely claims it must not get another person's sessions.
  // A profile the model cannot read is skipped (logged), not the end of the delivery.
  const usersWithEmail = async (address: string | undefined) => {
    if (!address) return [];
    for (const candidate of new Set([address, address.trim().toLowerCase()])) {
      const snaps = (await buildQuery(db, usersByEmail, [candidate]).limit(5).get()).docs;
      const hits = goodDocs(users, snaps, 'calWebhook').filter((d) => d.data.email_verified !== false);
      if (hits.length) return hits;
    }
    return [];
  };
  const findUser = async (): Promise<string | null> => (await usersWithEmail(email))[0]?.id ?? null;
  const findCoach = async (): Promise<string | null> => (await usersWithEmail(organizerEmail)).find((d) => d.data.roles.includes('coach'))?.id ?? null;
  const findPaid = async (): Promise<string | null> => (token ? ((await buildQuery(db, bookingsByToken, [token]).limit(1).get()).docs[0]?.id ?? null) : null);
  const [targetId, originalId, userId, paidBookingId, organizerCoachId] = await Promise.all([
    findDoc(booking.uid, booking.calId),
    original ? findDoc(original.uid, original.calId) : null,
    findUser(),
    findPaid(),
    findCoach(),
  ]);
  return { targetId, originalId, userId, paidBookingId, organizerCoachId };
}

/**
 * A booking document that does not match the model (logged by the read) is rebuilt from the
 * delivery, as if new: the webhook is its only writer, and a delivery must not fail forever on it.
 */
async function readTarget(tx: Transaction, deps: WebhookDeps, id: string): Promise<Target> {
  const read = await txGetTolerant(tx, deps.db, calBookings, calBookings.docPath({ calBookingDocId: id }), 'calWebhook');
  return { id, doc: read.state === 'valid' ? read.data : undefined };
}

/**
 * The client's session, read tolerantly: its coach writes it too (notes, action items), so one that
 * does not match the model is left alone (logged), never overwritten; `broken` says so.
 */
async function readSession(tx: Transaction, deps: WebhookDeps, uid: string, sessionId: string): Promise<{ doc: SessionDoc | undefined; broken: boolean }> {
  const read = await txGetTolerant(tx, deps.db, sessions, sessions.docPath({ uid, sessionId }), 'calWebhook');
  return { doc: read.state === 'valid' ? read.data : undefined, broken: read.state === 'invalid' };
}

/** The client's assigned coach, from their profile read tolerantly (a profile the model cannot read: none). */
async function assignedCoachOf(tx: Transaction, deps: WebhookDeps, uid: string): Promise<string | null> {
  const read = await txGetTolerant(tx, deps.db, users, users.docPath({ uid }), 'calWebhook');
  return read.state === 'valid' ? (read.data.coach_id ?? null) : null;
}

/** What the fold needs, read by id in the transaction. */
async function readBookingState(tx: Transaction, e: BookingEvent, found: Lookups, deps: WebhookDeps): Promise<BookingState> {
  const p = e.payload;
  const isReschedule = isRescheduleOf(e);
  const target = await readTarget(tx, deps, found.targetId);
  const original = isReschedule && found.originalId ? await readTarget(tx, deps, found.originalId) : null;
  const prev = target.doc;
  const userId = prev?.user_id ?? found.userId ?? original?.doc?.user_id ?? null;
  let paid: BookingState['paid'] = null;
  const paidId = found.paidBookingId ?? prev?.booking_id ?? original?.doc?.booking_id ?? null;
  if (paidId) {
    // A paid booking that does not match the model is not linked (the read logs it).
    const read = await txGetTolerant(tx, deps.db, bookings, bookings.docPath({ bookingId: paidId }), 'calWebhook');
    if (read.state === 'valid') paid = { id: paidId, doc: read.data };
  }
  const sessionId = prev?.session_id ?? original?.doc?.session_id ?? `cal-${isReschedule ? p.rescheduleUid : p.uid}`;
  const sessionRead = userId ? await readSession(tx, deps, userId, sessionId) : null;
  const session = sessionRead?.doc;
  // The session's coach: the organizer if a coach, else the one it has, else the client's assigned coach
  // (a profile the model cannot read gives none: the read logs it).
  const assignedCoach = userId && !found.organizerCoachId && !session?.coach_id ? await assignedCoachOf(tx, deps, userId) : null;
  const coachId = found.organizerCoachId ?? session?.coach_id ?? assignedCoach;
  return { target, original, paid, userId, sessionId, session, sessionWritable: !sessionRead?.broken, coachId };
}

/** A booking event: reads, the fold, the session credit (its reads come last), then the writes. */
export async function applyBookingEvent(tx: Transaction, e: BookingEvent, eventId: string, found: Lookups, deps: WebhookDeps): Promise<Effect> {
  const now = Timestamp.fromDate(deps.now());
  const state = await readBookingState(tx, e, found, deps);
  const plan = foldBookingEvent(e, state, now);
  const creditWrites = found.credits
    ? await planCredit(tx, deps.db, {
        bookingDocId: state.target.id,
        userId: state.userId,
        data: plan.booking,
        original: state.original?.doc ?? null,
        paid: Boolean(state.paid),
        lookups: found.credits,
        now,
      })
    : null;
  writeBooking(tx, deps, e, eventId, state, plan, now);
  creditWrites?.(tx);
  return { outcome: 'applied', subject: e.payload.uid };
}

function writeBooking(tx: Transaction, deps: WebhookDeps, e: BookingEvent, eventId: string, state: BookingState, plan: BookingPlan, now: Timestamp): void {
  const { db } = deps;
  const calRef = (id: string) => db.doc(calBookings.docPath({ calBookingDocId: id })).withConverter(calBookings.converter);
  const { booking, isReschedule } = plan;
  const uid = e.payload.uid;
  txSet(tx, calRef(state.target.id), booking);
  if (state.original && plan.original) txSet(tx, calRef(state.original.id), plan.original);
  if (plan.session && state.userId)
    txSet(tx, db.doc(sessions.docPath({ uid: state.userId, sessionId: state.sessionId })).withConverter(sessions.converter), plan.session);
  if (state.paid && plan.paid) txMerge(tx, db.doc(bookings.docPath({ bookingId: state.paid.id })).withConverter(bookings.converter), plan.paid);
  if (state.userId && plan.notice) {
    const notice = { type: 'booking', ...plan.notice, metadata: { cal_uid: uid, status: booking.status } };
    notifyInbox(tx, db, state.userId, `cal-${eventId}`, notice, now);
  }
  if (plan.confirm) {
    queueEmail(
      tx,
      db,
      `cal-${uid}-confirmed`,
      {
        to: booking.attendee_email,
        template: 'booking_confirmation',
        subject: isReschedule ? 'Your ZhenGrowth session has moved' : 'Your ZhenGrowth session is confirmed',
        text: `Your session is ${isReschedule ? 'now ' : ''}on ${when(booking.start_time)}.${booking.meeting_url ? `\nJoin: ${booking.meeting_url}` : ''}`,
        variables: {
          cal_uid: uid,
          start_time: booking.start_time.toDate().toISOString(),
          when: when(booking.start_time),
          meeting_url: booking.meeting_url,
          name: booking.attendee_name,
          moved: isReschedule,
        },
      },
      now,
    );
  }
}

export async function applyNoShow(tx: Transaction, e: NoShowEvent, found: Lookups, deps: WebhookDeps): Promise<Effect> {
  const { db } = deps;
  const p = e.payload;
  const now = Timestamp.fromDate(deps.now());
  const target = await readTarget(tx, deps, found.targetId);
  const noShow = p.attendees.some((a) => a.noShow);
  const prev = target.doc;
  const userId = prev?.user_id ?? found.userId;
  const sessionRead = userId && prev?.session_id ? await readSession(tx, deps, userId, prev.session_id) : null;
  const sessionRef =
    userId && prev?.session_id && !sessionRead?.broken
      ? db.doc(sessions.docPath({ uid: userId, sessionId: prev.session_id })).withConverter(sessions.converter)
      : null;
  const session = sessionRead?.doc;
  const ref = db.doc(calBookings.docPath({ calBookingDocId: target.id })).withConverter(calBookings.converter);
  if (prev) {
    txMerge(tx, ref, { no_show: noShow, updated_at: now });
  } else {
    // Before the booking itself: keep the fact; the booking's own delivery fills in the rest.
    txSet(tx, ref, {
      cal_booking_id: p.bookingId ?? null,
      event_id: null,
      user_id: userId,
      attendee_email: p.attendees[0]?.email ?? '',
      attendee_name: null,
      start_time: Timestamp.fromDate(new Date(e.createdAt)),
      end_time: null,
      status: null,
      meeting_url: null,
      metadata: null,
      created_at: now,
      updated_at: now,
      cal_uid: p.bookingUid,
      rescheduled_from: null,
      rescheduled_to: null,
      booking_id: null,
      session_id: null,
      no_show: noShow,
      last_event_at: null,
    });
  }
  const sessionStatus = sessionStatusFor(prev?.status ?? null, noShow);
  if (sessionRef && session && sessionStatus) txMerge(tx, sessionRef, { status: sessionStatus, updated_at: now });
  return { outcome: 'applied', subject: p.bookingUid };
}
