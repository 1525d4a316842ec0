/**
 * Airwallex webhook: `x-signature` is the hex HMAC-SHA256 of `x-timestamp` (milliseconds) followed
 * by the raw body, under the webhook secret; deliveries older or newer than the freshness window are
 * refused. Amounts are major units (16.66 USD): the body is parsed with numbers kept as their text
 * and converted by the currency's exponent, never through a float. Statuses are upper case.
 */
import type { Transaction } from 'firebase-admin/firestore';
import { z } from 'zod';
import { MoneyError, ordersByPaymentId, toMinorUnits } from '@zhengrowth/model';
import { buildQuery } from '../core/query.js';
import { parseJsonNumbersAsText } from '../payments/json-exact.js';
import type { OrderFact } from '../payments/fold.js';
import { applyOrderFacts } from '../payments/state.js';
import { hmacSha256Hex, signatureMatches, type Effect, type WebhookDeps, type WebhookRequest, type WebhookResponse } from '../core/webhook-delivery.js';
import { jsonBody, runPipeline, type Rejected, type WebhookPipeline } from '../core/webhook-pipeline.js';

/** How far x-timestamp may be from our clock. */
export const AIRWALLEX_FRESHNESS_MS = 5 * 60_000;

/** Numbers arrive as their decimal text (see parseJsonNumbersAsText). */
const decimalText = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal amount');
const metadata = z.record(z.string(), z.unknown()).nullish();

const intent = z.looseObject({
  id: z.string().min(1),
  amount: decimalText,
  currency: z.string().regex(/^[A-Za-z]{3}$/),
  status: z.string(),
  merchant_order_id: z.string().nullish(),
  metadata,
});

const refund = z.looseObject({
  id: z.string().min(1),
  payment_intent_id: z.string().min(1),
  amount: decimalText,
  currency: z.string().regex(/^[A-Za-z]{3}$/),
  status: z.string(),
  metadata,
});

const envelope = { id: z.string().min(1) };
const dataOf = <T extends z.ZodType>(object: T) => z.looseObject({ object });

export const airwallexEvent = z.discriminatedUnion('name', [
  z.looseObject({ ...envelope, name: z.literal('payment_intent.succeeded'), data: dataOf(intent) }),
  z.looseObject({ ...envelope, name: z.literal('payment_intent.cancelled'), data: dataOf(intent) }),
  z.looseObject({ ...envelope, name: z.literal('refund.received'), data: dataOf(refund) }),
  z.looseObject({ ...envelope, name: z.literal('refund.accepted'), data: dataOf(refund) }),
  z.looseObject({ ...envelope, name: z.literal('refund.settled'), data: dataOf(refund) }),
  z.looseObject({ ...envelope, name: z.literal('refund.failed'), data: dataOf(refund) }),
]);
export type AirwallexEvent = z.infer<typeof airwallexEvent>;
export const AIRWALLEX_EVENT_TYPES: ReadonlySet<string> = new Set(airwallexEvent.options.map((o) => o.shape.name.value));
const anyEvent = z.looseObject({ id: z.string().min(1), name: z.string().min(1) });

const orderIdIn = (meta: Record<string, unknown> | null | undefined): string | null => (typeof meta?.order_id === 'string' ? meta.order_id : null);

function factsOf(event: AirwallexEvent): OrderFact[] {
  if (event.name === 'payment_intent.succeeded' || event.name === 'payment_intent.cancelled') {
    const pi = event.data.object;
    if (event.name === 'payment_intent.cancelled') return [{ kind: 'failed', provider: 'airwallex', reason: 'cancelled', paymentObjectId: pi.id }];
    return [{ kind: 'paid', provider: 'airwallex', paymentObjectId: pi.id, amountMinor: toMinorUnits(pi.amount, pi.currency), currency: pi.currency }];
  }
  const r = event.data.object;
  return [
    {
      kind: 'refund',
      provider: 'airwallex',
      entryId: r.id,
      amountMinor: toMinorUnits(r.amount, r.currency),
      status: r.status.toLowerCase(),
      cumulative: false,
      payment: { paymentObjectId: r.payment_intent_id, currency: r.currency },
    },
  ];
}

/** The order: our metadata or merchant_order_id, else the order that stored the intent id (looked up outside the transaction). */
async function resolveOrderId(event: AirwallexEvent, deps: WebhookDeps): Promise<string | null> {
  const isIntent = event.name === 'payment_intent.succeeded' || event.name === 'payment_intent.cancelled';
  const intentId = isIntent ? event.data.object.id : event.data.object.payment_intent_id;
  const direct = orderIdIn(event.data.object.metadata) ?? (isIntent ? (event.data.object.merchant_order_id ?? null) : null);
  if (direct) return direct;
  // Checkout stored the intent id on the order before the buyer could pay.
  const found = await buildQuery(deps.db, ordersByPaymentId, [intentId]).limit(1).get();
  return found.docs[0]?.id ?? null;
}

async function effectOf(tx: Transaction, orderId: string | null, facts: OrderFact[], deps: WebhookDeps): Promise<Effect> {
  if (!orderId) return { outcome: 'ignored', subject: null };
  const res = await applyOrderFacts(tx, deps.db, orderId, facts, deps.now());
  return { outcome: res.found ? 'applied' : 'ignored', subject: orderId };
}

/** x-signature over x-timestamp and the raw body, a fresh timestamp, then the body with amounts as their text. */
function verify(req: WebhookRequest, deps: WebhookDeps): Promise<{ body: unknown } | Rejected> {
  const timestamp = req.header('x-timestamp');
  const signature = req.header('x-signature');
  const refuse = (reason: string) => Promise.resolve({ reject: reason });
  if (!timestamp || !signature) return refuse('missing x-timestamp or x-signature header');
  if (!/^\d{1,16}$/.test(timestamp)) return refuse('x-timestamp is not a time in milliseconds');
  if (!signatureMatches(hmacSha256Hex(deps.secret, timestamp, req.rawBody), signature)) return refuse('invalid x-signature');
  if (Math.abs(deps.now().getTime() - Number(timestamp)) > AIRWALLEX_FRESHNESS_MS) return refuse('x-timestamp outside the freshness window');
  return Promise.resolve(jsonBody(req.rawBody, parseJsonNumbersAsText));
}

export const airwallexWebhook: WebhookPipeline<AirwallexEvent> = {
  provider: 'airwallex',
  secretName: 'AIRWALLEX_WEBHOOK_SECRET',
  verify,
  envelope: (body) => {
    const head = anyEvent.safeParse(body);
    return head.success ? { id: head.data.id, type: head.data.name } : null;
  },
  notAnEvent: 'not an Airwallex event',
  handled: AIRWALLEX_EVENT_TYPES,
  events: airwallexEvent,
  route: async (event, deps) => {
    let facts: OrderFact[];
    try {
      facts = factsOf(event);
    } catch (err) {
      if (err instanceof MoneyError) return { reject: `unexpected ${event.name} amount: ${err.message}` };
      throw err;
    }
    const orderId = await resolveOrderId(event, deps);
    return (tx) => effectOf(tx, orderId, facts, deps);
  },
};

export const handleAirwallexWebhook = (req: WebhookRequest, deps: WebhookDeps): Promise<WebhookResponse> => runPipeline(airwallexWebhook, req, deps);
