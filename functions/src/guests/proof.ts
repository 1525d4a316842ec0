/**
 * A guest's paid booking carries no address until the address is proven (checkout/reserve.ts):
 * "my bookings" are matched by verified e-mail, and an address typed at a signed-out checkout could
 * be anybody's. The order keeps the address (its receipt and confirmation go there). Two things
 * prove it: the order's manage link, which was sent to that address, and an account that verified
 * it (adopt.ts). Either gives the booking the order's address.
 */
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import { bookings, type BookingDoc, type OrderDoc } from '@zhengrowth/model';
import type { Deps } from '../core/deps.js';
import { txMerge, runTx } from '../core/firestore.js';
import { orderRef } from '../shared/orders.js';

export const bookingRef = (db: Firestore, bookingId: string) => db.doc(bookings.docPath({ bookingId })).withConverter(bookings.converter);

/** The booking's address once proven: the order's, where the booking has none yet; otherwise null (nothing to write). */
function provenAddress(order: OrderDoc, booking: BookingDoc | undefined): string | null {
  if (!booking || booking.customer_email !== '' || !order.customer_email) return null;
  return order.customer_email;
}

/**
 * The manage link of a guest order was used: its booking gets the order's address (once; a retry
 * writes nothing). Returns the order as read (undefined when it no longer exists).
 */
export async function proveByManageLink(deps: Pick<Deps, 'db' | 'now'>, orderId: string): Promise<OrderDoc | undefined> {
  const { db } = deps;
  return runTx(db, async (tx) => {
    const order = (await tx.get(orderRef(db, orderId))).data();
    if (!order?.booking_id || order.user_id !== null) return order;
    const ref = bookingRef(db, order.booking_id);
    const email = provenAddress(order, (await tx.get(ref)).data());
    if (email) txMerge(tx, ref, { customer_email: email, updated_at: Timestamp.fromDate(deps.now()) });
    return order;
  });
}
