/**
 * Sending one message to a set of subscriptions: each in turn through the gateway; a subscription
 * the push service calls gone (404, 410) is deleted; a success sets its last_used_at; any other
 * failure is tried once more after a short pause, then counted as failed (and logged, without the
 * endpoint: it is a capability URL).
 */
import { createHash } from 'node:crypto';
import { Timestamp, type DocumentReference } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions/logger';
import type { PushDeps } from './deps.js';
import type { PushMessage, PushResult, PushTarget } from './gateway.js';

export interface Subscriber extends PushTarget {
  ref: DocumentReference;
}

export interface DeliveryCount {
  targeted: number;
  sent: number;
  gone: number;
  failed: number;
}

/** A push topic from an id: 32 base64url characters, the same for the same id. */
export const topicOf = (id: string): string => createHash('sha256').update(id).digest('base64url').slice(0, 32);

const RETRY_PAUSE_MS = 1_000;

async function sendOne(deps: PushDeps, s: Subscriber, message: PushMessage, topic: string): Promise<PushResult> {
  const options = { topic, ttlSeconds: 24 * 3600 };
  const first = await deps.push().send(s, message, options);
  if (first.kind !== 'failed') return first;
  await deps.sleep(RETRY_PAUSE_MS);
  return deps.push().send(s, message, options);
}

export async function deliverToAll(deps: PushDeps, subscribers: readonly Subscriber[], message: PushMessage, concurrency = 10): Promise<DeliveryCount> {
  const count: DeliveryCount = { targeted: subscribers.length, sent: 0, gone: 0, failed: 0 };
  const topic = topicOf(message.tag);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < subscribers.length) {
      const s = subscribers[next++] as Subscriber;
      const r = await sendOne(deps, s, message, topic);
      if (r.kind === 'sent') {
        count.sent += 1;
        await s.ref.update({ last_used_at: Timestamp.fromDate(deps.now()) }).catch(() => undefined);
      } else if (r.kind === 'gone') {
        count.gone += 1;
        await s.ref.delete();
      } else {
        count.failed += 1;
        logger.warn('push failed after a retry', { subscription: s.ref.id, status: r.status, tag: message.tag });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, subscribers.length) }, worker));
  return count;
}
