/**
 * Stripe webhook: verify the Stripe-Signature over the raw body (300 s tolerance), then apply the
 * event to its order exactly once. Stripe does not deliver in order; the state machine
 * (payments/state.ts) makes the outcome the same whatever the order.
 */

import { Timestamp, type Transaction } from 'firebase-admin/firestore';
import { z } from 'zod';
import { ordersByPaymentIntent } from '@zhengrowth/model';
import { adminUids } from '../shared/admins.js';
import { notifyInbox } from '../shared/outbox.js';
import { buildQuery } from '../core/query.js';
import type { OrderFact } from '../payments/fold.js';
import { applyOrderFacts } from '../payments/state.js';
import { RetryLater, type Effect, type WebhookDeps, type WebhookRequest, type WebhookResponse } from '../core/webhook-delivery.js';
import { runPipeline, type Rejected, type WebhookPipeline } from '../core/webhook-pipeline.js';

export const STRIPE_TOLERANCE_SECONDS = 300;

const metadata = z.record(z.string(), z.string()).nullish();
const minor = z.int().nonnegative();

const checkoutSession = z.looseObject({
  id: z.string(),
  object: z.literal('checkout.session'),
  client_reference_id: z.string().nullish(),
  metadata,
  payment_intent: z.union([z.string(), z.looseObject({ id: z.string() })]).nullish(),
  payment_status: z.enum(['paid', 'unpaid', 'no_payment_required']),
  amount_total: minor.nullish(),
  currency: z.string().nullish(),
});

const paymentIntent = z.looseObject({
  id: z.string(),
  object: z.literal('payment_intent'),
  metadata,
  amount: minor,
  currency: z.string(),
  last_payment_error: z.looseObject({ code: z.string().nullish(), type: z.string().nullish() }).nullish(),
});

const charge = z.looseObject({
  id: z.string(),
  object: z.literal('charge'),
  metadata,
  amount: minor,
  amount_captured: minor.nullish(),
  amount_refunded: minor,
  currency: z.string(),
  payment_intent: z.union([z.string(), z.looseObject({ id: z.string() })]).nullish(),
});

const dispute = z.looseObject({
  id: z.string(),
  object: z.literal('dispute'),
  amount: minor,
  currency: z.string(),
  charge: z.union([z.string(), z.looseObject({ id: z.string() })]).nullish(),
  payment_intent: z.union([z.string(), z.looseObject({ id: z.string() })]).nullish(),
  reason: z.string().nullish(),
  status: z.string(),
  metadata,
});

const refund = z.looseObject({
  id: z.string(),
  object: z.literal('refund'),
  amount: minor,
  currency: z.string(),
  status: z.string().nullish(),
  failure_reason: z.string().nullish(),
  payment_intent: z.union([z.string(), z.looseObject({ id: z.string() })]).nullish(),
  charge: z.union([z.string(), z.looseObject({ id: z.string() })]).nullish(),
  metadata,
});

const envelope = { id: z.string().min(1), object: z.literal('event'), created: z.int() };
const withObject = <T extends z.ZodType>(object: T) => z.looseObject({ object });

/** The events this webhook acts on, by type; anything else is recorded and ignored. */
export const stripeEvent = z.discriminatedUnion('type', [
  z.looseObject({ ...envelope, type: z.literal('checkout.session.completed'), data: withObject(checkoutSession) }),
  z.looseObject({ ...envelope, type: z.literal('checkout.session.async_payment_succeeded'), data: withObject(checkoutSession) }),
  z.looseObject({ ...envelope, type: z.literal('checkout.session.async_payment_failed'), data: withObject(checkoutSession) }),
  z.looseObject({ ...envelope, type: z.literal('checkout.session.expired'), data: withObject(checkoutSession) }),
  z.looseObject({ ...envelope, type: z.literal('payment_intent.payment_failed'), data: withObject(paymentIntent) }),
  z.looseObject({ ...envelope, type: z.literal('charge.refunded'), data: withObject(charge) }),
  z.looseObject({ ...envelope, type: z.literal('charge.dispute.created'), data: withObject(dispute) }),
  z.looseObject({ ...envelope, type: z.literal('charge.dispute.closed'), data: withObject(dispute) }),
  z.looseObject({ ...envelope, type: z.literal('charge.refund.updated'), data: withObject(refund) }),
]);
export type StripeEvent = z.infer<typeof stripeEvent>;
export const STRIPE_EVENT_TYPES: ReadonlySet<string> = new Set(stripeEvent.options.map((o) => o.shape.type.value));

