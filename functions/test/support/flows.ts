/** Helpers of the end-to-end flows: callables through runCallable, webhooks signed as the providers sign them. */
import { randomBytes } from 'node:crypto';
import type { Firestore } from 'firebase-admin/firestore';
import { emailQueue, inbox, type CallableContract, type CallableOutput } from '@zhengrowth/model';
import { runCallable, type CallableHandler } from '../../src/core/callable.js';
import type { Deps } from '../../src/core/deps.js';
import { runWebhook, type WebhookResponse } from '../../src/core/webhook-delivery.js';
import { handleCalWebhook } from '../../src/webhooks/cal.js';
import { handleStripeWebhook } from '../../src/webhooks/stripe.js';
import { asAuthData, TEST_SECRETS, type Auth, type TestEnv } from './env.js';
import { calSignature, stripeSignature } from './signing.js';

/** A callable as the runtime runs it (input validation and output check included). */
export function call<C extends CallableContract, D extends Deps>(
  contract: C,
  handler: CallableHandler<C, D>,
  deps: D,
  auth: Auth | null,
  data: unknown,
): Promise<CallableOutput<C>> {
  return runCallable(contract, handler, { data, auth: asAuthData(auth) }, deps);
}

export async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected a refusal');
}

export function stripeEvent(type: string, object: Record<string, unknown>, id = `evt_${randomBytes(6).toString('hex')}`): string {
  return JSON.stringify({ id, object: 'event', api_version: '2026-10-28.endive', created: Math.floor(Date.now() / 1000), type, data: { object } });
}

export function deliverStripe(env: TestEnv, body: string): Promise<WebhookResponse> {
  const signature = stripeSignature(body, TEST_SECRETS.stripe);
  return runWebhook(
    'stripeWebhook',
    handleStripeWebhook,
    { rawBody: Buffer.from(body), header: (h) => (h.toLowerCase() === 'stripe-signature' ? signature : undefined) },
    env.webhookDeps(TEST_SECRETS.stripe),
  );
}

/** checkout.session.completed of an order as Stripe sends it (paid). */
export function sessionCompleted(
  order: { order_id: string; total_minor: number; currency: string; stripe?: { session_id: string } | undefined },
  id?: string,
): string {
  return stripeEvent(
    'checkout.session.completed',
    {
      id: order.stripe?.session_id ?? `cs_${order.order_id}`,
      object: 'checkout.session',
      client_reference_id: order.order_id,
      metadata: { order_id: order.order_id },
      payment_intent: `pi_${order.order_id}`,
      payment_status: 'paid',
      amount_total: order.total_minor,
      currency: order.currency.toLowerCase(),
    },
    id,
  );
}

/** charge.refunded with the charge's running refund total. */
export function chargeRefunded(order: { order_id: string; total_minor: number; currency: string }, refunded: number): string {
  return stripeEvent('charge.refunded', {
    id: `ch_${order.order_id}`,
    object: 'charge',
    metadata: { order_id: order.order_id },
    amount: order.total_minor,
    amount_captured: order.total_minor,
    amount_refunded: refunded,
    currency: order.currency.toLowerCase(),
    payment_intent: `pi_${order.order_id}`,
  });
}

export function deliverCal(env: TestEnv, trigger: string, payload: Record<string, unknown>, createdAt = new Date().toISOString()): Promise<WebhookResponse> {
  const body = JSON.stringify({ triggerEvent: trigger, createdAt, payload });
  const signature = calSignature(body, TEST_SECRETS.cal);
  return runWebhook(
    'calWebhook',
    handleCalWebhook,
    { rawBody: Buffer.from(body), header: (h) => (h.toLowerCase() === 'x-cal-signature-256' ? signature : undefined) },
    env.webhookDeps(TEST_SECRETS.cal),
  );
}

/** A Cal.com booking payload of `email` for an event type, starting in `days`. */
export function calBooking(o: { uid: string; email: string; name?: string; eventTypeId: number; organizer?: string; days?: number; bookingId?: number }) {
  const start = new Date(Date.now() + (o.days ?? 7) * 86_400_000);
  return {
    uid: o.uid,
    bookingId: o.bookingId ?? Math.floor(Math.random() * 1e9),
    startTime: start.toISOString(),
    endTime: new Date(start.getTime() + 3_600_000).toISOString(),
    attendees: [{ email: o.email, name: o.name ?? 'Client' }],
    organizer: { email: o.organizer ?? 'coach@zhengrowth.test', name: 'Coach' },
    eventTypeId: o.eventTypeId,
    title: 'Coaching 60',
    status: 'ACCEPTED',
  };
}

export async function queuedEmails(
  db: Firestore,
  to: string,
): Promise<Array<{ id: string; template: string | null; variables: unknown; text: string | null }>> {
  const snap = await db.collection(emailQueue.collectionPath({})).withConverter(emailQueue.converter).get();
  return snap.docs
    .filter((d) => d.data().to_email === to)
    .map((d) => ({ id: d.id, template: d.data().template_slug, variables: d.data().variables, text: d.data().body_text }));
}

export async function inboxOf(db: Firestore, uid: string): Promise<Array<{ id: string; title: string | null; message: string }>> {
  const snap = await db.collection(inbox.collectionPath({ uid })).withConverter(inbox.converter).get();
  return snap.docs.map((d) => ({ id: d.id, title: d.data().title, message: d.data().message }));
}
