/**
 * The pure half of the Cal.com webhook: from a booking event and what the transaction read, the
 * documents as they should be — no reads, no writes (cal-effects.ts does both).
 *
 * Status (cal_bookings.status) never moves back: pending | awaiting_payment (1) → confirmed (2) →
 * completed (3) → cancelled | rejected (4) → rescheduled (5). Booking data (times, attendee,
 * meeting URL) comes from the delivery with the latest createdAt, so a late delivery does not
 * overwrite a newer one. A reschedule is a new booking whose rescheduleUid names the original:
 * the original ends `rescheduled` pointing at its successor, and the session moves with it.
 */
import { Timestamp } from 'firebase-admin/firestore';
import type { BookingDoc, CalBookingDoc, SessionDoc, TimestampLike } from '@zhengrowth/model';
import type { BookingEvent } from './cal-events.js';

const STATUS_RANK: Record<string, number> = { pending: 1, awaiting_payment: 1, confirmed: 2, completed: 3, cancelled: 4, rejected: 4, rescheduled: 5 };
export const rank = (s: string | null | undefined): number => (s ? (STATUS_RANK[s] ?? 0) : 0);

function statusFor(e: BookingEvent): string {
  switch (e.triggerEvent) {
    case 'BOOKING_REQUESTED':
      return 'pending';
    case 'BOOKING_PAYMENT_INITIATED':
      return 'awaiting_payment';
    case 'BOOKING_REJECTED':
      return 'rejected';
    case 'BOOKING_CANCELLED':
      return 'cancelled';
    case 'MEETING_ENDED':
      return 'completed';
    case 'BOOKING_CREATED':
      return e.payload.status?.toUpperCase() === 'PENDING' ? 'pending' : 'confirmed';
    default:
      return 'confirmed';
  }
}

/** The coaching session status for a booking status (null: leave the session as it is). */
export function sessionStatusFor(status: string | null, noShow: boolean | null | undefined): string | null {
  if (noShow && (status === 'confirmed' || status === 'completed')) return 'no_show';
  switch (status) {
    case 'confirmed':
      return 'scheduled';
    case 'completed':
      return 'completed';
    case 'cancelled':
    case 'rejected':
      return 'cancelled';
    default:
      return null;
  }
}

