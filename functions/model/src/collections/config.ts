import { z } from 'zod';
import { clientWriteSchema, jsonMap, jsonScalar, settingsJson, text, TEXT } from '../client-writes.js';
import { defineCollection } from '../collection.js';
import { appLang, int, json, timestamp } from '../primitives.js';

export const remoteFlagSchema = z.strictObject({
  value: json,
  description: z.string().nullable(),
  enabled: z.boolean().nullable(),
  updated_at: timestamp.nullable(),
});
export const remoteFlags = defineCollection({
  collection: 'remote_flags',
  idParam: 'key',
  schema: remoteFlagSchema,
  sources: ['remote_flags'],
  access: 'public-read',
  idFrom: 'remote_flags.key',
  description: 'Feature flags and remote configuration; anyone reads, admins write.',
  // A flag's value: a scalar (on/off, a rollout share, a variant) or a small flat map of them.
  clientWrite: clientWriteSchema(remoteFlagSchema, { value: z.union([jsonScalar(500), settingsJson]), description: text(500).nullable() }),
});

export const i18nEntrySchema = z.strictObject({
  lang: z.string(),
  ns: z.string(),
  key: z.string(),
  value: z.string(),
  updated_at: timestamp.nullable(),
});
export const i18nDict = defineCollection({
  collection: 'i18n_dict',
  idParam: 'entryId',
  schema: i18nEntrySchema,
  sources: ['i18n_dict'],
  access: 'public-read',
  idFrom: 'i18n_dict.id',
  description: 'Translations (lang, ns, key unique); anyone reads, admins write.',
  clientWrite: clientWriteSchema(i18nEntrySchema, { lang: text(16), ns: text(100), key: text(TEXT.name), value: text(TEXT.paragraph) }),
});

/** transactional: receipts, confirmations, password resets (always sent); marketing: may be unsubscribed from. */
export const EMAIL_CATEGORIES = ['transactional', 'marketing'] as const;
export const emailCategory = z.enum(EMAIL_CATEGORIES);
export type EmailCategory = z.infer<typeof emailCategory>;

/**
 * An e-mail template in one language. `{{name}}` placeholders (HTML-escaped in body_html), sections
 * `{{#name}}…{{/name}}` (shown when the value is truthy) and `{{^name}}…{{/name}}` (when it is not).
 * `variables` may declare defaults: `{"greeting": {"default": "Hi"}}`.
 */
export const emailTemplateSchema = z.strictObject({
  slug: z.string(),
  name: z.string(),
  subject: z.string(),
  body_html: z.string(),
  body_text: z.string().nullable(),
  variables: json.nullable(),
  active: z.boolean().nullable(),
  created_at: timestamp.nullable(),
  updated_at: timestamp.nullable(),
  // Fields of the templates the functions ship (absent on migrated rows, which count as language-neutral).
  /** The language of this version; the document id is `{slug}.{lang}`, so slug + lang is unique by construction. */
  lang: appLang.nullable().optional(),
  /** transactional unless said otherwise; marketing e-mails carry List-Unsubscribe and honour unsubscribes. */
  category: emailCategory.nullable().optional(),
});
export type EmailTemplateDoc = z.infer<typeof emailTemplateSchema>;
/** The variables a template declares, as admins write them: `{"greeting": {"default": "Hi"}}` (at most 8). */
export const templateVariablesWrite = jsonMap({
  maxKeys: 8,
  value: z.strictObject({ default: jsonScalar(500) }).partial(),
  rulesName: 'templateVariables',
});
export const emailTemplates = defineCollection({
  collection: 'email_templates',
  idParam: 'templateId',
  schema: emailTemplateSchema,
  sources: ['email_templates'],
  access: 'staff',
  idFrom: 'email_templates.id (migrated rows); `{slug}.{lang}` for the language versions the functions ship and pick (see emailTemplateId)',
  description: 'E-mail templates per slug and language; admins manage them.',
  clientWrite: clientWriteSchema(emailTemplateSchema, {
    slug: text(TEXT.name),
    name: text(TEXT.name),
    subject: text(500),
    body_html: text(TEXT.document),
    body_text: text(TEXT.document).nullable(),
    variables: templateVariablesWrite.nullable(),
  }),
});

/** Slugs are lower-case words: the id `{slug}.{lang}` is then unique for each (slug, lang) pair. */
export const EMAIL_TEMPLATE_SLUG = /^[a-z0-9][a-z0-9_-]{0,99}$/;

