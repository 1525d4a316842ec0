import { HttpsError } from 'firebase-functions/v2/https';
import { orders, ordersByStatusRecent, ordersRecent, type getOrder as getOrderContract, type listOrders as listOrdersContract } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { hasRole } from '../core/context.js';
import type { Deps } from '../core/deps.js';
import { buildQuery } from '../core/query.js';
import { goodDocs } from '../core/read.js';
import { orderRef, orderView } from '../shared/orders.js';

/** The buyer's own order, or any order for an admin. Someone else's order is "not found", not "forbidden". */
export const getOrder: CallableHandler<typeof getOrderContract, Deps> = async (input, caller, deps) => {
  const order = (await orderRef(deps.db, input.order_id).get()).data();
  if (!order || (order.user_id !== caller.uid && !hasRole(caller, 'admin'))) throw new HttpsError('not-found', 'no such order');
  return orderView(input.order_id, order);
};

/**
 * Admins: orders newest first, optionally of one status, a page at a time. An order that does not
 * match the model is skipped and logged, not the end of the list; the page token is the last order
 * read, so paging goes on past it.
 */
export const listOrders: CallableHandler<typeof listOrdersContract, Deps> = async (input, caller, deps) => {
  let q = input.status ? buildQuery(deps.db, ordersByStatusRecent, [input.status]) : buildQuery(deps.db, ordersRecent, []);
  if (input.page_token) {
    const after = await deps.db.doc(orders.docPath({ orderId: input.page_token })).get();
    if (!after.exists) throw new HttpsError('invalid-argument', 'page_token does not name an order');
    q = q.startAfter(after);
  }
  const snap = await q.limit(input.limit).get();
  const list = goodDocs(orders, snap.docs, 'listOrders').map((d) => orderView(d.id, d.data));
  return { orders: list, next_page_token: snap.size === input.limit ? (snap.docs[snap.size - 1]?.id ?? null) : null };
};
