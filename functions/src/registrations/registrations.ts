/**
 * Event registrations as registerForEvent, cancelRegistration, checkIn and listAttendees see them:
 * where one lives, its id for a person, its view, and the waitlist position.
 */
import { createHash } from 'node:crypto';
import type { Firestore } from 'firebase-admin/firestore';
import { waitlistAhead, type EventRegistrationDoc, type RegistrationView, type TimestampLike } from '@zhengrowth/model';
import { buildQuery } from '../core/query.js';

/**
 * One free registration per person and event: the id comes from the account (or a guest's
 * address), so registering twice finds the first one, and two concurrent calls meet in one document.
 */
export function registrationIdFor(person: { uid: string | null; email: string }): string {
  const who = person.uid ? `uid:${person.uid}` : `email:${person.email}`;
  return `rg-${createHash('sha256').update(who).digest('hex').slice(0, 32)}`;
}

/** Statuses that hold a place (a seat, a held seat, a waitlist ticket). */
export const LIVE_STATUSES: ReadonlySet<string> = new Set(['registered', 'waitlisted', 'reserved']);

const iso = (t: TimestampLike | null | undefined): string | null => (t ? t.toDate().toISOString() : null);

export function registrationView(id: string, r: EventRegistrationDoc, waitlistPosition: number | null): RegistrationView {
  return {
    id,
    event_id: r.event_id,
    status: r.status,
    attendee_name: r.attendee_name,
    attendee_email: r.attendee_email,
    ticket_type: r.ticket_type,
    payment_status: r.payment_status,
    waitlist_position: r.status === 'waitlisted' ? waitlistPosition : null,
    checked_in: r.checked_in === true,
    checked_in_at: iso(r.checked_in_at),
    registered_at: iso(r.registered_at),
    order_id: r.order_id ?? null,
  };
}

/** 1 for the next to be promoted: the waitlisted registrations of the event up to this ticket. */
export async function waitlistPosition(db: Firestore, eventId: string, r: EventRegistrationDoc): Promise<number | null> {
  if (r.status !== 'waitlisted' || r.waitlist_seq === null || r.waitlist_seq === undefined) return null;
  const snap = await buildQuery(db, waitlistAhead, ['waitlisted', r.waitlist_seq], { eventId }).count().get();
  return snap.data().count;
}

/** The view of a registration with its live waitlist position. */
export async function viewOf(db: Firestore, eventId: string, id: string, r: EventRegistrationDoc): Promise<RegistrationView> {
  return registrationView(id, r, await waitlistPosition(db, eventId, r));
}

/** A paid registration (a ticket bought through checkout) is cancelled by an admin refund, not by its holder. */
export function isPaidRegistration(r: EventRegistrationDoc): boolean {
  return Boolean(r.order_id) && r.status !== 'waitlisted';
}

export function when(t: TimestampLike): string {
  return `${t.toDate().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
