/**
 * Cancelling a registration (the registrant signed in, or a guest through the manage link): the
 * registration ends `cancelled` and, if it held a seat, the seat passes to the first waitlisted
 * person in the same transaction (promote.ts). A paid registration is cancelled by an admin refund
 * (refundOrder), never by its holder alone; a seat held by a pending payment is let go by not paying.
 */
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import type { cancelRegistration as contract, EventRegistrationDoc, RegistrationView } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { hasRole } from '../core/context.js';
import { txMerge, runTx } from '../core/firestore.js';
import type { PaymentDeps } from '../payments/deps.js';
import { notifyCancelled } from './notify.js';
import { offerSeat, readNextInLine, writePromotion, type Promotion } from './promote.js';
import { isPaidRegistration, viewOf } from './registrations.js';
import { eventRef, registrationRef } from '../shared/refs.js';

export interface Cancelled {
  registration: RegistrationView;
  promoted: { registration_id: string; status: 'registered' | 'reserved'; order_id: string | null } | null;
}

/** Cancels a registration the caller may cancel (`authorize` throws otherwise); idempotent. */
export async function cancelRegistrationOf(
  deps: PaymentDeps,
  eventId: string,
  registrationId: string,
  authorize: (reg: EventRegistrationDoc) => void,
): Promise<Cancelled> {
  const { db } = deps;
  const now = Timestamp.fromDate(deps.now());
  const regRef = registrationRef(db, eventId, registrationId);
  const out = await runTx(
    db,
    async (tx) => {
      const reg = (await tx.get(regRef)).data();
      if (!reg) throw new HttpsError('not-found', 'no such registration');
      authorize(reg);
      if (reg.status === 'cancelled') return { reg, next: null, promotion: null as Promotion | null, event: null };
      if (isPaidRegistration(reg)) {
        throw new HttpsError('permission-denied', 'a paid registration is cancelled through a refund: please contact us');
      }
      if (reg.status === 'reserved') throw new HttpsError('failed-precondition', 'this seat is held for a payment: it is released if the checkout is not paid');
      const event = (await tx.get(eventRef(db, eventId))).data();
      if (!event) throw new HttpsError('not-found', 'no such event');
      const heldSeat = reg.status === 'registered';
      const next = heldSeat ? await readNextInLine(tx, db, eventId) : null;
      // ---- writes ----
      const cancelled: EventRegistrationDoc = { ...reg, status: 'cancelled', waitlist_seq: null, cancelled_at: now, updated_at: now };
      txMerge(tx, regRef, { status: 'cancelled', waitlist_seq: null, cancelled_at: now, updated_at: now });
      notifyCancelled(tx, db, { eventId, event, registrationId, reg }, now);
      // The seat passes to the next in line, still counted; with nobody waiting it is given back.
      const promotion = next ? writePromotion(tx, db, deps, eventId, event, next, true, now) : null;
      if (heldSeat && !next) tx.update(eventRef(db, eventId), { registered_count: FieldValue.increment(-1), updated_at: now });
      return { reg: cancelled, next, promotion, event };
    },
    { maxAttempts: 30 },
  );
  if (out.promotion && out.next && out.event) await offerSeat(deps, eventId, out.event, out.next, out.promotion);
  const p = out.promotion;
  return {
    registration: await viewOf(db, eventId, registrationId, out.reg),
    promoted: p ? { registration_id: p.registration_id, status: p.status, order_id: p.order_id } : null,
  };
}

export const cancelRegistration: CallableHandler<typeof contract, PaymentDeps> = async (input, caller, deps) => {
  return cancelRegistrationOf(deps, input.event_id, input.registration_id, (reg) => {
    // Someone else's registration is "not found", not "forbidden".
    if (reg.user_id !== caller.uid && !hasRole(caller, 'admin')) throw new HttpsError('not-found', 'no such registration');
  });
};
