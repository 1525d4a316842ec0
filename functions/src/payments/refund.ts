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
import { logger } from 'firebase-functions/logger';
import { orderStatusOf, type OrderDoc, type refundOrder as refundOrderContract } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { txSet, runTx } from '../core/firestore.js';
import type { PaymentDeps } from './deps.js';
import { isPaid, orderRef } from '../shared/orders.js';
import { ProviderError, type RefundResult } from './providers.js';
import type { OrderFact, Provider } from './fold.js';
import { applyOrderFacts } from './state.js';

type RefundInput = Parameters<CallableHandler<typeof refundOrderContract, PaymentDeps>>[0];

/** The refund this call is about: the order as read, its key, amount and payment, and the provider's refund if one was made. */
interface Planned {
  order: OrderDoc;
  key: string;
  amount: number;
  paymentIntent: string;
  done: { id: string; status: string } | null;
}

/** What may still be refunded: paid, less confirmed refunds, less our requests the provider has not confirmed yet. */
function refundable(order: OrderDoc): { paymentIntent: string; available: number } {
  if (!isPaid(order) || !order.payment_provider || !['stripe', 'airwallex'].includes(order.payment_provider)) {
    throw new HttpsError('failed-precondition', `order is ${order.status ?? 'not paid'}: nothing to refund through a provider`);
  }
  const paymentIntent = order.payment_intent_id ?? (order.payment_provider === 'airwallex' ? order.payment_id : null);
  if (!paymentIntent) throw new HttpsError('failed-precondition', 'the order has no provider payment to refund');
  const refunded = order.refunded_minor ?? 0;
  const requested = Object.entries(order.refunds ?? {})
    .filter(([id, r]) => id.startsWith('req:') && r.status !== 'failed')
    .reduce((s, [, r]) => s + r.amount_minor, 0);
  return { paymentIntent, available: (order.paid_minor ?? order.total_minor) - refunded - Math.max(0, requested - refunded) };
}

/** Step 1, one transaction: the request recorded on the order under its key — or the same request found again. */
function reserveRefund(deps: PaymentDeps, input: RefundInput): Promise<Planned> {
  const ref = orderRef(deps.db, input.order_id);
  return runTx(deps.db, async (tx) => {
    const order = (await tx.get(ref)).data();
    if (!order) throw new HttpsError('not-found', 'no such order');
    const { paymentIntent, available } = refundable(order);
    const refunds = order.refunds ?? {};
    // Without a request_id the same amount (or "all") again is the same request: never refund twice by accident.
    const key = input.request_id ?? `auto-${input.amount_minor ?? 'all'}`;
    const entryId = `req:${key}`;
    const existing = refunds[entryId];
    if (existing) {
      // The same request again: return the provider's refund, or retry the call if it never got one.
      const made = Object.entries(refunds).find(([id, r]) => id !== entryId && r.request_key === key);
      return { order, key, amount: existing.amount_minor, paymentIntent, done: made ? { id: made[0], status: made[1].status } : null };
    }
    const amount = input.amount_minor ?? available;
    if (amount <= 0 || amount > available) {
      throw new HttpsError('failed-precondition', `refundable now: ${Math.max(0, available)} minor units, asked ${amount}`);
    }
    const now = Timestamp.fromDate(deps.now());
    const entry = { provider: order.payment_provider as string, amount_minor: amount, status: 'requested', counts: false, request_key: key, updated_at: now };
    txSet(tx, ref, { ...order, refunds: { ...refunds, [entryId]: entry }, updated_at: now });
    return { order, key, amount, paymentIntent, done: null };
  });
}

/** Step 2: the provider asked, under an idempotency key made from the request's (a retry never refunds twice). */
async function askProvider(deps: PaymentDeps, orderId: string, provider: Exclude<Provider, 'free'>, p: Planned): Promise<RefundResult> {
  const asked = { orderId, paymentIntentId: p.paymentIntent, amountMinor: p.amount, currency: p.order.currency };
  try {
    return provider === 'stripe'
      ? await deps.stripe().refund({ ...asked, idempotencyKey: `${orderId}:refund:${p.key}` })
      : // request_id is at most 64 characters.
        await deps.airwallex().refund({ ...asked, requestId: `${orderId}-${createHash('sha256').update(p.key).digest('hex').slice(0, 40)}` });
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    logger.warn('refund request failed', { order_id: orderId, provider, error: err.message });
    // The request stays recorded as "requested": the same call again retries it with the same idempotency key.
    throw err.rejected
      ? new HttpsError('failed-precondition', `the payment provider refused the refund (${provider})`)
      : new HttpsError('unavailable', `the payment provider (${provider}) is not reachable; please try again`);
  }
}

/** Step 3: the request submitted and the provider's refund, as facts of the order through the one fold. */
function recordRefund(deps: PaymentDeps, orderId: string, provider: Exclude<Provider, 'free'>, p: Planned, refund: RefundResult) {
  const payment = { paymentObjectId: p.paymentIntent, currency: p.order.currency };
  const facts: OrderFact[] = [
    {
      kind: 'refund',
      provider,
      entryId: `req:${p.key}`,
      amountMinor: p.amount,
      status: 'submitted',
      cumulative: false,
      requestKey: p.key,
      countable: false,
      payment,
    },
    {
      kind: 'refund',
      provider,
      entryId: refund.id,
      amountMinor: refund.amountMinor,
      status: refund.status,
      cumulative: false,
      requestKey: p.key,
      // A Stripe refund is counted through its charge's running total (charge.refunded).
      countable: provider === 'airwallex',
      payment,
    },
  ];
  return runTx(deps.db, (tx) => applyOrderFacts(tx, deps.db, orderId, facts, deps.now()));
}

export const refundOrder: CallableHandler<typeof refundOrderContract, PaymentDeps> = async (input, _admin, deps) => {
  const planned = await reserveRefund(deps, input);
  const { order, key, amount } = planned;
  const base = { order_id: input.order_id, request_key: key, amount_minor: amount };
  if (planned.done) return { ...base, refund: planned.done, order_status: orderStatusOf(order.status), refunded_minor: order.refunded_minor ?? 0 };
  const provider = order.payment_provider as Exclude<Provider, 'free'>;
  const refund = await askProvider(deps, input.order_id, provider, planned);
  const out = await recordRefund(deps, input.order_id, provider, planned, refund);
  logger.info('refund requested', { order_id: input.order_id, provider, amount_minor: amount, refund_status: refund.status });
  return { ...base, refund: { id: refund.id, status: refund.status }, order_status: orderStatusOf(out.after), refunded_minor: out.order?.refunded_minor ?? 0 };
};
