/**
 * Check-in at the door (coaches and admins): by event and registration id, or by the signed QR
 * token of the confirmation. Once: a second scan answers when it was checked in and changes
 * nothing. listAttendees pages an event's registrations with the counts the door needs.
 */
import { Timestamp, type Query } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import {
  attendeesOfEvent,
  attendeesOfEventByStatus,
  eventRegistrations,
  registrationsOfEventByStatus,
  registrationsOfEventCheckedIn,
  waitlistOfEvent,
  type checkIn as checkInContract,
  type listAttendees as listAttendeesContract,
} from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import type { Deps } from '../core/deps.js';
import { txMerge, runTx } from '../core/firestore.js';
import { buildQuery } from '../core/query.js';
import { goodDocs } from '../core/read.js';
import type { PaymentDeps } from '../payments/deps.js';
import { recordDomainEvent } from '../shared/domain-events.js';
import { registrationView } from './registrations.js';
import { eventRef, registrationRef } from '../shared/refs.js';

export const checkIn: CallableHandler<typeof checkInContract, PaymentDeps> = async (input, staff, deps) => {
  const { eventId, registrationId } =
    'token' in input ? deps.links.verify('checkin', input.token, deps.now()) : { eventId: input.event_id, registrationId: input.registration_id };
  if (!eventId || !registrationId) throw new HttpsError('permission-denied', 'this QR code is not a ticket');
  const ref = registrationRef(deps.db, eventId, registrationId);
  const now = Timestamp.fromDate(deps.now());
  const out = await runTx(deps.db, async (tx) => {
    const reg = (await tx.get(ref)).data();
    if (!reg) throw new HttpsError('not-found', 'no such registration');
    if (reg.checked_in === true) return { reg, already: true };
    if (reg.status !== 'registered') throw new HttpsError('failed-precondition', `not checked in: this registration is ${reg.status ?? 'not confirmed'}`);
    const change = { checked_in: true, checked_in_at: now, checked_in_by: staff.uid, updated_at: now };
    txMerge(tx, ref, change);
    // Attendance, for the followers (badges, funnels): a registration alone is not attendance.
    recordDomainEvent(
      tx,
      deps.db,
      {
        type: 'event_attended',
        userId: reg.user_id ?? null,
        subjectId: `${eventId}:${registrationId}`,
        data: { event_id: eventId, registration_id: registrationId },
      },
      now,
    );
    return { reg: { ...reg, ...change }, already: false };
  });
  return { registration: registrationView(registrationId, out.reg, null), already_checked_in: out.already };
};

async function count(q: Query): Promise<number> {
  return (await q.count().get()).data().count;
}

/** Waitlist positions of the whole waitlist (ids in ticket order), for the page's waitlisted rows. */
async function positions(deps: Deps, eventId: string): Promise<Map<string, number>> {
  const snap = await buildQuery(deps.db, waitlistOfEvent, ['waitlisted'], { eventId }).select().get();
  return new Map(snap.docs.map((d, i) => [d.id, i + 1]));
}

export const listAttendees: CallableHandler<typeof listAttendeesContract, Deps> = async (input, _staff, deps) => {
  const { db } = deps;
  const params = { eventId: input.event_id };
  const event = (await eventRef(db, input.event_id).get()).data();
  if (!event) throw new HttpsError('not-found', 'no such event');
  let q = input.status ? buildQuery(db, attendeesOfEventByStatus, [input.status], params) : buildQuery(db, attendeesOfEvent, [], params);
  if (input.page_token) {
    const after = await registrationRef(db, input.event_id, input.page_token).get();
    if (!after.exists) throw new HttpsError('invalid-argument', 'page_token does not name a registration of this event');
    q = q.startAfter(after);
  }
  const [page, registered, waitlisted, checkedIn] = await Promise.all([
    q.limit(input.limit).get(),
    count(buildQuery(db, registrationsOfEventByStatus, ['registered'], params)),
    count(buildQuery(db, registrationsOfEventByStatus, ['waitlisted'], params)),
    count(buildQuery(db, registrationsOfEventCheckedIn, [true], params)),
  ]);
  // A registration the model cannot read is skipped (logged), not the end of the list; paging goes on past it.
  const good = goodDocs(eventRegistrations, page.docs, 'listAttendees');
  const line = good.some((d) => d.data.status === 'waitlisted') ? await positions(deps, input.event_id) : new Map<string, number>();
  const attendees = good.map((d) => registrationView(d.id, d.data, line.get(d.id) ?? null));
  return {
    attendees,
    counts: { registered, waitlisted, checked_in: checkedIn },
    capacity: event.capacity,
    next_page_token: page.size === input.limit ? (page.docs[page.size - 1]?.id ?? null) : null,
  };
};
