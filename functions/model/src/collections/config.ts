import { z } from 'zod';
import { clientWriteSchema, jsonScalar, settingsJson, text, TEXT } from '../client-writes.js';
import { defineCollection } from '../collection.js';
import { int, json, timestamp } from '../primitives.js';

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
});
export const emailTemplates = defineCollection({
  collection: 'email_templates',
  idParam: 'templateId',
  schema: emailTemplateSchema,
  sources: ['email_templates'],
  access: 'staff',
  idFrom: 'email_templates.id',
  description: 'Transactional email templates; admins manage them.',
  clientWrite: clientWriteSchema(emailTemplateSchema, {
    slug: text(TEXT.name),
    name: text(TEXT.name),
    subject: text(500),
    body_html: text(TEXT.document),
    body_text: text(TEXT.document).nullable(),
    variables: settingsJson.nullable(),
  }),
});

export const emailQueueSchema = z.strictObject({
  to_email: z.string(),
  template_slug: z.string().nullable(),
  subject: z.string(),
  body_html: z.string().nullable(),
  body_text: z.string().nullable(),
  variables: json.nullable(),
  status: z.string().nullable(),
  scheduled_for: timestamp.nullable(),
  sent_at: timestamp.nullable(),
  error: z.string().nullable(),
  attempts: int.nullable(),
  created_at: timestamp.nullable(),
});
export type EmailQueueDoc = z.infer<typeof emailQueueSchema>;
export const emailQueue = defineCollection({
  collection: 'email_queue',
  idParam: 'emailId',
  schema: emailQueueSchema,
  sources: ['email_queue'],
  access: 'server-only',
  idFrom: 'email_queue.id; emails queued by an event use an id derived from it',
  description: 'Outgoing transactional email, sent by a background job through Resend; Admin SDK only.',
});

export const emailLogSchema = z.strictObject({
  queue_id: z.string().nullable(),
  to_email: z.string(),
  subject: z.string().nullable(),
  status: z.string(),
  provider_id: z.string().nullable(),
  error: z.string().nullable(),
  metadata: json.nullable(),
  sent_at: timestamp.nullable(),
});
export const emailLogs = defineCollection({
  collection: 'email_logs',
  idParam: 'logId',
  schema: emailLogSchema,
  sources: ['email_logs'],
  access: 'server-only',
  idFrom: 'email_logs.id',
  description: 'Delivery log of sent email; Admin SDK only. High volume: see the index overrides.',
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
