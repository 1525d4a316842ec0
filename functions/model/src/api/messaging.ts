import { z } from 'zod';
import { appLang, appRole } from '../primitives.js';
import { defineCallable } from './contract.js';
import { docIdInput, idempotencyKeyInput } from './common.js';

const base64url = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'must be base64url')
    .refine((s) => Math.floor((s.replace(/=+$/, '').length * 3) / 4) === bytes, `must encode ${bytes} bytes`);

/**
 * A browser's PushSubscription as `subscription.toJSON()` gives it. The endpoint is the push
 * service's URL (https; the functions also refuse private and loopback hosts outside the emulator).
 */
export const pushSubscriptionInput = z.strictObject({
  endpoint: z.url({ protocol: /^https?$/ }).max(2000),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({
    /** The browser's P-256 public key (65 bytes, uncompressed). */
    p256dh: base64url(65),
    /** The 16-byte authentication secret. */
    auth: base64url(16),
  }),
});
export type PushSubscriptionInput = z.infer<typeof pushSubscriptionInput>;

const subscribeInput = z.strictObject({
  subscription: pushSubscriptionInput,
  user_agent: z.string().max(500).optional(),
  lang: appLang.optional(),
});

export const subscribePush = defineCallable({
  name: 'subscribePush',
  access: 'signed-in',
  description: "Saves the browser's push subscription for the caller; the same endpoint again updates it (one per endpoint and user).",
  input: subscribeInput,
  output: z.strictObject({ subscription_id: z.string(), created: z.boolean() }),
});

export const unsubscribePush = defineCallable({
  name: 'unsubscribePush',
  access: 'signed-in',
  description: "Removes the caller's subscription of this endpoint (the browser unsubscribed or the user turned push off).",
  input: z.strictObject({ endpoint: z.url({ protocol: /^https?$/ }).max(2000) }),
  output: z.strictObject({ removed: z.int().min(0) }),
});

export const subscribeAnonymousPush = defineCallable({
  name: 'subscribeAnonymousPush',
  access: 'public',
  description: "A visitor's push subscription (no account), for broadcasts; rate-limited per IP.",
  input: subscribeInput,
  output: z.strictObject({ subscription_id: z.string(), created: z.boolean() }),
});

export const broadcastSegment = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('role'), role: appRole }),
  z.strictObject({ kind: z.literal('language'), lang: appLang }),
]);
export type BroadcastSegment = z.infer<typeof broadcastSegment>;

export const pushReport = z.strictObject({
  broadcast_id: z.string(),
  /** Subscriptions the segment reached. */
  targeted: z.int().min(0),
  /** Accepted by their push service. */
  sent: z.int().min(0),
  /** 404/410: the browser unsubscribed; the subscription was deleted. */
  gone: z.int().min(0),
  /** Failed, after one retry. */
  failed: z.int().min(0),
  /** This broadcast id was sent before: its report, nothing sent again. */
  duplicate: z.boolean(),
});
export type PushReport = z.infer<typeof pushReport>;

export const broadcastPush = defineCallable({
  name: 'broadcastPush',
  access: 'admin',
  description:
    'Pushes a notification to a segment (everyone, a role, a language), in batches; visitors (anonymous subscriptions) are included unless the segment is a role. Idempotent per broadcast_id.',
  input: z.strictObject({
    segment: broadcastSegment,
    title: z.string().trim().min(1).max(120),
    body: z.string().trim().min(1).max(400),
    url: z.string().max(2000).optional(),
    /** The same id, the same broadcast: a retry returns the first report and sends nothing. */
    broadcast_id: idempotencyKeyInput.optional(),
  }),
  output: pushReport,
});

export const markInboxRead = defineCallable({
  name: 'markInboxRead',
  access: 'signed-in',
  description: "Marks the caller's inbox items read: the given ids, or all of them.",
  input: z.union([z.strictObject({ ids: z.array(docIdInput).min(1).max(500) }), z.strictObject({ all: z.literal(true) })]),
  output: z.strictObject({ updated: z.int().min(0) }),
});
