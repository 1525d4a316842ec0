/**
 * refundOrder (admins): asks the provider for a refund. The order's refunded_minor and status move
 * when the provider confirms it (charge.refunded from Stripe, refund.accepted/settled from
 * Airwallex), through the same state machine as every other payment fact.
 *
 * Idempotent: a request is recorded on the order under its key (the caller's request_id, else the
 * amount asked, or "all") before the provider is called with an idempotency key made from it; the
 * same request again returns what the first one did. Two refunds of the same amount on purpose
 * need two request_ids.
 */
import { createHash } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { logger } from 'firebase-functions';
import { orderStatusOf, type refundOrder as refundOrderContract } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { txSet, runTx } from '../core/firestore.js';
import type { PaymentDeps } from './deps.js';
import { isPaid, orderRef } from '../shared/orders.js';
import { ProviderError, type RefundResult } from './providers.js';
import type { Provider } from './fold.js';
import { applyOrderFacts } from './state.js';

export const refundOrder: CallableHandler<typeof refundOrderContract, PaymentDeps> = async (input, caller, deps) => {
  const { db } = deps;
  const ref = orderRef(db, input.order_id);

  const planned = await runTx(db, async (tx) => {
    const order = (await tx.get(ref)).data();
    if (!order) throw new HttpsError('not-found', 'no such order');
    if (!isPaid(order) || !order.payment_provider || !['stripe', 'airwallex'].includes(order.payment_provider)) {
      throw new HttpsError('failed-precondition', `order is ${order.status ?? 'not paid'}: nothing to refund through a provider`);
    }
    const paymentIntent = order.payment_intent_id ?? (order.payment_provider === 'airwallex' ? order.payment_id : null);
    if (!paymentIntent) throw new HttpsError('failed-precondition', 'the order has no provider payment to refund');
    const refunded = order.refunded_minor ?? 0;
    const refunds = order.refunds ?? {};
    // Asked through us but not confirmed yet: what our requests add up to beyond what the provider confirmed.
    const requested = Object.entries(refunds)
      .filter(([id, r]) => id.startsWith('req:') && r.status !== 'failed')
      .reduce((s, [, r]) => s + r.amount_minor, 0);
    const available = (order.paid_minor ?? order.total_minor) - refunded - Math.max(0, requested - refunded);
    const amount = input.amount_minor ?? available;
    // Without a request_id the same amount (or "all") again is the same request: never refund twice by accident.
    const key = input.request_id ?? `auto-${input.amount_minor ?? 'all'}`;
    const entryId = `req:${key}`;
    const existing = refunds[entryId];
    if (existing) {
      // The same request again: return the provider's refund, or retry the call if it never got one.
      const made = Object.entries(refunds).find(([id, r]) => id !== entryId && r.request_key === key);
      return { order, key, amount: existing.amount_minor, paymentIntent, done: made ? { id: made[0], status: made[1].status } : null };
    }
    if (amount <= 0 || amount > available) {
      throw new HttpsError('failed-precondition', `refundable now: ${Math.max(0, available)} minor units, asked ${amount}`);
    }
    const now = Timestamp.fromDate(deps.now());
    txSet(tx, ref, {
      ...order,
      refunds: {
        ...refunds,
        [entryId]: { provider: order.payment_provider, amount_minor: amount, status: 'requested', counts: false, request_key: key, updated_at: now },
      },
      updated_at: now,
    });
    return { order, key, amount, paymentIntent, done: null };
  });

  const { order, key, amount } = planned;
  const base = { order_id: input.order_id, request_key: key, amount_minor: amount };
  if (planned.done) return { ...base, refund: planned.done, order_status: orderStatusOf(order.status), refunded_minor: order.refunded_minor ?? 0 };

  const provider = order.payment_provider as Exclude<Provider, 'free'>;
  let refund: RefundResult;
  try {
    refund =
      provider === 'stripe'
        ? await deps.stripe().refund({
            orderId: input.order_id,
            paymentIntentId: planned.paymentIntent,
            amountMinor: amount,
            currency: order.currency,
            idempotencyKey: `${input.order_id}:refund:${key}`,
          })
        : await deps.airwallex().refund({
            orderId: input.order_id,
            paymentIntentId: planned.paymentIntent,
            amountMinor: amount,
            currency: order.currency,
            // request_id is at most 64 characters.
            requestId: `${input.order_id}-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`,
          });
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    logger.warn('refund request failed', { order_id: input.order_id, provider, error: err.message });
    // The request stays recorded as "requested": the same call again retries it with the same idempotency key.
    throw err.rejected
      ? new HttpsError('failed-precondition', `the payment provider refused the refund (${provider})`)
      : new HttpsError('unavailable', `the payment provider (${provider}) is not reachable; please try again`);
  }

  const out = await runTx(db, (tx) =>
    applyOrderFacts(
      tx,
      db,
      input.order_id,
      [
        {
          kind: 'refund',
          provider,
          entryId: `req:${key}`,
          amountMinor: amount,
          status: 'submitted',
          cumulative: false,
          requestKey: key,
          countable: false,
          payment: { paymentObjectId: planned.paymentIntent, currency: order.currency },
        },
        {
          kind: 'refund',
          provider,
          entryId: refund.id,
          amountMinor: refund.amountMinor,
          status: refund.status,
          cumulative: false,
          requestKey: key,
          // A Stripe refund is counted through its charge's running total (charge.refunded).
          countable: provider === 'airwallex',
          payment: { paymentObjectId: planned.paymentIntent, currency: order.currency },
        },
      ],
      deps.now(),
    ),
  );
  logger.info('refund requested', { order_id: input.order_id, provider, amount_minor: amount, refund_status: refund.status });
  return { ...base, refund: { id: refund.id, status: refund.status }, order_status: orderStatusOf(out.after), refunded_minor: out.order?.refunded_minor ?? 0 };
};
