import { z } from 'zod';
import { defineCollection } from '../collection.js';
import { timestamp } from '../primitives.js';

export const WEBHOOK_PROVIDERS = ['stripe', 'airwallex', 'cal'] as const;

/** One document per provider delivery, written in the same transaction as its effects. */
export const webhookEventSchema = z.strictObject({
  provider: z.enum(WEBHOOK_PROVIDERS),
  /** The provider's event id (Cal.com has none: derived from trigger, booking uid and createdAt). */
  event_id: z.string(),
  type: z.string(),
  /** applied: its effects were written with it; ignored: an unknown or irrelevant event, recorded only. */
  outcome: z.enum(['applied', 'ignored']),
  received_at: timestamp,
  /** What the delivery was about: an order id or a Cal.com booking uid (absent when unknown). */
  subject: z.string().nullable().optional(),
});
export type WebhookEventDoc = z.infer<typeof webhookEventSchema>;
export const webhookEvents = defineCollection({
  collection: 'webhook_events',
  idParam: 'deliveryId',
  schema: webhookEventSchema,
  sources: [],
  access: 'server-only',
  idFrom: '`{provider}:{event id}`, so a repeated delivery finds its record',
  description: 'Provider deliveries already applied (exactly-once bookkeeping); Admin SDK only.',
});
