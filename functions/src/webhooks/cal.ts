/**
 * Cal.com webhook: `X-Cal-Signature-256` is the hex HMAC-SHA256 of the raw body under the webhook
 * secret. Cal.com sends no event id: a delivery is known by its trigger, booking uid and createdAt.
 *
 * Each delivery upserts the booking in `cal_bookings`, links it to a user by attendee email and to
 * a paid `bookings` row by the booking_token in its metadata or responses, keeps the client's
 * coaching session in step, and leaves a notice in the client's inbox. The events and their union
 * are in cal-events.ts, the pure fold (status order, newest data wins, reschedules) in
 * cal-fold.ts, its reads and writes in cal-effects.ts.
 */
import { createHash } from 'node:crypto';
import type { Transaction } from 'firebase-admin/firestore';
import type { z } from 'zod';
import { hmacSha256Hex, signatureMatches, type Effect, type WebhookDeps, type WebhookRequest, type WebhookResponse } from '../core/webhook-delivery.js';
import { jsonBody, runPipeline, type Envelope, type Rejected, type WebhookPipeline } from '../core/webhook-pipeline.js';
import { lookUpCredits } from '../entitlements/credits.js';
import { applyBookingEvent, applyNoShow, lookUp } from './cal-effects.js';
import { anyEvent, bookingToken, CAL_TRIGGERS, calEvent, calEventId, type CalEvent } from './cal-events.js';

export { calEventId };

/** X-Cal-Signature-256: the hex HMAC-SHA256 of the raw body under the webhook secret. */
function verify(req: WebhookRequest, deps: WebhookDeps): Promise<{ body: unknown } | Rejected> {
  const signature = req.header('x-cal-signature-256');
  if (!signature) return Promise.resolve({ reject: 'missing X-Cal-Signature-256 header' });
  if (!signatureMatches(hmacSha256Hex(deps.secret, req.rawBody), signature)) return Promise.resolve({ reject: 'invalid X-Cal-Signature-256' });
  return Promise.resolve(jsonBody(req.rawBody));
}

/** Cal.com sends no event id: the delivery's is derived from its trigger, booking uid (or the body) and createdAt. */
function calEnvelope(body: unknown, req: WebhookRequest): Envelope | null {
  const head = anyEvent.safeParse(body);
  if (!head.success) return null;
  const payload = head.data.payload as { uid?: unknown; bookingUid?: unknown } | undefined;
  const uid = typeof payload?.uid === 'string' ? payload.uid : typeof payload?.bookingUid === 'string' ? payload.bookingUid : '';
  const trigger = head.data.triggerEvent;
  return {
    id: calEventId(trigger, uid || createHash('sha256').update(req.rawBody).digest('hex'), head.data.createdAt ?? ''),
    type: trigger,
    subject: uid || null,
  };
}

/** The booking's documents and credits, looked up before the transaction; then the event's effect. */
async function route(parsed: z.infer<typeof calEvent>, deps: WebhookDeps, head: Envelope): Promise<(tx: Transaction) => Promise<Effect>> {
  const event = parsed as CalEvent;
  const uid = head.subject ?? '';
  if (event.triggerEvent === 'BOOKING_NO_SHOW_UPDATED') {
    const found = await lookUp(deps, { uid, calId: event.payload.bookingId }, null, event.payload.attendees[0]?.email, null, undefined);
    return (tx) => applyNoShow(tx, event, found, deps);
  }
  const p = event.payload;
  const found = await lookUp(
    deps,
    { uid, calId: p.bookingId ?? p.id },
    p.rescheduleUid && p.rescheduleUid !== uid ? { uid: p.rescheduleUid, calId: p.rescheduleId } : null,
    p.attendees[0]?.email,
    bookingToken(p),
    p.organizer?.email,
  );
  found.credits = await lookUpCredits(deps.db, p.eventTypeId, found.userId, p.organizer?.email);
  return (tx) => applyBookingEvent(tx, event, head.id, found, deps);
}

export const calWebhook: WebhookPipeline<z.infer<typeof calEvent>> = {
  provider: 'cal',
  secretName: 'CAL_WEBHOOK_SECRET',
  verify,
  envelope: calEnvelope,
  notAnEvent: 'not a Cal.com webhook payload',
  handled: CAL_TRIGGERS,
  events: calEvent,
  route,
};

export const handleCalWebhook = (req: WebhookRequest, deps: WebhookDeps): Promise<WebhookResponse> => runPipeline(calWebhook, req, deps);
