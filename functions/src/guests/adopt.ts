/**
 * A guest's orders join the account that signs up with their address. Call it once the account's
 * e-mail is verified (accounts' ensureProfile): the verification proves the address, as the manage
 * link proved it to the guest. Each order joins in its own transaction, only while it is still
 * nobody's, with what an account's order would have had: the order, its registrations and paid
 * booking get the uid, a paid order gets its receipt, and its offers' entitlements are granted
 * (or reduced/revoked, as its refunds say) — through the same code as a payment (planEntitlements).
 */
import { Timestamp } from 'firebase-admin/firestore';
import { guestOrdersByEmail, type OrderDoc } from '@zhengrowth/model';
import type { Deps } from '../core/deps.js';
import { txMerge, runTx } from '../core/firestore.js';
import { buildQuery } from '../core/query.js';
import { planEntitlements } from '../entitlements/grants.js';
import { bookingRef } from './proof.js';
import { registrationRef } from '../shared/refs.js';
import { isPaid, orderItems, orderRef } from '../shared/orders.js';
import { writeReceipt } from '../payments/order-effects.js';

/** Joins the guest orders made with `verifiedEmail` to `uid`; how many this call joined. */
export async function adoptGuestOrders(deps: Deps, uid: string, verifiedEmail: string): Promise<number> {
  const { db } = deps;
  const found = await buildQuery(db, guestOrdersByEmail, [verifiedEmail, null]).select().get();
  let joined = 0;
  for (const d of found.docs) {
    const done = await runTx(db, async (tx) => {
      const order = (await tx.get(orderRef(db, d.id))).data();
      if (!order || order.user_id !== null || order.customer_email !== verifiedEmail) return false;
      const now = Timestamp.fromDate(deps.now());
      const o: OrderDoc = { ...order, user_id: uid, updated_at: now };
      const entitlementWrites = await planEntitlements(tx, db, d.id, o, now);
      // ---- writes ----
      tx.set(orderRef(db, d.id), o);
      for (const it of orderItems(o)) {
        for (const registrationId of it.registration_ids ?? []) txMerge(tx, registrationRef(db, it.ref_id, registrationId), { user_id: uid });
      }
      // The verified address proves the guest's booking too (proof.ts): it shows in "my bookings".
      if (o.booking_id) txMerge(tx, bookingRef(db, o.booking_id), { user_id: uid, customer_email: verifiedEmail });
      if (isPaid(o)) writeReceipt(tx, db, d.id, o, now);
      entitlementWrites?.(tx);
      return true;
    });
    if (done) joined += 1;
  }
  return joined;
}