/** Any other signed event: enough to record it. */
const anyEvent = z.looseObject({ id: z.string().min(1), type: z.string().min(1) });

const idOf = (v: string | { id: string } | null | undefined): string | null => (typeof v === 'string' ? v : (v?.id ?? null));

/**
 * The order an event is about: our metadata (or client_reference_id) first, else the order that
 * recorded the PaymentIntent. Looked up before the transaction: a query inside one would lock the
 * whole range and make concurrent deliveries queue behind each other.
 */
async function resolveOrderId(event: StripeEvent, deps: WebhookDeps): Promise<string | null> {
  let meta: Record<string, string> | null | undefined;
  let pi: string | null = null;
  let reference: string | null = null;
  switch (event.type) {
    case 'payment_intent.payment_failed':
      meta = event.data.object.metadata;
      pi = event.data.object.id;
      break;
    case 'charge.refunded':
    case 'charge.dispute.created':
    case 'charge.dispute.closed':
    case 'charge.refund.updated':
      meta = event.data.object.metadata;
      pi = idOf(event.data.object.payment_intent);
      break;
    default:
      meta = event.data.object.metadata;
      reference = event.data.object.client_reference_id ?? null;
  }
  const direct = meta?.order_id ?? reference;
  if (direct) return direct;
  if (!pi) return null;
  const found = await buildQuery(deps.db, ordersByPaymentIntent, [pi]).limit(1).get();
  return found.docs[0]?.id ?? null;
}

function factsOf(event: StripeEvent): OrderFact[] {
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const s = event.data.object;
      const pi = idOf(s.payment_intent);
      if (s.payment_status === 'unpaid') return pi ? [{ kind: 'payment_intent', paymentIntentId: pi }] : [];
      return [{ kind: 'paid', provider: 'stripe', paymentObjectId: pi ?? s.id, amountMinor: s.amount_total ?? 0, currency: s.currency ?? '', sessionId: s.id }];
    }
    case 'checkout.session.async_payment_failed':
      return [{ kind: 'failed', provider: 'stripe', reason: 'async_payment_failed', paymentObjectId: idOf(event.data.object.payment_intent) }];
    case 'checkout.session.expired':
      return [{ kind: 'expired' }];
    case 'payment_intent.payment_failed': {
      const pi = event.data.object;
      return [
        { kind: 'failed', provider: 'stripe', reason: pi.last_payment_error?.code ?? pi.last_payment_error?.type ?? 'payment_failed', paymentObjectId: pi.id },
      ];
    }
    case 'charge.refunded': {
      const c = event.data.object;
      const pi = idOf(c.payment_intent) ?? c.id;
      return [
        {
          kind: 'refund',
          provider: 'stripe',
          entryId: `charge:${c.id}`,
          // The charge's running total: a late, smaller total never lowers it.
          amountMinor: c.amount_refunded,
          status: 'succeeded',
          cumulative: true,
          payment: { paymentObjectId: pi, amountMinor: c.amount_captured ?? c.amount, currency: c.currency },
        },
      ];
    }
    case 'charge.dispute.created':
    case 'charge.dispute.closed': {
      const d = event.data.object;
      const closed = event.type === 'charge.dispute.closed';
      return [{ kind: 'dispute', disputeId: d.id, status: d.status, reason: d.reason ?? null, amountMinor: d.amount, closed }];
    }
    case 'charge.refund.updated': {
      const r = event.data.object;
      const pi = idOf(r.payment_intent) ?? idOf(r.charge) ?? r.id;
      return [
        {
          kind: 'refund',
          provider: 'stripe',
          entryId: r.id,
          amountMinor: r.amount,
          status: r.status ?? 'pending',
          cumulative: false,
          // Its charge's running total is what counts (charge.refunded); this records the refund's fate.
          countable: false,
          payment: { paymentObjectId: pi, currency: r.currency },
          failureReason: r.failure_reason ?? null,
        },
      ];
    }
  }
}

