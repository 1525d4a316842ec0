/**
 * Cal.com webhook: `X-Cal-Signature-256` is the hex HMAC-SHA256 of the raw body under the webhook
 * secret. Cal.com sends no event id: a delivery is known by its trigger, booking uid and createdAt.
 *
 * Each delivery upserts the booking in `cal_bookings` (document `cal-{uid}`, or the migrated row
 * with the same Cal.com booking id), links it to a user by attendee email and to a paid `bookings`
 * row by the booking_token in its metadata or responses, keeps the client's coaching session in
 * step, and leaves a notice in the client's inbox.
 *
 * Status (cal_bookings.status) never moves back: pending | awaiting_payment (1) → confirmed (2) →
 * completed (3) → cancelled | rejected (4) → rescheduled (5). Booking data (times, attendee,
 * meeting URL) comes from the delivery with the latest createdAt, so a late delivery does not
 * overwrite a newer one. A reschedule is a new booking whose rescheduleUid names the original:
 * the original ends `rescheduled` pointing at its successor, and the session moves with it.
 */
import { createHash } from 'node:crypto';
import { Timestamp, type Transaction } from 'firebase-admin/firestore';
import { z } from 'zod';
import {
  bookings,
  bookingsByToken,
  calBookings,
  calBookingsByCalId,
  sessions,
  users,
  usersByEmail,
  type BookingDoc,
  type CalBookingDoc,
  type SessionDoc,
  type TimestampLike,
} from '@zhengrowth/model';
import { txMerge, txSet } from '../core/firestore.js';
import { lookUpCredits, planCredit, type CreditLookups } from '../entitlements/credits.js';
import { notifyInbox, queueEmail } from '../shared/outbox.js';
import { buildQuery } from '../core/query.js';
import { goodDocs, txGetTolerant } from '../core/read.js';
import { hmacSha256Hex, signatureMatches, type Effect, type WebhookDeps, type WebhookRequest, type WebhookResponse } from '../core/webhook-delivery.js';
import { jsonBody, runPipeline, type Envelope, type Rejected, type WebhookPipeline } from '../core/webhook-pipeline.js';

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO date-time');
/**
 * E-mail addresses are stored lower-case: the rules (and RLS) match a booking to its owner by the
 * token's e-mail, which Firebase Auth keeps in lower case, and an exact comparison would hide
 * "Ann@Example.com"'s booking from Ann.
 */
const emailAddress = z
  .string()
  .min(3)
  .transform((s) => s.trim().toLowerCase());
const person = z.looseObject({ email: emailAddress, name: z.string().nullish(), noShow: z.boolean().nullish() });

const bookingPayload = z.looseObject({
  uid: z.string().min(1),
  bookingId: z.int().nullish(),
  /** MEETING_ENDED sends the booking row, whose id is the booking id. */
  id: z.int().nullish(),
  rescheduleUid: z.string().min(1).nullish(),
  /** The original's Cal.com booking id (sent with reschedules by recent Cal.com versions). */
  rescheduleId: z.int().nullish(),
  rescheduleStartTime: isoTime.nullish(),
  startTime: isoTime,
  endTime: isoTime.nullish(),
  attendees: z.array(person).default([]),
  organizer: person.nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  responses: z.record(z.string(), z.unknown()).nullish(),
  videoCallData: z.looseObject({ url: z.string().nullish() }).nullish(),
  eventTypeId: z.int().nullish(),
  status: z.string().nullish(),
  title: z.string().nullish(),
  cancellationReason: z.string().nullish(),
  rejectionReason: z.string().nullish(),
});

const noShowPayload = z.looseObject({
  bookingUid: z.string().min(1),
  bookingId: z.int().nullish(),
  attendees: z.array(z.looseObject({ email: emailAddress, noShow: z.boolean() })).default([]),
});

const envelope = { createdAt: isoTime };
const BOOKING_TRIGGERS = [
  'BOOKING_CREATED',
  'BOOKING_REQUESTED',
  'BOOKING_REJECTED',
  'BOOKING_RESCHEDULED',
  'BOOKING_CANCELLED',
  'BOOKING_PAID',
  'BOOKING_PAYMENT_INITIATED',
  'MEETING_ENDED',
] as const;

export const calEvent = z.discriminatedUnion('triggerEvent', [
  z.looseObject({ ...envelope, triggerEvent: z.literal(BOOKING_TRIGGERS), payload: bookingPayload }),
  z.looseObject({ ...envelope, triggerEvent: z.literal('BOOKING_NO_SHOW_UPDATED'), payload: noShowPayload }),
]);
export const CAL_TRIGGERS: ReadonlySet<string> = new Set([...BOOKING_TRIGGERS, 'BOOKING_NO_SHOW_UPDATED']);

