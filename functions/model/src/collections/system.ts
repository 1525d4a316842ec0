import { z } from 'zod';
import { defineCollection } from '../collection.js';
import { dateString, json, timestamp, uid } from '../primitives.js';

export const WEBHOOK_PROVIDERS = ['stripe', 'airwallex', 'cal', 'resend'] as const;

/**
 * The one exactly-once ledger: a provider's webhook delivery or a trigger's event, recorded in the
 * same transaction as its effects, so a repeat (sequential or concurrent) finds it and changes nothing.
 */
export const DELIVERY_KINDS = ['webhook', 'trigger'] as const;
export const deliverySchema = z.strictObject({
  kind: z.enum(DELIVERY_KINDS),
  /** The webhook's provider (WEBHOOK_PROVIDERS), or the name of the trigger's handler. */
  source: z.string(),
  /** The provider's event id (Cal.com has none: derived from trigger, booking uid and createdAt; Resend: the svix-id), or the trigger's event id. */
  event_id: z.string(),
  /** The provider's event type (webhooks; null for a trigger). */
  type: z.string().nullable(),
  /** applied: its effects were written with it; ignored: an unknown or irrelevant event, recorded only. */
  outcome: z.enum(['applied', 'ignored']),
  received_at: timestamp,
  /** What the delivery was about: an order id or a Cal.com booking uid (null when unknown). */
  subject: z.string().nullable(),
  /** When Firestore's TTL deletes the record: the kind's retention after it was received. */
  expires_at: timestamp,
});
export type DeliveryDoc = z.infer<typeof deliverySchema>;
export const deliveries = defineCollection({
  collection: 'deliveries',
  idParam: 'deliveryId',
  schema: deliverySchema,
  sources: [],
  access: 'server-only',
  idFrom: '`{provider}:{event id}` for a webhook, `trigger:` and a sha256 of handler and event id for a trigger',
  description:
    'The exactly-once ledger of webhook deliveries and trigger events, each written with its effects; TTL deletes a record after its kind’s retention (WEBHOOK_LEDGER_RETENTION_DAYS; 14 days for triggers). Admin SDK only.',
});

/**
 * One fixed window of a rate limit (a public callable per IP, a callable per user): how many calls
 * it has seen since `window_start`. The id is a hash of the scope and the key, so no IP or uid is
 * stored in the id; `expires_at` (the window's end) is the TTL field that deletes old windows.
 */
export const rateLimitSchema = z.strictObject({
  scope: z.string(),
  /** `ip`, `uid` or `email` (a lower-cased address, hashed into the id like every key): what the key counts. */
  kind: z.enum(['ip', 'uid', 'email']),
  count: z.int().min(0),
  window_start: timestamp,
  expires_at: timestamp,
});
export type RateLimitDoc = z.infer<typeof rateLimitSchema>;
export const rateLimits = defineCollection({
  collection: 'rate_limits',
  idParam: 'limitId',
  schema: rateLimitSchema,
  sources: [],
  access: 'server-only',
  idFrom: 'sha256 of scope, kind and key (the IP or uid is never stored)',
  description: 'Rate-limit windows of the callables (per IP and per user); Admin SDK only, deleted by TTL.',
});

/** What happened, for the processes that follow it (funnels, badges, referrals): the outbox of domain facts. */
export const DOMAIN_EVENT_TYPES = [
  'signup',
  'lead_created',
  'lead_confirmed',
  'purchase',
  'event_registered',
  'event_attended',
  'lesson_completed',
  'session_attended',
  'post_created',
  'referral_completed',
] as const;
export const domainEventType = z.enum(DOMAIN_EVENT_TYPES);
export type DomainEventType = z.infer<typeof domainEventType>;

