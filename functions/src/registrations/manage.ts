/**
 * manageBooking: the signed link of a confirmation e-mail, without signing in. A registration link
 * shows the registration and can cancel a free one (the seat passes to the waitlist); an order link
 * (a guest checkout) shows the order — paid orders are cancelled by a refund, not from the link —
 * and, being proof of the address, gives the order's session booking that address (guests/proof.ts).
 */
import { HttpsError } from 'firebase-functions/v2/https';
import type { manageBooking as contract } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { proveByManageLink } from '../guests/proof.js';
import type { PaymentDeps } from '../payments/deps.js';
import { orderView } from '../shared/orders.js';
import { cancelRegistrationOf } from './cancel.js';
import { viewOf } from './registrations.js';
import { registrationRef } from '../shared/refs.js';

export const manageBooking: CallableHandler<typeof contract, PaymentDeps> = async (input, _caller, deps) => {
  const subject = deps.links.verify('manage', input.token, deps.now());
  if (subject.eventId && subject.registrationId) {
    const { eventId, registrationId } = subject;
    if (input.action === 'cancel') {
      // The token is the proof: it was sent to the registration's address.
      const out = await cancelRegistrationOf(deps, eventId, registrationId, () => undefined);
      return { registration: out.registration, order: null, promoted: out.promoted };
    }
    const reg = (await registrationRef(deps.db, eventId, registrationId).get()).data();
    if (!reg) throw new HttpsError('not-found', 'this registration no longer exists');
    return { registration: await viewOf(deps.db, eventId, registrationId, reg), order: null, promoted: null };
  }
  if (subject.orderId) {
    if (input.action === 'cancel')
      throw new HttpsError('failed-precondition', 'an order is cancelled through a refund: please contact us with its order number');
    // Holding the link proves the guest's address: their session booking now shows in "my bookings".
    const order = await proveByManageLink(deps, subject.orderId);
    if (!order) throw new HttpsError('not-found', 'this order no longer exists');
    return { registration: null, order: orderView(subject.orderId, order), promoted: null };
  }
  throw new HttpsError('permission-denied', 'this link is not valid (it names nothing)');
};
