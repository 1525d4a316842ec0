import { HttpsError } from 'firebase-functions/v2/https';
import { z } from 'zod';
import { orders, ordersByStatusRecent, ordersRecent } from '@zhengrowth/model';
import { hasRole, type Caller } from '../core/context.js';
import type { Deps } from '../core/deps.js';
import { buildQuery } from '../core/query.js';
import { orderRef, orderView, type OrderView } from '../payments/orders.js';

const orderId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^/]+$/, 'must be an order id');

export const getOrderInput = z.strictObject({ order_id: orderId });

/** The buyer's own order, or any order for an admin. Someone else's order is "not found", not "forbidden". */
export async function getOrder(input: z.infer<typeof getOrderInput>, caller: Caller | null, deps: Deps): Promise<OrderView> {
  if (!caller) throw new HttpsError('unauthenticated', 'sign in to see your orders');
  const order = (await orderRef(deps.db, input.order_id).get()).data();
  if (!order || (order.user_id !== caller.uid && !hasRole(caller, 'admin'))) throw new HttpsError('not-found', 'no such order');
  return orderView(input.order_id, order);
}

export const listOrdersInput = z
  .strictObject({
    status: z.string().min(1).max(40).optional(),
    limit: z.int().min(1).max(100).default(50),
    /** The last order id of the previous page. */
    page_token: orderId.optional(),
  })
  .default({ limit: 50 });

/** Admins: orders newest first, optionally of one status, a page at a time. */
export async function listOrders(
  input: z.infer<typeof listOrdersInput>,
  caller: Caller | null,
  deps: Deps,
): Promise<{ orders: OrderView[]; next_page_token: string | null }> {
  if (!hasRole(caller, 'admin')) throw new HttpsError('permission-denied', 'admins only');
  let q = (input.status ? buildQuery(deps.db, ordersByStatusRecent, [input.status]) : buildQuery(deps.db, ordersRecent, [])).withConverter(orders.converter);
  if (input.page_token) {
    const after = await orderRef(deps.db, input.page_token).get();
    if (!after.exists) throw new HttpsError('invalid-argument', 'page_token does not name an order');
    q = q.startAfter(after);
  }
  const snap = await q.limit(input.limit).get();
  const list = snap.docs.map((d) => orderView(d.id, d.data()));
  return { orders: list, next_page_token: list.length === input.limit ? (list[list.length - 1]?.id ?? null) : null };
}