/** What admins are told in their inbox: disputes opened and closed, refunds that failed. */
function adminNotice(event: StripeEvent, orderId: string): { id: string; title: string; message: string } | null {
  switch (event.type) {
    case 'charge.dispute.created':
      return {
        id: `dispute-${event.data.object.id}-opened`,
        title: 'Payment disputed',
        message: `Order ${orderId}: the buyer disputed ${event.data.object.amount} minor units (${event.data.object.reason ?? 'no reason given'}). Answer it in Stripe.`,
      };
    case 'charge.dispute.closed':
      return {
        id: `dispute-${event.data.object.id}-closed`,
        title: 'Dispute closed',
        message: `Order ${orderId}: the dispute closed as ${event.data.object.status}.`,
      };
    case 'charge.refund.updated':
      return event.data.object.status === 'failed'
        ? {
            id: `refund-failed-${event.data.object.id}`,
            title: 'Refund failed',
            message: `Order ${orderId}: refund ${event.data.object.id} failed (${event.data.object.failure_reason ?? 'no reason given'}); the buyer has not got the money back.`,
          }
        : null;
    default:
      return null;
  }
}

async function effectOf(tx: Transaction, event: StripeEvent, orderId: string | null, admins: readonly string[], deps: WebhookDeps): Promise<Effect> {
  // A refund of a charge we cannot place yet may be ours before its completion arrived: retry later.
  if (!orderId && event.type === 'charge.refunded') throw new RetryLater(`charge.refunded ${event.data.object.id}: no order found yet`);
  if (!orderId) return { outcome: 'ignored', subject: null };
  const facts = factsOf(event);
  if (facts.length === 0) return { outcome: 'ignored', subject: orderId };
  const res = await applyOrderFacts(tx, deps.db, orderId, facts, deps.now());
  if (!res.found && event.type === 'charge.refunded') throw new RetryLater(`charge.refunded: order ${orderId} not found`);
  const notice = res.found ? adminNotice(event, orderId) : null;
  if (notice) {
    const now = Timestamp.fromDate(deps.now());
    for (const uid of admins) {
      notifyInbox(
        tx,
        deps.db,
        uid,
        notice.id,
        { type: 'payment', title: notice.title, message: notice.message, action_url: null, metadata: { order_id: orderId } },
        now,
      );
    }
  }
  return { outcome: res.found ? 'applied' : 'ignored', subject: orderId };
}

/** The admins to notify (queried before the transaction). */
async function adminsFor(event: StripeEvent, deps: WebhookDeps): Promise<string[]> {
  if (!['charge.dispute.created', 'charge.dispute.closed', 'charge.refund.updated'].includes(event.type)) return [];
  return adminUids(deps.db);
}

/** Stripe signs with Stripe-Signature (checked by the SDK, 300 s tolerance), which also parses the body. */
async function verify(req: WebhookRequest, deps: WebhookDeps): Promise<{ body: unknown } | Rejected> {
  const signature = req.header('stripe-signature');
  if (!signature) return { reject: 'missing Stripe-Signature header' };
  // The SDK on first use: loading it is most of this function's cold start.
  const { default: Stripe } = await import('stripe');
  try {
    return { body: Stripe.webhooks.constructEvent(req.rawBody, signature, deps.secret, STRIPE_TOLERANCE_SECONDS, undefined, deps.now().getTime()) };
  } catch (err) {
    if (err instanceof Stripe.errors.StripeSignatureVerificationError) {
      return { reject: /tolerance/i.test(err.message) ? 'signature timestamp outside the 300 s tolerance' : 'invalid Stripe-Signature' };
    }
    if (err instanceof SyntaxError) return { reject: 'malformed JSON' };
    throw err;
  }
}

export const stripeWebhook: WebhookPipeline<StripeEvent> = {
  provider: 'stripe',
  secretName: 'STRIPE_WEBHOOK_SECRET',
  verify,
  envelope: (body) => {
    const head = anyEvent.safeParse(body);
    return head.success ? { id: head.data.id, type: head.data.type } : null;
  },
  notAnEvent: 'not a Stripe event',
  handled: STRIPE_EVENT_TYPES,
  events: stripeEvent,
  route: async (event, deps) => {
    const [orderId, admins] = await Promise.all([resolveOrderId(event, deps), adminsFor(event, deps)]);
    return (tx) => effectOf(tx, event, orderId, admins, deps);
  },
};

export const handleStripeWebhook = (req: WebhookRequest, deps: WebhookDeps): Promise<WebhookResponse> => runPipeline(stripeWebhook, req, deps);