export const when = (t: TimestampLike): string => `${t.toDate().toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function noticeFor(status: string | null, start: TimestampLike, moved: boolean): { title: string; message: string } | null {
  switch (status) {
    case 'confirmed':
      return moved
        ? { title: 'Session moved', message: `Your coaching session moved to ${when(start)}.` }
        : { title: 'Session confirmed', message: `Your coaching session on ${when(start)} is confirmed.` };
    case 'pending':
      return { title: 'Session requested', message: `Your request for ${when(start)} is waiting for the coach to confirm.` };
    case 'awaiting_payment':
      return { title: 'Payment pending', message: `Your session on ${when(start)} is held until the payment completes.` };
    case 'cancelled':
      return { title: 'Session cancelled', message: `Your coaching session on ${when(start)} was cancelled.` };
    case 'rejected':
      return { title: 'Session declined', message: `Your session request for ${when(start)} was declined.` };
    default:
      return null;
  }
}

/** A booking document as read: its id, and its data (undefined: none, or one the model cannot read). */
export interface Target {
  id: string;
  doc: CalBookingDoc | undefined;
}

/** What the transaction read for a booking event (by id: the queries ran before it). */
export interface BookingState {
  target: Target;
  /** The booking a reschedule replaces. */
  original: Target | null;
  paid: { id: string; doc: BookingDoc } | null;
  userId: string | null;
  sessionId: string;
  session: SessionDoc | undefined;
  /** False when the session is a document the model cannot read: its coach writes it too, so it is left alone. */
  sessionWritable: boolean;
  coachId: string | null;
}

/** The documents as the event leaves them, and what to tell the client. */
export interface BookingPlan {
  booking: CalBookingDoc;
  original: CalBookingDoc | null;
  session: SessionDoc | null;
  paid: Partial<BookingDoc> | null;
  notice: { title: string; message: string } | null;
  /** A confirmation (or moved) e-mail, for a booking that has just become confirmed. */
  confirm: boolean;
  isReschedule: boolean;
}

export const isRescheduleOf = (e: BookingEvent): boolean =>
  Boolean(e.payload.rescheduleUid) &&
  e.payload.rescheduleUid !== e.payload.uid &&
  (e.triggerEvent === 'BOOKING_RESCHEDULED' || e.triggerEvent === 'BOOKING_CREATED');

export function foldBookingEvent(e: BookingEvent, s: BookingState, now: Timestamp): BookingPlan {
  const isReschedule = isRescheduleOf(e);
  const prev = s.target.doc;
  const booking = bookingAfter(e, s, isReschedule, now);
  const live = booking.status !== 'rescheduled';
  const session = live ? sessionAfter(booking, s, now) : null;
  if (session) booking.session_id = s.sessionId;
  const changed = booking.status !== prev?.status || isReschedule;
  return {
    booking,
    original: isReschedule && s.original ? originalAfter(e, s.original, booking, s.target.id, now) : null,
    session,
    paid:
      s.paid && live
        ? {
            cal_booking_id: booking.cal_booking_id ?? s.paid.doc.cal_booking_id,
            cal_uid: e.payload.uid,
            cal_status: booking.status,
            user_id: s.paid.doc.user_id ?? s.userId,
            updated_at: now,
          }
        : null,
    notice: s.userId && changed && live ? noticeFor(booking.status, booking.start_time, isReschedule) : null,
    confirm: booking.status === 'confirmed' && rank(prev?.status) < rank('confirmed') && Boolean(booking.attendee_email),
    isReschedule,
  };
}

/** The booking document after the event: its status by rank, its data from the newest delivery. */
function bookingAfter(e: BookingEvent, s: BookingState, isReschedule: boolean, now: Timestamp): CalBookingDoc {
  const p = e.payload;
  const prev = s.target.doc;
  const eventAt = Timestamp.fromDate(new Date(e.createdAt));
  const attendee = p.attendees[0];
  const incoming = statusFor(e);
  const newer = !prev?.last_event_at || eventAt.toMillis() >= prev.last_event_at.toMillis();
  const start = Timestamp.fromDate(new Date(p.startTime));
  const end = p.endTime ? Timestamp.fromDate(new Date(p.endTime)) : null;
  const meetingUrl = p.videoCallData?.url ?? (typeof p.metadata?.videoCallUrl === 'string' ? p.metadata.videoCallUrl : null);
  return {
    cal_booking_id: p.bookingId ?? p.id ?? prev?.cal_booking_id ?? null,
    event_id: newer ? (p.eventTypeId ?? prev?.event_id ?? null) : (prev?.event_id ?? null),
    user_id: s.userId,
    attendee_email: newer && attendee ? attendee.email : (prev?.attendee_email ?? attendee?.email ?? ''),
    attendee_name: newer && attendee ? (attendee.name ?? null) : (prev?.attendee_name ?? null),
    start_time: newer || !prev ? start : prev.start_time,
    end_time: newer || !prev ? end : prev.end_time,
    status: rank(incoming) > rank(prev?.status) ? incoming : (prev?.status ?? incoming),
    meeting_url: newer ? (meetingUrl ?? prev?.meeting_url ?? null) : (prev?.meeting_url ?? null),
    metadata: newer
      ? {
          title: p.title ?? null,
          organizer_email: p.organizer?.email ?? null,
          cal_status: p.status ?? null,
          cancellation_reason: p.cancellationReason ?? null,
          rejection_reason: p.rejectionReason ?? null,
        }
      : (prev?.metadata ?? null),
    created_at: prev?.created_at ?? now,
    updated_at: now,
    cal_uid: p.uid,
    rescheduled_from: prev?.rescheduled_from ?? (isReschedule && s.original ? s.original.id : null),
    rescheduled_to: prev?.rescheduled_to ?? null,
    booking_id: s.paid?.id ?? prev?.booking_id ?? null,
    session_id: prev?.session_id ?? null,
    no_show: prev?.no_show ?? null,
    last_event_at: newer ? eventAt : (prev?.last_event_at ?? null),
    credit_state: prev?.credit_state ?? null,
    credit_entitlement_id: prev?.credit_entitlement_id ?? null,
    attention: prev?.attention ?? null,
  };
}

/** The coaching session, one per chain of reschedules, following the live booking (null: leave it). */
function sessionAfter(booking: CalBookingDoc, s: BookingState, now: Timestamp): SessionDoc | null {
  const status = sessionStatusFor(booking.status, booking.no_show);
  if (!s.userId || !s.sessionWritable || !status) return null;
  if (!s.session && booking.status !== 'confirmed' && booking.status !== 'completed') return null;
  return {
    user_id: s.userId,
    coach_id: s.coachId,
    booking_id: s.target.id,
    session_date: booking.start_time,
    notes: s.session?.notes ?? null,
    action_items: s.session?.action_items ?? null,
    status,
    created_at: s.session?.created_at ?? now,
    updated_at: now,
    cal_booking_id: booking.cal_booking_id,
  };
}

/** The booking a reschedule replaced: `rescheduled`, pointing at its successor; what it lacks, from the successor. */
function originalAfter(e: BookingEvent, original: Target, booking: CalBookingDoc, successorId: string, now: Timestamp): CalBookingDoc {
  const o = original.doc;
  const p = e.payload;
  return {
    cal_booking_id: o?.cal_booking_id ?? null,
    event_id: o?.event_id ?? booking.event_id,
    user_id: o?.user_id ?? booking.user_id,
    attendee_email: o?.attendee_email ?? booking.attendee_email,
    attendee_name: o?.attendee_name ?? booking.attendee_name,
    // Unknown until the original's own delivery arrives (last_event_at null lets it fill these in).
    start_time: o?.start_time ?? (p.rescheduleStartTime ? Timestamp.fromDate(new Date(p.rescheduleStartTime)) : booking.start_time),
    end_time: o?.end_time ?? null,
    status: 'rescheduled',
    meeting_url: o?.meeting_url ?? null,
    metadata: o?.metadata ?? null,
    created_at: o?.created_at ?? now,
    updated_at: now,
    cal_uid: o?.cal_uid ?? p.rescheduleUid ?? null,
    rescheduled_from: o?.rescheduled_from ?? null,
    rescheduled_to: successorId,
    booking_id: o?.booking_id ?? booking.booking_id,
    session_id: o?.session_id ?? booking.session_id,
    no_show: o?.no_show ?? null,
    last_event_at: o?.last_event_at ?? null,
    // Its session credit went to the booking that replaced it.
    credit_state: o?.credit_state === 'used' ? 'moved' : (o?.credit_state ?? null),
    credit_entitlement_id: o?.credit_entitlement_id ?? null,
    attention: o?.attention ?? null,
  };
}