export const domainEventSchema = z.strictObject({
  type: domainEventType,
  /** The user it is about (null for a lead that has no account). */
  user_id: uid.nullable(),
  /** The lead it is about, when there is one. */
  lead_id: z.string().nullable(),
  /** What it is about: an order, event, lesson, post id. */
  subject_id: z.string().nullable(),
  occurred_at: timestamp,
  /** Small facts the followers need (currency and amount of a purchase, a lesson's module). */
  data: json.nullable(),
});
export type DomainEventDoc = z.infer<typeof domainEventSchema>;
export const domainEvents = defineCollection({
  collection: 'domain_events',
  idParam: 'eventId',
  schema: domainEventSchema,
  sources: [],
  access: 'server-only',
  idFrom: '`{type}:{subject}:{user}`, chosen by the writer, so that a retried effect records its event once',
  description: 'Domain events written in the same transaction as the fact they report; triggers of the growth processes follow them. Admin SDK only.',
});

/**
 * One OAuth connect in flight (startSocialConnect → socialOAuthCallback): who started it, for
 * which platform, the PKCE verifier (sealed like the tokens), and when it was used. The `state`
 * the platform carries back is signed and names this document; a second use finds `used_at` set.
 */
export const oauthStateSchema = z.strictObject({
  user_id: uid,
  platform: z.string(),
  /** The PKCE code verifier, sealed with the token keys (only the server ever reads it). */
  code_verifier: z.string(),
  created_at: timestamp,
  /** The state is refused after this; also the TTL field that deletes old documents. */
  expires_at: timestamp,
  used_at: timestamp.nullable(),
  /**
   * After the callback: the account the platform granted, sealed, waiting for the user who started
   * the connect to complete it (completeSocialConnect), with the sha-256 of the one-time token the
   * callback handed to the browser. Null once completed or refused.
   */
  pending_account: z.string().nullable().optional(),
  completion_hash: z.string().nullable().optional(),
  completed_at: timestamp.nullable().optional(),
});
export type OAuthStateDoc = z.infer<typeof oauthStateSchema>;
export const oauthStates = defineCollection({
  collection: 'oauth_states',
  idParam: 'stateId',
  schema: oauthStateSchema,
  sources: [],
  access: 'server-only',
  idFrom: 'a random nonce, carried (signed) in the OAuth `state`',
  description: 'Social OAuth connects in flight: single-use, short-lived; Admin SDK only, deleted by TTL.',
});

/**
 * The publisher's bookkeeping for one scheduled post, apart from the post so that no client can
 * touch it: `scheduled` until due, `publishing` while a run holds it (`due_at` is then the lease's
 * end: a run that crashed is found again and reconciled), `done` once the post is published,
 * failed or cancelled. Each attempt is recorded here before the platform is called.
 */
export const PUBLISH_JOB_STATES = ['scheduled', 'publishing', 'done'] as const;
export const socialPublishJobSchema = z.strictObject({
  user_id: uid,
  post_id: z.string().min(1),
  account_id: z.string().min(1),
  platform: z.string(),
  state: z.enum(PUBLISH_JOB_STATES),
  /** When the publisher looks at the job next: the scheduled time, a retry's time, or the lease's end. */
  due_at: timestamp.nullable(),
  attempts: z.int().min(0),
  /** `{job id}#{n}` of the attempt in flight or last made. */
  attempt_id: z.string().nullable(),
  attempt_started_at: timestamp.nullable(),
  /** The run holding the job while `publishing` (core/lease.ts): a run whose lease was taken over records nothing. */
  lease_id: z.string().nullable().optional(),
  /** Why the last attempt failed (a code and a short reason, no tokens). */
  last_error: z.string().nullable(),
  updated_at: timestamp,
});
export type SocialPublishJobDoc = z.infer<typeof socialPublishJobSchema>;
export const socialPublishJobs = defineCollection({
  collection: 'social_publish_jobs',
  idParam: 'jobId',
  schema: socialPublishJobSchema,
  sources: [],
  access: 'server-only',
  idFrom: '`{uid}:{post id}`: one job per post, rewritten when it is rescheduled',
  description: "The social publisher's due times, attempts and leases per scheduled post; Admin SDK only.",
});

