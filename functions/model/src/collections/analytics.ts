import { z } from 'zod';
import { clientWriteSchema, settingsJson, text, TEXT } from '../client-writes.js';
import { defineCollection } from '../collection.js';
import { dateString, int, json, timestamp, uid } from '../primitives.js';

export const analyticsEventSchema = z.strictObject({
  event_name: z.string(),
  user_id: uid.nullable(),
  session_id: z.string().nullable(),
  properties: json.nullable(),
  page_url: z.string().nullable(),
  referrer: z.string().nullable(),
  user_agent: z.string().nullable(),
  /** inet, as text ("203.0.113.7", "2001:db8::1", "10.0.0.0/8"). */
  ip_address: z.string().nullable(),
  created_at: timestamp.nullable(),
  /** The UTC day of created_at, YYYY-MM-DD (Firebase only, set by `track`): what the daily rollup and retention query. */
  day: dateString.optional(),
  /** When the TTL policy deletes the event (created_at + the retention period; set by `track`). */
  expires_at: timestamp.optional(),
});
export type AnalyticsEventDoc = z.infer<typeof analyticsEventSchema>;
export const analyticsEvents = defineCollection({
  collection: 'analytics_events',
  idParam: 'eventId',
  schema: analyticsEventSchema,
  sources: ['analytics_events'],
  access: 'staff',
  idFrom: 'analytics_events.id; random for events `track` stores',
  description:
    'Tracking events, stored by the `track` callable (server time, IP prefix, rate limit per IP); admins read. High volume: see the index overrides.',
});

/**
 * A blog post's page view, counted once per visitor per UTC day (`track`: a `page_view` event with
 * the post's slug in `properties.blog_post`). Only the id matters: creating it is the count.
 */
export const blogViewSchema = z.strictObject({
  post: z.string(),
  day: dateString,
  /** TTL: the day is over, the document is no longer needed. */
  expires_at: timestamp,
});
export const blogViews = defineCollection({
  collection: 'blog_views',
  idParam: 'viewId',
  schema: blogViewSchema,
  sources: [],
  access: 'server-only',
  idFrom: 'sha256 of the post, the visitor (the uid, or the caller’s address and user agent) and the UTC day',
  description: 'Which visitor has viewed which blog post today (the once-per-visitor-per-day rule of `view_count`); Admin SDK only, deleted by TTL.',
});

/** Views not yet added to `blog_posts.view_count`, spread over a few shards so that a hot post takes many at once. */
export const blogViewShardSchema = z.strictObject({
  post: z.string(),
  /** Views counted here and not yet rolled into the post. */
  pending: int,
  /** Every view this shard has ever rolled into the post. */
  total: int,
  updated_at: timestamp,
});
export const blogViewShards = defineCollection({
  collection: 'blog_view_shards',
  idParam: 'shardId',
  schema: blogViewShardSchema,
  sources: [],
  access: 'server-only',
  idFrom: '{slug}:{shard}, shard 0 to 7',
  description: 'Sharded counters of blog post views, rolled into `blog_posts.view_count` every 10 minutes (`rollupBlogViews`); Admin SDK only.',
});

export const experimentSchema = z.strictObject({
  key: z.string(),
  name: z.string(),
  enabled: z.boolean().nullable(),
  config: json.nullable(),
  created_at: timestamp.nullable(),
  updated_at: timestamp.nullable(),
});
export const experiments = defineCollection({
  collection: 'experiments',
  idParam: 'experimentId',
  schema: experimentSchema,
  sources: ['experiments'],
  access: 'public-read',
  idFrom: 'experiments.id',
  description: 'A/B experiments; anyone reads enabled ones, admins write.',
  clientWrite: clientWriteSchema(experimentSchema, { key: text(100), name: text(TEXT.name), config: settingsJson.nullable() }),
});

export const experimentAssignmentSchema = z.strictObject({
  experiment_key: z.string(),
  user_id: uid.nullable(),
  session_id: z.string().nullable(),
  variant: z.string(),
  assigned_at: timestamp.nullable(),
});
export const experimentAssignments = defineCollection({
  collection: 'experiment_assignments',
  idParam: 'assignmentId',
  schema: experimentAssignmentSchema,
  sources: ['experiment_assignments'],
  access: 'owner',
  idFrom: 'experiment_assignments.id',
  description: 'Which variant a user or session got; the user reads their own, admins all.',
  clientWrite: clientWriteSchema(experimentAssignmentSchema, { experiment_key: text(100), session_id: text(100).nullable(), variant: text(100) }),
});

/** How a model call ended (the functions' own calls; migrated rows have no outcome). */
export const AI_OUTCOMES = ['ok', 'invalid_answer', 'timeout', 'rate_limited', 'model_error', 'blocked', 'quota_exceeded'] as const;
export const aiOutcome = z.enum(AI_OUTCOMES);
export type AiOutcome = z.infer<typeof aiOutcome>;

export const aiLogSchema = z.strictObject({
  mode: z.string(),
  route: z.string().nullable(),
  /** Migrated rows may hold prompts; the functions never store a prompt or an answer (personal data). */
  prompt: z.string().nullable(),
  response: z.string().nullable(),
  model: z.string().nullable(),
  tokens_used: int.nullable(),
  duration_ms: int.nullable(),
  /** An error code (`http_429`, `timeout`, `schema: items.0.title`), never the provider's message text. */
  error: z.string().nullable(),
  metadata: json.nullable(),
  at: timestamp.nullable(),
  /** The user the call was made for (Firebase-only; a migrated log names its user, if at all, inside `metadata`). Exports and account deletion find a user's logs by it. */
  user_id: uid.nullable().optional(),
  tokens_in: int.nullable().optional(),
  tokens_out: int.nullable().optional(),
  /** How the call went (written by the functions; migrated logs have none). */
  outcome: aiOutcome.optional(),
  /** When Firestore's TTL deletes the log (AI_LOG_RETENTION_DAYS after the call; migrated logs lack it). */
  expires_at: timestamp.optional(),
});
export type AiLogDoc = z.infer<typeof aiLogSchema>;
export const aiLogs = defineCollection({
  collection: 'ai_logs',
  idParam: 'logId',
  schema: aiLogSchema,
  sources: ['ai_logs'],
  access: 'server-only',
  idFrom: 'ai_logs.id',
  description: 'One document per model call (model, tokens, duration, outcome; ids, never prompts); Admin SDK only.',
});
