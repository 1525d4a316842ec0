import { Timestamp } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions/logger';
import { orders, pendingOrdersExpiredBefore } from '@zhengrowth/model';
import type { Deps } from '../core/deps.js';
import { buildQuery } from '../core/query.js';
import { goodDocs } from '../core/read.js';
import { orderItems, seatsByEvent } from '../shared/orders.js';
import { applyOrderFacts } from './state.js';
import { runTx } from '../core/firestore.js';

export interface ExpireOptions {
  /** Minutes past an order's expires_at before we give up on the provider's own expiry event. */
  graceMinutes: number;
  /** Orders per page; pages repeat until none is left or maxPages is reached. */
  pageSize: number;
  maxPages: number;
}

export const DEFAULT_EXPIRE_OPTIONS: ExpireOptions = { graceMinutes: 15, pageSize: 200, maxPages: 25 };

export interface ExpireReport {
  examined: number;
  expired: number;
  /** Events whose seats came back with the expired checkouts (their waitlists may move). */
  freedEvents: string[];
}

/**
 * Expire checkouts nobody finished: a pending order past its expires_at (plus a grace period, so the
 * provider's own expiry event usually comes first) gives its seats and coupon use back. Stripe sends
 * checkout.session.expired itself; an Airwallex intent that is simply abandoned never says so, and a
 * lost webhook must not hold seats forever. Each order goes through the same state machine as a
 * provider event, in its own transaction, so a payment that arrives later still counts (and takes
 * its seats back if there is room).
 */
export async function expireStaleOrders(deps: Deps, options: ExpireOptions = DEFAULT_EXPIRE_OPTIONS): Promise<ExpireReport> {
  const now = deps.now();
  const cutoff = Timestamp.fromMillis(now.getTime() - options.graceMinutes * 60_000);
  const report: ExpireReport = { examined: 0, expired: 0, freedEvents: [] };
  const freed = new Set<string>();
  for (let page = 0; page < options.maxPages; page += 1) {
    const snap = await buildQuery(deps.db, pendingOrdersExpiredBefore, ['pending', cutoff]).limit(options.pageSize).get();
    if (snap.empty) break;
    // An order that does not match the model is skipped (logged): the others still expire.
    for (const doc of goodDocs(orders, snap.docs, 'expireStaleOrders')) {
      report.examined += 1;
      const outcome = await runTx(deps.db, (tx) => applyOrderFacts(tx, deps.db, doc.id, [{ kind: 'expired' }], now));
      if (outcome.before === 'pending' && outcome.after === 'expired') {
        report.expired += 1;
        for (const eventId of seatsByEvent(orderItems(outcome.order ?? { items: [] })).keys()) freed.add(eventId);
      }
    }
    if (snap.size < options.pageSize) break;
  }
  report.freedEvents = [...freed];
  if (report.examined > 0) logger.info('expired stale checkouts', { examined: report.examined, expired: report.expired, events: report.freedEvents.length });
  return report;
}
