/**
 * registerForEvent: a seat at a free event (or one without prices), in one transaction with the
 * event's seat counter, never beyond `capacity`; when full, a waitlist ticket (waitlist_seq, handed
 * out by the event in the same transaction, so tickets are in commit order). A full paid event
 * takes waitlist entries for a price (`price_id`); its seats are bought with createCheckout.
 */
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { eventPrices, eventPricesActive, waitlistAhead, type EventRegistrationDoc, type registerForEvent as contract } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { txSet, runTx } from '../core/firestore.js';
import { buildQuery } from '../core/query.js';
import { goodDocs } from '../core/read.js';
import { buyerOf } from '../checkout/create.js';
import { eventRegisteredFact, recordDomainEvent } from '../shared/domain-events.js';
import type { PaymentDeps } from '../payments/deps.js';
import { notifyRegistered } from './notify.js';
import { LIVE_STATUSES, registrationIdFor, viewOf } from './registrations.js';
import { eventRef, registrationRef } from '../shared/refs.js';

/** Whether the event sells tickets (an active price above zero), and the price asked for, if any. */
async function pricing(
  deps: PaymentDeps,
  eventId: string,
  priceId: string | undefined,
): Promise<{ paid: boolean; price: { id: string; currency: string } | null }> {
  // A price the model cannot read is no ticket price (logged), not a failed registration.
  const active = goodDocs(eventPrices, (await buildQuery(deps.db, eventPricesActive, [true], { eventId }).get()).docs, 'registerForEvent');
  const paid = active.some((d) => d.data.amount_minor > 0);
  if (!priceId) return { paid, price: null };
  const hit = active.find((d) => d.id === priceId);
  if (!hit || hit.data.amount_minor <= 0) throw new HttpsError('not-found', `price ${priceId} is not a ticket price of this event`);
  return { paid, price: { id: priceId, currency: hit.data.currency } };
}

export const registerForEvent: CallableHandler<typeof contract, PaymentDeps> = async (input, caller, deps) => {
  const person = buyerOf(input, caller);
  const { db } = deps;
  const nowDate = deps.now();
  const now = Timestamp.fromDate(nowDate);
  const event0 = (await eventRef(db, input.event_id).get()).data();
  if (!event0 || event0.published !== true) throw new HttpsError('not-found', `event ${input.event_id} is not available`);
  if (event0.start_time.toMillis() <= nowDate.getTime()) throw new HttpsError('failed-precondition', `event ${input.event_id} has already started`);
  const { paid, price } = await pricing(deps, input.event_id, input.price_id);
  if (paid && !price)
    throw new HttpsError('failed-precondition', 'this event sells tickets: buy one with createCheckout (or join its waitlist with price_id when it is full)');
  const registrationId = registrationIdFor(person);
  const regRef = registrationRef(db, input.event_id, registrationId);

  const out = await runTx(
    db,
    async (tx) => {
      const event = (await tx.get(eventRef(db, input.event_id))).data();
      if (!event) throw new HttpsError('not-found', `event ${input.event_id} is not available`);
      const prev = (await tx.get(regRef)).data();
      if (prev && prev.status !== null && LIVE_STATUSES.has(prev.status)) return { reg: prev, existing: true };
      const full = event.capacity !== null && (event.registered_count ?? 0) >= event.capacity;
      if (price && !full) throw new HttpsError('failed-precondition', 'seats are available: buy a ticket with createCheckout');
      const status = full ? ('waitlisted' as const) : ('registered' as const);
      const seq = full ? (event.waitlist_seq ?? 0) + 1 : null;
      // The place in the line at joining: everyone still waiting with an earlier ticket, plus one.
      const position =
        seq === null ? null : (await tx.get(buildQuery(db, waitlistAhead, ['waitlisted', seq], { eventId: input.event_id }).count())).data().count + 1;
      const reg: EventRegistrationDoc = {
        event_id: input.event_id,
        user_id: person.uid,
        attendee_email: person.email,
        attendee_name: person.name,
        ticket_type: price ? 'standard' : 'free',
        status,
        checked_in: false,
        payment_status: price ? 'pending' : 'free',
        amount_paid_minor: null,
        currency: price?.currency ?? null,
        metadata: null,
        registered_at: now,
        updated_at: now,
        order_id: null,
        waitlist_seq: seq,
        price_id: price?.id ?? null,
        cancelled_at: null,
        checked_in_at: null,
        checked_in_by: null,
      };
      // ---- writes ----
      txSet(tx, regRef, reg);
      tx.update(
        eventRef(db, input.event_id),
        full ? { waitlist_seq: FieldValue.increment(1), updated_at: now } : { registered_count: FieldValue.increment(1), updated_at: now },
      );
      notifyRegistered(tx, db, deps, { eventId: input.event_id, event, registrationId, reg }, status, position, now);
      if (status === 'registered') {
        recordDomainEvent(tx, db, eventRegisteredFact(input.event_id, registrationId, person.uid, 'free'), now);
      }
      return { reg, existing: false };
    },
    // Everyone racing for the last seats waits on the same event document.
    { maxAttempts: 60 },
  );
  return { registration: await viewOf(db, input.event_id, registrationId, out.reg), existing: out.existing };
};