type BookingTrigger = (typeof BOOKING_TRIGGERS)[number];
type BookingEvent = { triggerEvent: BookingTrigger; createdAt: string; payload: z.infer<typeof bookingPayload> };
type NoShowEvent = { triggerEvent: 'BOOKING_NO_SHOW_UPDATED'; createdAt: string; payload: z.infer<typeof noShowPayload> };
type CalEvent = BookingEvent | NoShowEvent;

const anyEvent = z.looseObject({ triggerEvent: z.string().min(1), createdAt: z.string().optional(), payload: z.unknown().optional() });

const STATUS_RANK: Record<string, number> = { pending: 1, awaiting_payment: 1, confirmed: 2, completed: 3, cancelled: 4, rejected: 4, rescheduled: 5 };
const rank = (s: string | null | undefined): number => (s ? (STATUS_RANK[s] ?? 0) : 0);

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
function sessionStatusFor(status: string | null, noShow: boolean | null | undefined): string | null {
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

/** The delivery id Cal.com does not give: trigger, booking uid and createdAt, hashed into a document id. */
export function calEventId(trigger: string, uid: string, createdAt: string): string {
  return createHash('sha256').update(`${trigger}\u0000${uid}\u0000${createdAt}`).digest('hex').slice(0, 40);
}

/** booking_token from the booking's metadata, or from a booking-form response (a value or { value }). */
function bookingToken(p: z.infer<typeof bookingPayload>): string | null {
  const fromMeta = p.metadata?.booking_token;
  if (typeof fromMeta === 'string' && fromMeta) return fromMeta;
  const r = p.responses?.booking_token;
  if (typeof r === 'string' && r) return r;
  if (typeof r === 'object' && r !== null && typeof (r as { value?: unknown }).value === 'string') return (r as { value: string }).value || null;
  return null;
}

const when = (t: TimestampLike): string => `${t.toDate().toISOString().slice(0, 16).replace('T', ' ')} UTC`;

interface Target {
  id: string;
  doc: CalBookingDoc | undefined;
}

/** What a delivery needs looked up by query: done before the transaction (queries inside one lock whole ranges). */
interface Lookups {
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

async function lookUp(
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

async function applyBookingEvent(tx: Transaction, e: BookingEvent, eventId: string, found: Lookups, deps: WebhookDeps): Promise<Effect> {
  const { db } = deps;
  const p = e.payload;
  const now = Timestamp.fromDate(deps.now());
  const eventAt = Timestamp.fromDate(new Date(e.createdAt));
  const calId = p.bookingId ?? p.id ?? null;
  const isReschedule =
    Boolean(p.rescheduleUid) && p.rescheduleUid !== p.uid && (e.triggerEvent === 'BOOKING_RESCHEDULED' || e.triggerEvent === 'BOOKING_CREATED');
  const attendee = p.attendees[0];

  // ---- reads (by id; the queries ran before the transaction) ----
  const target = await readTarget(tx, deps, found.targetId);
  const original = isReschedule && found.originalId ? await readTarget(tx, deps, found.originalId) : null;
  const prev = target.doc;
  const userId = prev?.user_id ?? found.userId ?? original?.doc?.user_id ?? null;
  let paid: { id: string; doc: BookingDoc } | null = null;
  const paidId = found.paidBookingId ?? prev?.booking_id ?? original?.doc?.booking_id ?? null;
  if (paidId) {
    // A paid booking that does not match the model is not linked (the read logs it).
    const read = await txGetTolerant(tx, db, bookings, bookings.docPath({ bookingId: paidId }), 'calWebhook');
    if (read.state === 'valid') paid = { id: paidId, doc: read.data };
  }
  const sessionId = prev?.session_id ?? original?.doc?.session_id ?? `cal-${isReschedule ? p.rescheduleUid : p.uid}`;
  const sessionRead = userId ? await readSession(tx, deps, userId, sessionId) : null;
  const sessionRef = userId && !sessionRead?.broken ? db.doc(sessions.docPath({ uid: userId, sessionId })).withConverter(sessions.converter) : null;
  const session = sessionRead?.doc;
  // The session's coach: the organizer if a coach, else the one it has, else the client's assigned coach
  // (a profile the model cannot read gives none: the read logs it).
  const assignedCoach = userId && !found.organizerCoachId && !session?.coach_id ? await assignedCoachOf(tx, deps, userId) : null;
  const coachId = found.organizerCoachId ?? session?.coach_id ?? assignedCoach;

  // ---- the booking document ----
  const incoming = statusFor(e);
  const status = rank(incoming) > rank(prev?.status) ? incoming : (prev?.status ?? incoming);
  const newer = !prev?.last_event_at || eventAt.toMillis() >= prev.last_event_at.toMillis();
  const start = Timestamp.fromDate(new Date(p.startTime));
  const end = p.endTime ? Timestamp.fromDate(new Date(p.endTime)) : null;
  const meetingUrl = p.videoCallData?.url ?? (typeof p.metadata?.videoCallUrl === 'string' ? p.metadata.videoCallUrl : null);
  const data: CalBookingDoc = {
    cal_booking_id: calId ?? prev?.cal_booking_id ?? null,
    event_id: newer ? (p.eventTypeId ?? prev?.event_id ?? null) : (prev?.event_id ?? null),
    user_id: userId,
    attendee_email: newer && attendee ? attendee.email : (prev?.attendee_email ?? attendee?.email ?? ''),
    attendee_name: newer && attendee ? (attendee.name ?? null) : (prev?.attendee_name ?? null),
    start_time: newer || !prev ? start : prev.start_time,
    end_time: newer || !prev ? end : prev.end_time,
    status,
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
    rescheduled_from: prev?.rescheduled_from ?? (isReschedule && original ? original.id : null),
    rescheduled_to: prev?.rescheduled_to ?? null,
    booking_id: paid?.id ?? prev?.booking_id ?? null,
    session_id: prev?.session_id ?? null,
    no_show: prev?.no_show ?? null,
    last_event_at: newer ? eventAt : (prev?.last_event_at ?? null),
    credit_state: prev?.credit_state ?? null,
    credit_entitlement_id: prev?.credit_entitlement_id ?? null,
    attention: prev?.attention ?? null,
  };

  // ---- the coaching session: one per chain of reschedules, following the live booking ----
  const live = data.status !== 'rescheduled';
  const sessionStatus = live ? sessionStatusFor(data.status, data.no_show) : null;
  let sessionWrite: SessionDoc | null = null;
  if (sessionRef && sessionStatus && (session || data.status === 'confirmed' || data.status === 'completed')) {
    data.session_id = sessionId;
    sessionWrite = {
      user_id: userId as string,
      coach_id: coachId,
      booking_id: target.id,
      session_date: data.start_time,
      notes: session?.notes ?? null,
      action_items: session?.action_items ?? null,
      status: sessionStatus,
      created_at: session?.created_at ?? now,
      updated_at: now,
      cal_booking_id: data.cal_booking_id,
    };
  }

  // ---- the session credit (its reads come last, before the writes) ----
  const creditWrites = found.credits
    ? await planCredit(tx, db, { bookingDocId: target.id, userId, data, original: original?.doc ?? null, paid: Boolean(paid), lookups: found.credits, now })
    : null;

  // ---- writes ----
  txSet(tx, db.doc(calBookings.docPath({ calBookingDocId: target.id })).withConverter(calBookings.converter), data);
  creditWrites?.(tx);
  if (original) {
    const ref = db.doc(calBookings.docPath({ calBookingDocId: original.id })).withConverter(calBookings.converter);
    const o = original.doc;
    txSet(tx, ref, {
      cal_booking_id: o?.cal_booking_id ?? null,
      event_id: o?.event_id ?? data.event_id,
      user_id: o?.user_id ?? userId,
      attendee_email: o?.attendee_email ?? data.attendee_email,
      attendee_name: o?.attendee_name ?? data.attendee_name,
      // Unknown until the original's own delivery arrives (last_event_at null lets it fill these in).
      start_time: o?.start_time ?? (p.rescheduleStartTime ? Timestamp.fromDate(new Date(p.rescheduleStartTime)) : data.start_time),
      end_time: o?.end_time ?? null,
      status: 'rescheduled',
      meeting_url: o?.meeting_url ?? null,
      metadata: o?.metadata ?? null,
      created_at: o?.created_at ?? now,
      updated_at: now,
      cal_uid: o?.cal_uid ?? p.rescheduleUid ?? null,
      rescheduled_from: o?.rescheduled_from ?? null,
      rescheduled_to: target.id,
      booking_id: o?.booking_id ?? data.booking_id,
      session_id: o?.session_id ?? data.session_id,
      no_show: o?.no_show ?? null,
      last_event_at: o?.last_event_at ?? null,
      // Its session credit went to the booking that replaced it.
      credit_state: o?.credit_state === 'used' ? 'moved' : (o?.credit_state ?? null),
      credit_entitlement_id: o?.credit_entitlement_id ?? null,
      attention: o?.attention ?? null,
    });
  }
  if (sessionRef && sessionWrite) txSet(tx, sessionRef, sessionWrite);
  if (paid && live) {
    txMerge(tx, db.doc(bookings.docPath({ bookingId: paid.id })).withConverter(bookings.converter), {
      cal_booking_id: data.cal_booking_id ?? paid.doc.cal_booking_id,
      cal_uid: p.uid,
      cal_status: data.status,
      user_id: paid.doc.user_id ?? userId,
      updated_at: now,
    });
  }

  const changed = data.status !== prev?.status || isReschedule;
  if (userId && changed && live) {
    const note = noticeFor(data.status, data.start_time, isReschedule);
    if (note) {
      notifyInbox(
        tx,
        db,
        userId,
        `cal-${eventId}`,
        { type: 'booking', title: note.title, message: note.message, metadata: { cal_uid: p.uid, status: data.status } },
        now,
      );
    }
  }
  if (data.status === 'confirmed' && rank(prev?.status) < rank('confirmed') && data.attendee_email) {
    const moved = isReschedule ? 'now ' : '';
    queueEmail(
      tx,
      db,
      `cal-${p.uid}-confirmed`,
      {
        to: data.attendee_email,
        template: 'booking_confirmation',
        subject: isReschedule ? 'Your ZhenGrowth session has moved' : 'Your ZhenGrowth session is confirmed',
        text: `Your session is ${moved}on ${when(data.start_time)}.${data.meeting_url ? `\nJoin: ${data.meeting_url}` : ''}`,
        variables: {
          cal_uid: p.uid,
          start_time: data.start_time.toDate().toISOString(),
          when: when(data.start_time),
          meeting_url: data.meeting_url,
          name: data.attendee_name,
          moved: isReschedule,
        },
      },
      now,
    );
  }
  return { outcome: 'applied', subject: p.uid };
}

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

async function applyNoShow(tx: Transaction, e: NoShowEvent, found: Lookups, deps: WebhookDeps): Promise<Effect> {
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

/** X-Cal-Signature-256: the hex HMAC-SHA256 of the raw body under the webhook secret. */
function verify(req: WebhookRequest, deps: WebhookDeps): Promise<{ body: unknown } | Rejected> {
  const signature = req.header('x-cal-signature-256');
  if (!signature) return Promise.resolve({ reject: 'missing X-Cal-Signature-256 header' });
  if (!signatureMatches(hmacSha256Hex(deps.secret, req.rawBody), signature)) return Promise.resolve({ reject: 'invalid X-Cal-Signature-256' });
  return Promise.resolve(jsonBody(req.rawBody));
}

/** Cal.com sends no event id: the delivery's is derived from its trigger, booking uid (or the body) and createdAt. */
function calEnvelope(body: unknown, req: WebhookRequest): Envelope | null {
  const head = anyEvent.safeParse(body);
  if (!head.success) return null;
  const payload = head.data.payload as { uid?: unknown; bookingUid?: unknown } | undefined;
  const uid = typeof payload?.uid === 'string' ? payload.uid : typeof payload?.bookingUid === 'string' ? payload.bookingUid : '';
  const trigger = head.data.triggerEvent;
  return {
    id: calEventId(trigger, uid || createHash('sha256').update(req.rawBody).digest('hex'), head.data.createdAt ?? ''),
    type: trigger,
    subject: uid || null,
  };
}

/** The booking's documents and credits, looked up before the transaction; then the event's effect. */
async function route(parsed: z.infer<typeof calEvent>, deps: WebhookDeps, head: Envelope): Promise<(tx: Transaction) => Promise<Effect>> {
  const event = parsed as CalEvent;
  const uid = head.subject ?? '';
  if (event.triggerEvent === 'BOOKING_NO_SHOW_UPDATED') {
    const found = await lookUp(deps, { uid, calId: event.payload.bookingId }, null, event.payload.attendees[0]?.email, null, undefined);
    return (tx) => applyNoShow(tx, event, found, deps);
  }
  const p = event.payload;
  const found = await lookUp(
    deps,
    { uid, calId: p.bookingId ?? p.id },
    p.rescheduleUid && p.rescheduleUid !== uid ? { uid: p.rescheduleUid, calId: p.rescheduleId } : null,
    p.attendees[0]?.email,
    bookingToken(p),
    p.organizer?.email,
  );
  found.credits = await lookUpCredits(deps.db, p.eventTypeId, found.userId, p.organizer?.email);
  return (tx) => applyBookingEvent(tx, event, head.id, found, deps);
}

export const calWebhook: WebhookPipeline<z.infer<typeof calEvent>> = {
  provider: 'cal',
  secretName: 'CAL_WEBHOOK_SECRET',
  verify,
  envelope: calEnvelope,
  notAnEvent: 'not a Cal.com webhook payload',
  handled: CAL_TRIGGERS,
  events: calEvent,
  route,
};

export const handleCalWebhook = (req: WebhookRequest, deps: WebhookDeps): Promise<WebhookResponse> => runPipeline(calWebhook, req, deps);
