/**
 * The one frame every provider's webhook runs through, in this order: verify the signature over
 * the raw bytes and read the body → the envelope every delivery of the provider has (its id and
 * event type) → an event type the webhook does not act on is recorded as ignored → the handled
 * types as a discriminated union → route to the effect → the effect applied exactly once under the
 * delivery's id (applyOnce). A provider file says only what is its own: how it signs, its envelope,
 * its union and its effects. Every rejection is a 400 that changed nothing.
 */
import type { Transaction } from 'firebase-admin/firestore';
import type { z } from 'zod';
import {
  accepted,
  applyOnce,
  reject,
  type Effect,
  type WebhookDeps,
  type WebhookProvider,
  type WebhookRequest,
  type WebhookResponse,
} from './webhook-delivery.js';

/** A rejection (400, nothing written), with the reason the provider's dashboard shows. */
export interface Rejected {
  reject: string;
}
const isRejected = (v: object): v is Rejected => 'reject' in v;

export interface Envelope {
  /** The delivery's id in the ledger (the provider's event id, or one derived from the delivery). */
  id: string;
  type: string;
  /** What an ignored delivery was about, for its record. */
  subject?: string | null;
}

export interface WebhookPipeline<E> {
  provider: WebhookProvider;
  /** The secret's param name, for the error when it is not configured. */
  secretName: string;
  /** The signature over the raw bytes, then the body (parsed JSON), or why the delivery is refused. */
  verify(req: WebhookRequest, deps: WebhookDeps): Promise<{ body: unknown } | Rejected>;
  /** The envelope of any delivery; null when the body is not this provider's event. */
  envelope(body: unknown, req: WebhookRequest): Envelope | null;
  /** What `envelope` refuses is answered with this (e.g. "not a Stripe event"). */
  notAnEvent: string;
  /** The event types the webhook acts on; any other is recorded as ignored. */
  handled: ReadonlySet<string>;
  events: z.ZodType<E>;
  /** Lookups outside the transaction (a query in one would lock a range), then the effect to apply once. */
  route(event: E, deps: WebhookDeps, envelope: Envelope): Promise<((tx: Transaction) => Promise<Effect>) | Rejected>;
}

/** JSON of the raw body, or the rejection every provider gives for malformed JSON. */
export function jsonBody(raw: Buffer, parse: (text: string) => unknown = JSON.parse): { body: unknown } | Rejected {
  try {
    return { body: parse(raw.toString('utf8')) };
  } catch {
    return { reject: 'malformed JSON' };
  }
}

export async function runPipeline<E>(p: WebhookPipeline<E>, req: WebhookRequest, deps: WebhookDeps): Promise<WebhookResponse> {
  if (!deps.secret) throw new Error(`${p.secretName} is not configured`);
  const verified = await p.verify(req, deps);
  if (isRejected(verified)) return reject(verified.reject);
  const head = p.envelope(verified.body, req);
  if (!head) return reject(p.notAnEvent);
  if (!p.handled.has(head.type)) {
    const ignored = (): Promise<Effect> => Promise.resolve({ outcome: 'ignored', subject: head.subject ?? null });
    return accepted(await applyOnce(deps, p.provider, head.id, head.type, ignored), head.type);
  }
  const parsed = p.events.safeParse(verified.body);
  if (!parsed.success) return reject(`unexpected ${head.type} payload: ${parsed.error.issues[0]?.path.join('.') ?? ''}`);
  const effect = await p.route(parsed.data, deps, head);
  if (isRejected(effect)) return reject(effect.reject);
  return accepted(await applyOnce(deps, p.provider, head.id, head.type, effect), head.type);
}