/** The kinds of values that must stay unique (the seed's unique constraints). */
export const UNIQUE_KINDS = ['coupon_code', 'experiment_key', 'i18n_entry', 'social_template'] as const;
export const uniqueKind = z.enum(UNIQUE_KINDS);
export type UniqueKind = z.infer<typeof uniqueKind>;

/**
 * A uniqueness index entry: the value `parts` of kind `kind` belongs to the document at
 * `target_path`. The admin callables that create or rename those documents read and write it in
 * the same transaction, so two writers of the same value conflict. An entry whose target is gone
 * or no longer holds the value is stale and may be taken.
 */
export const uniqueKeySchema = z.strictObject({
  kind: uniqueKind,
  parts: z.array(z.string().nullable()),
  target_path: z.string(),
  updated_at: timestamp,
});
export type UniqueKeyDoc = z.infer<typeof uniqueKeySchema>;
export const uniqueKeys = defineCollection({
  collection: 'unique_keys',
  idParam: 'keyId',
  schema: uniqueKeySchema,
  sources: [],
  access: 'server-only',
  idFrom: '`{kind}-{sha256 of the value, 40 hex}`',
  description: 'Uniqueness index of coupon codes, experiment keys, i18n entries and social templates; Admin SDK only.',
});

export const BACKUP_STATUSES = ['running', 'succeeded', 'failed'] as const;

/**
 * One daily export of Firestore (Firestore Admin API `exportDocuments`) into the backup bucket,
 * under `{output_uri_prefix}`: the day's run takes it in a transaction (so overlapping or repeated
 * runs start one export), records the long-running operation, and a later run records how it ended.
 */
export const backupRunSchema = z.strictObject({
  /** The UTC day of the export, `YYYY-MM-DD` (also the id). */
  day: dateString,
  status: z.enum(BACKUP_STATUSES),
  /** `gs://{bucket}/firestore-exports/{day}` */
  output_uri_prefix: z.string(),
  /** The export's long-running operation (null until the API accepted the request). */
  operation: z.string().nullable(),
  started_at: timestamp,
  updated_at: timestamp,
  finished_at: timestamp.nullable(),
  /** Until then a run that took the day is starting the export; after it, another may retry. */
  lease_until: timestamp.nullable(),
  /** The run starting the export (core/lease.ts): a run whose lease was taken over records nothing. */
  lease_id: z.string().nullable().optional(),
  attempts: z.int().min(1),
  error: z.string().nullable(),
});
export type BackupRunDoc = z.infer<typeof backupRunSchema>;
export const backupRuns = defineCollection({
  collection: 'backup_runs',
  idParam: 'day',
  schema: backupRunSchema,
  sources: [],
  access: 'server-only',
  idFrom: 'the UTC day of the export (`YYYY-MM-DD`), so a retried or overlapping run finds the day taken',
  description: 'The daily Firestore exports: which operation, where, and how it ended; Admin SDK only.',
});

/**
 * The last run of a pull from an outside service (today: Cal.com's event types): when, whether it
 * worked, what it changed, and whether the admins have been told of the failure that is going on.
 */
export const integrationSyncSchema = z.strictObject({
  started_at: timestamp,
  finished_at: timestamp,
  ok: z.boolean(),
  /** What went wrong (no secrets: a status and the service's message). */
  error: z.string().nullable(),
  /** What the last successful run changed. */
  counts: z.record(z.string(), z.int()).nullable(),
  last_success_at: timestamp.nullable(),
  /** The first failure of the current run of failures; null while syncs succeed. */
  failing_since: timestamp.nullable(),
  /** Whether the admins were told of the current run of failures (once per run). */
  alerted: z.boolean(),
});
export type IntegrationSyncDoc = z.infer<typeof integrationSyncSchema>;
export const integrationSyncs = defineCollection({
  collection: 'integration_syncs',
  idParam: 'name',
  schema: integrationSyncSchema,
  sources: [],
  access: 'staff',
  idFrom: 'the synced collection (`cal_event_types`)',
  description: 'The last sync from an outside service and its outcome (Cal.com event types, daily and on an admin’s request); staff read, the server writes.',
});
