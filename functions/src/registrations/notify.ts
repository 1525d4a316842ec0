/**
 * What registration changes say to people: an e-mail (queued with the transaction, deterministic
 * id) and, for account holders, an inbox notice. Template slugs and their variables are listed in
 * docs/messaging.md.
 */
import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import type { EventDoc, EventRegistrationDoc } from '@zhengrowth/model';
import { manageUrl, type LinkSigner } from '../shared/links.js';
import { notifyInbox, queueEmail } from '../shared/outbox.js';
import { when } from './registrations.js';
import { runTx } from '../core/firestore.js';

export interface LinkDeps {
  links: LinkSigner;
  appUrl: string;
}

interface Subject {
  eventId: string;
  event: EventDoc;
  registrationId: string;
  reg: Pick<EventRegistrationDoc, 'user_id' | 'attendee_email' | 'attendee_name' | 'registered_at'>;
}

const stamp = (s: Subject): number => s.reg.registered_at?.toMillis() ?? 0;

function basics(s: Subject) {
  return { event_id: s.eventId, event_title: s.event.title, event_when: when(s.event.start_time), location: s.event.location, name: s.reg.attendee_name };
}

/** The links of a registration's e-mails: manage (view, cancel) without signing in, and the check-in QR token. */
export function linksFor(deps: LinkDeps, s: Pick<Subject, 'eventId' | 'registrationId'>, now: Date, seat: boolean) {
  const subject = { eventId: s.eventId, registrationId: s.registrationId };
  return {
    manage_url: manageUrl(deps.appUrl, deps.links.sign('manage', subject, now)),
    checkin_token: seat ? deps.links.sign('checkin', subject, now) : null,
  };
}

/** registerForEvent: registered (with the QR token) or waitlisted (with the position). */
export function notifyRegistered(
  tx: Transaction,
  db: Firestore,
  deps: LinkDeps,
  s: Subject,
  status: 'registered' | 'waitlisted',
  position: number | null,
  now: Timestamp,
): void {
  const b = basics(s);
  const links = linksFor(deps, s, now.toDate(), status === 'registered');
  const text =
    status === 'registered'
      ? `You are registered for ${b.event_title} on ${b.event_when}.\nManage your registration: ${links.manage_url}`
      : `${b.event_title} on ${b.event_when} is full: you are number ${position ?? '?'} on the waitlist. We will write when a seat frees up.\nManage: ${links.manage_url}`;
  queueEmail(
    tx,
    db,
    `reg-${s.registrationId}-${stamp(s)}-${status}`,
    {
      to: s.reg.attendee_email,
      template: 'event_registration',
      subject: status === 'registered' ? `You are registered: ${b.event_title}` : `On the waitlist: ${b.event_title}`,
      text,
      variables: { ...b, status, waitlist_position: position, ...links },
    },
    now,
  );
  if (s.reg.user_id) {
    notifyInbox(
      tx,
      db,
      s.reg.user_id,
      `reg-${s.registrationId}-${stamp(s)}-${status}`,
      {
        type: 'event',
        title: status === 'registered' ? 'Registered' : 'On the waitlist',
        message:
          status === 'registered'
            ? `You are registered for ${b.event_title} on ${b.event_when}.`
            : `${b.event_title} is full: you are number ${position ?? '?'} on the waitlist.`,
        metadata: { event_id: s.eventId, registration_id: s.registrationId, status },
      },
      now,
    );
  }
}

/** A waitlisted person got a seat (free ticket): inbox and e-mail. */
export function notifyPromoted(tx: Transaction, db: Firestore, deps: LinkDeps, s: Subject, now: Timestamp): void {
  const b = basics(s);
  const links = linksFor(deps, s, now.toDate(), true);
  const id = `reg-${s.registrationId}-${stamp(s)}-promoted`;
  queueEmail(
    tx,
    db,
    id,
    {
      to: s.reg.attendee_email,
      template: 'event_waitlist_promoted',
      subject: `A seat freed up: you are registered for ${b.event_title}`,
      text: `Good news: a seat freed up and you are now registered for ${b.event_title} on ${b.event_when}.\nManage your registration: ${links.manage_url}`,
      variables: { ...b, ...links },
    },
    now,
  );
  if (s.reg.user_id) {
    notifyInbox(
      tx,
      db,
      s.reg.user_id,
      id,
      {
        type: 'event',
        title: 'You got a seat',
        message: `A seat freed up: you are registered for ${b.event_title} on ${b.event_when}.`,
        metadata: { event_id: s.eventId, registration_id: s.registrationId, status: 'registered' },
      },
      now,
    );
  }
}

/** A waitlisted paid ticket: the seat is held for the checkout's lifetime; pay with the link. */
export async function notifySeatOffer(
  db: Firestore,
  s: Subject & { orderId: string; checkoutUrl: string; expiresAt: Date; amount: string },
  now: Date,
): Promise<void> {
  const b = basics(s);
  const expires = `${s.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const at = Timestamp.fromDate(now);
  await runTx(db, async (tx) => {
    queueEmail(
      tx,
      db,
      `reg-${s.registrationId}-offer-${s.orderId}`,
      {
        to: s.reg.attendee_email,
        template: 'event_waitlist_offer',
        subject: `A seat is waiting for you: ${b.event_title}`,
        text: `A seat freed up for ${b.event_title} on ${b.event_when}. It is held for you until ${expires}: pay ${s.amount} here to take it: ${s.checkoutUrl}`,
        variables: { ...b, order_id: s.orderId, checkout_url: s.checkoutUrl, hold_until: expires, amount: s.amount },
      },
      at,
    );
    if (s.reg.user_id) {
      notifyInbox(
        tx,
        db,
        s.reg.user_id,
        `reg-${s.registrationId}-offer-${s.orderId}`,
        {
          type: 'event',
          title: 'A seat is waiting for you',
          message: `A seat for ${b.event_title} is held for you until ${expires}.`,
          action_url: s.checkoutUrl,
          metadata: { event_id: s.eventId, registration_id: s.registrationId, order_id: s.orderId },
        },
        at,
      );
    }
    return Promise.resolve();
  });
}

/** The registrant cancelled. */
export function notifyCancelled(tx: Transaction, db: Firestore, s: Subject, now: Timestamp): void {
  const b = basics(s);
  queueEmail(
    tx,
    db,
    `reg-${s.registrationId}-${stamp(s)}-cancelled`,
    {
      to: s.reg.attendee_email,
      template: 'event_registration_cancelled',
      subject: `Cancelled: ${b.event_title}`,
      text: `Your registration for ${b.event_title} on ${b.event_when} is cancelled.`,
      variables: b,
    },
    now,
  );
}
