/**
 * The order state machine. Payment providers report facts (paid, failed, expired, refunded so far);
 * the order accumulates them and its status is computed from what it holds, so the status can only
 * move forward whatever order the facts arrive in:
 *
 *   pending(0) → failed | expired (1) → paid(2) → partially_refunded(3) → refunded(4)
 *
 * - `paid_at` is set once and never cleared; `refunded_minor` never decreases.
 * - failed and expired are the same rank: the first one wins; neither applies once paid.
 * - A payment after failure or expiry still counts (the money was taken): the order becomes paid
 *   and takes its seats back if there is room, else it is flagged for an admin (`attention`).
 * - A refund implies a payment: a refund that arrives before the completion records the payment too.
 *
 * This file is the pure half: facts in, the order's new state out. state.ts applies it in a
 * transaction, and order-effects.ts writes what the new state calls for.
 */
import type { Timestamp } from 'firebase-admin/firestore';
import type { OrderDoc, OrderStatus } from '@zhengrowth/model';
import { isPaid } from '../shared/orders.js';

export type Provider = 'stripe' | 'airwallex' | 'free';

export type OrderFact =
  /** The provider took the money (paymentObjectId: Stripe PaymentIntent or Airwallex intent id). */
  | { kind: 'paid'; provider: Provider; paymentObjectId: string; amountMinor: number; currency: string; sessionId?: string | null }
  /** Checkout finished but the money is not there yet (Stripe async methods): remember the PaymentIntent. */
  | { kind: 'payment_intent'; paymentIntentId: string }
  | { kind: 'failed'; provider: Provider; reason: string; paymentObjectId?: string | null }
  | { kind: 'expired' }
  /**
   * A refund. `cumulative`: the amount is the running total of one charge (Stripe charge.refunded),
   * else one refund's own amount (Airwallex). `payment` describes the payment it implies.
   */
  | {
      kind: 'refund';
      provider: Provider;
      entryId: string;
      amountMinor: number;
      status: string;
      cumulative: boolean;
      requestKey?: string | null;
      /** false for a record that must never count (a Stripe refund object: its charge's total counts). */
      countable?: boolean;
      payment: { paymentObjectId: string; amountMinor?: number | null; currency: string };
      /** Why the provider could not make it (a failed refund). */
      failureReason?: string | null;
    }
  /** A chargeback (Stripe dispute) opened or closed: recorded and flagged; money state is left as it is. */
  | { kind: 'dispute'; disputeId: string; status: string; reason: string | null; amountMinor: number; closed: boolean };

const STATUS_RANK: Record<OrderStatus, number> = { pending: 0, failed: 1, expired: 1, paid: 2, partially_refunded: 3, refunded: 4 };

/** Refund entry statuses in order; a later status never gives way to an earlier one (failed and settled are final). */
const REFUND_RANK: Record<string, number> = {
  requested: 0,
  submitted: 1,
  pending: 1,
  received: 1,
  accepted: 2,
  succeeded: 2,
  settled: 3,
  failed: 3,
  canceled: 3,
  cancelled: 3,
};
const COUNTING_REFUND = new Set(['accepted', 'succeeded', 'settled']);

export function refundCounts(status: string): boolean {
  return COUNTING_REFUND.has(status);
}

export function statusOf(o: OrderDoc): OrderStatus {
  if (isPaid(o)) {
    const paid = o.paid_minor ?? o.total_minor;
    const refunded = o.refunded_minor ?? 0;
    if (refunded > 0 && refunded >= paid) return 'refunded';
    if (refunded > 0) return 'partially_refunded';
    return 'paid';
  }
  if (o.expired_at) return 'expired';
  if (o.failed_at) return 'failed';
  return 'pending';
}

export function statusRank(s: string | null): number {
  return s !== null && s in STATUS_RANK ? STATUS_RANK[s as OrderStatus] : 0;
}

export function attention(o: OrderDoc, note: string): string {
  return o.attention ? (o.attention.includes(note) ? o.attention : `${o.attention}; ${note}`) : note;
}

type PaymentOf = { provider: Provider; paymentObjectId: string; amountMinor?: number | null; currency: string };

/** The payment itself, once: a second report (or a refund that implies it) changes nothing. */
function markPaid(o: OrderDoc, p: PaymentOf, now: Timestamp): void {
  if (isPaid(o)) return;
  o.paid_at = now;
  o.paid_minor = p.amountMinor ?? o.total_minor;
  o.payment_provider = o.payment_provider ?? p.provider;
  if (p.provider === 'stripe') o.payment_intent_id = p.paymentObjectId;
  if (p.currency.toUpperCase() !== o.currency || (p.amountMinor !== null && p.amountMinor !== undefined && p.amountMinor !== o.total_minor)) {
    o.attention = attention(o, `paid ${p.amountMinor ?? '?'} ${p.currency.toUpperCase()} for a total of ${o.total_minor} ${o.currency}`);
  }
}