/** `order_confirmation.zh-TW`: the document of one language version of a template. */
export function emailTemplateId(slug: string, lang: z.infer<typeof appLang>): string {
  if (!EMAIL_TEMPLATE_SLUG.test(slug)) throw new Error(`invalid e-mail template slug ${JSON.stringify(slug)}`);
  return `${slug}.${lang}`;
}

/** pending → sending (leased by a worker) → sent | failed | suppressed; cancelled: no longer wanted (a moved session's reminder). */
export const EMAIL_STATUSES = ['pending', 'sending', 'sent', 'failed', 'suppressed', 'cancelled'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/**
 * Send only while a document still says what the e-mail says (a reminder of a session at a time):
 * the sender cancels the item when the document at `path` is gone, its `field` is no longer `at`,
 * or its status is not one of `statuses`.
 */
export const emailValidIf = z.strictObject({
  path: z.string().min(1),
  field: z.string().min(1),
  at: timestamp,
  statuses: z.array(z.string()).nullable(),
});
export type EmailValidIf = z.infer<typeof emailValidIf>;

export const emailQueueSchema = z.strictObject({
  to_email: z.string(),
  template_slug: z.string().nullable(),
  subject: z.string(),
  body_html: z.string().nullable(),
  body_text: z.string().nullable(),
  variables: json.nullable(),
  /** One of EMAIL_STATUSES (migrated rows may hold others, e.g. cancelled). */
  status: z.string().nullable(),
  /** Not before this time; a retry moves it to the next attempt's time. */
  scheduled_for: timestamp.nullable(),
  sent_at: timestamp.nullable(),
  error: z.string().nullable(),
  attempts: int.nullable(),
  created_at: timestamp.nullable(),
  // Fields of the sender (absent on migrated rows).
  /** The recipient's language; when absent the sender looks the recipient up by e-mail (else en). */
  lang: appLang.nullable().optional(),
  /** The recipient's user, when known. */
  user_id: z.string().nullable().optional(),
  /** The template's category, recorded when the item is rendered. */
  category: emailCategory.nullable().optional(),
  /** The worker that holds the item (status sending) until this time; after it another worker takes over. */
  lease_expires_at: timestamp.nullable().optional(),
  /** The holder's lease id: a worker whose lease was taken over does not overwrite the new holder's result. */
  lease_id: z.string().nullable().optional(),
  /** Resend's id of the accepted e-mail. */
  provider_id: z.string().nullable().optional(),
  last_attempt_at: timestamp.nullable().optional(),
  updated_at: timestamp.nullable().optional(),
  valid_if: emailValidIf.nullable().optional(),
});
export type EmailQueueDoc = z.infer<typeof emailQueueSchema>;
export const emailQueue = defineCollection({
  collection: 'email_queue',
  idParam: 'emailId',
  schema: emailQueueSchema,
  sources: ['email_queue'],
  access: 'server-only',
  idFrom: "email_queue.id; emails queued by an event use an id derived from it (it is also Resend's Idempotency-Key)",
  description: 'Outgoing e-mail, sent through Resend by the queue trigger and the every-minute sweep; Admin SDK only.',
});

/** Delivery facts Resend reports later, in order of precedence (a late delivery_delayed never hides a bounce). */
export const EMAIL_LOG_STATUSES = ['sent', 'retry', 'failed', 'suppressed', 'cancelled', 'delivery_delayed', 'delivered', 'complained', 'bounced'] as const;

export const emailLogSchema = z.strictObject({
  queue_id: z.string().nullable(),
  to_email: z.string(),
  subject: z.string().nullable(),
  status: z.string(),
  provider_id: z.string().nullable(),
  error: z.string().nullable(),
  metadata: json.nullable(),
  sent_at: timestamp.nullable(),
  // Fields of the sender (absent on migrated rows).
  /** Which attempt of the queue item this was (1, 2, …). */
  attempt: int.nullable().optional(),
  /** How long the call to Resend took. */
  duration_ms: int.nullable().optional(),
  /** Resend's HTTP status (null: no answer). */
  http_status: int.nullable().optional(),
  /** When Resend's webhook last changed the status (delivered, bounced…). */
  updated_at: timestamp.nullable().optional(),
  /** When Firestore's TTL deletes the log (EMAIL_LOG_RETENTION_DAYS after the attempt; migrated logs lack it). */
  expires_at: timestamp.optional(),
});
export type EmailLogDoc = z.infer<typeof emailLogSchema>;
export const emailLogs = defineCollection({
  collection: 'email_logs',
  idParam: 'logId',
  schema: emailLogSchema,
  sources: ['email_logs'],
  access: 'server-only',
  idFrom: 'email_logs.id; an attempt of the sender: `{queue id}~{lease id}`',
  description: "One record per send attempt, then the delivery facts of Resend's webhook; Admin SDK only. High volume: see the index overrides.",
});

export const SUPPRESSION_SCOPES = ['all', 'marketing'] as const;
export type SuppressionScope = (typeof SUPPRESSION_SCOPES)[number];

/**
 * An address the sender skips: scope `all` after a hard bounce or a complaint (nothing is sent),
 * `marketing` after an unsubscribe (receipts and password resets still go). The id is
 * `{scope}-{sha256 of the lower-case address, 40 hex}`, so an address has one record per scope.
 */
export const emailSuppressionSchema = z.strictObject({
  email: z.string(),
  scope: z.enum(SUPPRESSION_SCOPES),
  reason: z.enum(['bounced', 'complained', 'unsubscribed', 'manual']),
  /** What put it there: the Svix message id of Resend's event, or the queue item of the unsubscribe link. */
  source: z.string().nullable(),
  created_at: timestamp,
});
export type EmailSuppressionDoc = z.infer<typeof emailSuppressionSchema>;
export const emailSuppressions = defineCollection({
  collection: 'email_suppressions',
  idParam: 'suppressionId',
  schema: emailSuppressionSchema,
  sources: [],
  access: 'server-only',
  idFrom: '`{scope}-{sha256(lower-case e-mail) 40 hex}`: one record per address and scope',
  description: 'Addresses the e-mail sender skips (hard bounces, complaints, marketing unsubscribes); Admin SDK only.',
});

/**
 * One push job, so that it happens once however often its trigger fires: the push of an inbox item
 * (`inbox-{sha256(uid, item id) 40 hex}`) or an admin broadcast (`broadcast-{id}`). A worker holds
 * it (status sending) until lease_expires_at; done records what the push services answered.
 */
export const pushDeliverySchema = z.strictObject({
  kind: z.enum(['inbox', 'broadcast']),
  status: z.enum(['sending', 'done']),
  user_id: z.string().nullable(),
  item_id: z.string().nullable(),
  /** A broadcast's segment ({"kind":"role","role":"coach"}…), null for an inbox item. */
  segment: json.nullable(),
  attempts: int,
  lease_expires_at: timestamp.nullable(),
  /** The holder's lease id: a worker whose lease was taken over cannot mark the job done. */
  lease_id: z.string().nullable().optional(),
  /** Subscriptions tried, accepted by their push service, gone (404/410: deleted), failed (after one retry). */
  targeted: int,
  sent: int,
  gone: int,
  failed: int,
  created_at: timestamp,
  finished_at: timestamp.nullable(),
});
export type PushDeliveryDoc = z.infer<typeof pushDeliverySchema>;
export const pushDeliveries = defineCollection({
  collection: 'push_deliveries',
  idParam: 'deliveryId',
  schema: pushDeliverySchema,
  sources: [],
  access: 'server-only',
  idFrom: '`inbox-{sha256(uid, item id)}` for the push of an inbox item; `broadcast-{broadcast id}` for a broadcast',
  description: 'Web-push jobs (an inbox item, a broadcast) with their outcome, so that each is pushed once; Admin SDK only.',
});

export const badgeSchema = z.strictObject({
  name: z.string(),
  description: z.string().nullable(),
  icon: z.string().nullable(),
  criteria: json.nullable(),
  active: z.boolean().nullable(),
});
export const badges = defineCollection({
  collection: 'badges',
  idParam: 'code',
  schema: badgeSchema,
  sources: ['badges'],
  access: 'public-read',
  idFrom: 'badges.code',
  description: 'Badge definitions; anyone reads, admins write.',
  clientWrite: clientWriteSchema(badgeSchema, {
    name: text(TEXT.name),
    description: text(TEXT.paragraph).nullable(),
    icon: text(TEXT.url).nullable(),
    criteria: settingsJson.nullable(),
  }),
});

export const appVersionSchema = z.strictObject({
  version: z.string(),
  min_version: z.string().nullable(),
  force_update: z.boolean().nullable(),
  features: json.nullable(),
  active: z.boolean().nullable(),
  created_at: timestamp.nullable(),
});
export const appVersions = defineCollection({
  collection: 'zg_versions',
  idParam: 'versionId',
  schema: appVersionSchema,
  sources: ['zg_versions'],
  access: 'public-read',
  idFrom: 'zg_versions.id',
  description: 'App versions and feature gates; anyone reads, admins write.',
  clientWrite: clientWriteSchema(appVersionSchema, { version: text(TEXT.code), min_version: text(TEXT.code).nullable(), features: settingsJson.nullable() }),
});