/** One refund entry: its status only moves forward, its amount only grows, and once counted it stays counted. */
function foldRefund(o: OrderDoc, f: Extract<OrderFact, { kind: 'refund' }>, now: Timestamp): void {
  markPaid(o, { provider: f.provider, ...f.payment }, now);
  const refunds = o.refunds ?? {};
  const prev = refunds[f.entryId];
  const status = f.status.toLowerCase();
  const counts = f.countable !== false && refundCounts(status);
  if (!prev) {
    refunds[f.entryId] = { provider: f.provider, amount_minor: f.amountMinor, status, counts, request_key: f.requestKey ?? null, updated_at: now };
  } else {
    const moveStatus = (REFUND_RANK[status] ?? 0) > (REFUND_RANK[prev.status] ?? 0);
    const amount = f.cumulative ? Math.max(prev.amount_minor, f.amountMinor) : prev.amount_minor;
    // Once counted, a refund stays counted (refunded_minor never decreases): a failure after
    // acceptance is flagged for a person instead.
    if (moveStatus && prev.counts && !counts) o.attention = attention(o, `refund ${f.entryId} ${status} after it was accepted`);
    refunds[f.entryId] = {
      ...prev,
      amount_minor: amount,
      status: moveStatus ? status : prev.status,
      counts: prev.counts || (moveStatus && counts),
      request_key: prev.request_key ?? f.requestKey ?? null,
      updated_at: now,
    };
  }
  o.refunds = refunds;
  const failedNow = status === 'failed' && (!prev || prev.status !== 'failed');
  if (failedNow) o.attention = attention(o, `refund ${f.entryId} failed${f.failureReason ? ` (${f.failureReason})` : ''}: the money did not go back`);
}

/** A chargeback: recorded and flagged; closed stays closed (a late "created" never reopens it). */
function foldDispute(o: OrderDoc, f: Extract<OrderFact, { kind: 'dispute' }>, now: Timestamp): void {
  const disputes = { ...(o.disputes ?? {}) };
  const prev = disputes[f.disputeId];
  const closedAt = prev?.closed_at ?? (f.closed ? now : null);
  disputes[f.disputeId] = {
    status: prev?.closed_at ? prev.status : f.status,
    reason: f.reason ?? prev?.reason ?? null,
    amount_minor: f.amountMinor,
    opened_at: prev?.opened_at ?? now,
    closed_at: closedAt,
  };
  o.disputes = disputes;
  o.disputed = Object.values(disputes).some((d) => d.closed_at === null);
  o.attention = attention(
    o,
    closedAt
      ? `dispute ${f.disputeId} closed: ${disputes[f.disputeId]?.status ?? f.status}`
      : `dispute ${f.disputeId} opened (${f.reason ?? 'no reason given'})`,
  );
}

/** Fold facts into a copy of the order. Pure: the transaction may run it more than once. */
export function foldFacts(before: OrderDoc, facts: readonly OrderFact[], now: Timestamp): OrderDoc {
  const o: OrderDoc = { ...before, refunds: { ...(before.refunds ?? {}) } };
  for (const f of facts) {
    switch (f.kind) {
      case 'paid':
        markPaid(o, f, now);
        if (f.provider === 'stripe') o.payment_intent_id = f.paymentObjectId;
        break;
      case 'payment_intent':
        o.payment_intent_id = o.payment_intent_id ?? f.paymentIntentId;
        break;
      case 'failed':
        if (!isPaid(o) && !o.failed_at && !o.expired_at) o.failed_at = now;
        break;
      case 'expired':
        if (!isPaid(o) && !o.failed_at && !o.expired_at) o.expired_at = now;
        break;
      case 'refund':
        foldRefund(o, f, now);
        break;
      case 'dispute':
        foldDispute(o, f, now);
        break;
    }
  }
  const counted = Object.values(o.refunds ?? {})
    .filter((r) => r.counts)
    .reduce((sum, r) => sum + r.amount_minor, 0);
  o.refunded_minor = Math.max(before.refunded_minor ?? 0, counted);
  const next = statusOf(o);
  // Never backwards, even for a migrated order whose stored status says more than its facts.
  o.status = statusRank(next) >= statusRank(before.status) ? next : before.status;
  return o;
}

/** What registrations and the paid booking show for an order status. */
export function registrationStatus(status: string | null, capacity: OrderDoc['capacity_state']): { status: string; payment_status: string } {
  switch (status) {
    case 'paid':
    case 'partially_refunded':
      return { status: capacity === 'unavailable' ? 'waitlisted' : 'registered', payment_status: status };
    case 'refunded':
      return { status: 'cancelled', payment_status: 'refunded' };
    case 'failed':
    case 'expired':
      return { status: 'cancelled', payment_status: status };
    default:
      return { status: 'reserved', payment_status: 'pending' };
  }
}

export function bookingStatus(status: string | null): string {
  return status === 'partially_refunded' ? 'paid' : (status ?? 'pending');
}
