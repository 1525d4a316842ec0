import { z } from 'zod';
import { clientWriteSchema, settingsJson, text, TEXT, utmWrite } from '../client-writes.js';
import { defineCollection } from '../collection.js';
import { appLang, appRole, dateString, decimalString, id, int, json, moneyMinor, currencyCode, stringArray, timestamp, uid } from '../primitives.js';

/** `users/{uid}`: the profile (zg_profiles) and the roles (user_roles) of one user. */
export const userSchema = z.strictObject({
  /** zg_profiles.id; null for a user who has roles but no profile row. */
  profile_id: id.nullable(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  avatar_url: z.string().nullable(),
  lang: z.string().nullable(),
  timezone: z.string().nullable(),
  created_at: timestamp.nullable(),
  updated_at: timestamp.nullable(),
  metadata: json.nullable(),
  /** The user_roles of this user; the same list is the `roles` custom claim. */
  roles: z.array(appRole),
  /** user_roles.id and created_at per role, so that no fact of the source row is lost. */
  role_grants: z.partialRecord(appRole, z.strictObject({ id, created_at: timestamp.nullable() })),
  /** Set when the user came across without a password hash and must reset it; ensureProfile clears it after a password sign-in. */
  password_reset_required: z.boolean().optional(),
  // Firebase-only fields kept by the accounts functions (functions/src/accounts). Optional: migrated
  // documents lack them until ensureProfile runs, and owners cannot write them (firestore.rules).
  /** Whether Firebase Auth has verified `email` (ensureProfile copies it from the caller's token). */
  email_verified: z.boolean().optional(),
  /** The client's coach (assignCoach): Cal.com sessions whose organizer is no coach get this one. */
  coach_id: uid.nullable().optional(),
  /** The referral code given at sign-up (ensureProfile; the first one given is kept) and when: the referrals process reads it. */
  signup_referral_code: z.string().nullable().optional(),
  signup_referral_at: timestamp.nullable().optional(),
  /** True while `lang` and `timezone` are the sign-up defaults (the Auth trigger knows no locale): ensureProfile's hints replace them once. */
  defaults_pending: z.boolean().optional(),
});
export type UserDoc = z.infer<typeof userSchema>;

/** The fixed form of users/{uid}.metadata an owner writes (the keys the app keeps there). */
export const userMetadataWrite = z
  .strictObject({
    onboarding: z.strictObject({ completed: z.boolean(), steps: z.array(text(TEXT.tag)).max(8) }).partial(),
    preferences: z
      .strictObject({
        theme: z.enum(['light', 'dark', 'system']),
        notifications: z.strictObject({ email: z.boolean(), push: z.boolean() }).partial(),
      })
      .partial(),
    marketing: z.strictObject({ utm: utmWrite }).partial(),
  })
  .partial();

/** An IANA zone name as rules can check it (the web client also checks the runtime's zone database). */
export const timeZoneName = text(64).regex(/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/);

export const userWrite = clientWriteSchema(userSchema.pick({ name: true, avatar_url: true, lang: true, timezone: true, updated_at: true, metadata: true }), {
  name: text(TEXT.name).nullable(),
  avatar_url: text(TEXT.url).nullable(),
  lang: appLang.nullable(),
  timezone: timeZoneName.nullable(),
  metadata: userMetadataWrite.nullable(),
});
export const users = defineCollection({
  collection: 'users',
  idParam: 'uid',
  schema: userSchema,
  sources: ['zg_profiles', 'user_roles'],
  access: 'owner',
  idFrom: 'zg_profiles.user_id (the Firebase Auth uid)',
  description: 'One document per user: the profile, and the roles that the rules and the `roles` claim carry.',
  // The owner's profile fields (roles, grants and the e-mail are the server's).
  clientWrite: userWrite,
});

export const badgeAwardSchema = z.strictObject({
  user_id: uid,
  badge_code: z.string(),
  awarded_at: timestamp.nullable(),
  metadata: json.nullable(),
});
export const userBadges = defineCollection({
  collection: 'users/{uid}/badges',
  idParam: 'awardId',
  schema: badgeAwardSchema,
  sources: ['user_badges'],
  access: 'owner',
  idFrom: 'user_badges.id',
  description: 'Badges a user was awarded.',
  clientWrite: clientWriteSchema(badgeAwardSchema, { badge_code: text(TEXT.name), metadata: settingsJson.nullable() }),
});

export const goalSchema = z.strictObject({
  user_id: uid,
  title: z.string(),
  description: z.string().nullable(),
  status: z.string().nullable(),
  target_date: dateString.nullable(),
  progress_percent: int.nullable(),
  created_at: timestamp.nullable(),
  updated_at: timestamp.nullable(),
});
export type GoalDoc = z.infer<typeof goalSchema>;
export const goalWrite = clientWriteSchema(goalSchema, {
  title: text(TEXT.name),
  description: text(TEXT.paragraph).nullable(),
  status: text(TEXT.code).nullable(),
  progress_percent: z.int().min(0).max(100).nullable(),
});
export const goals = defineCollection({
  collection: 'users/{uid}/goals',
  idParam: 'goalId',
  schema: goalSchema,
  sources: ['me_goals'],
  access: 'owner',
  idFrom: 'me_goals.id',
  description: 'Personal goals; the owner has full access, coaches read.',
  clientWrite: goalWrite,
});

export const sessionSchema = z.strictObject({
  user_id: uid,
  coach_id: uid.nullable(),
  booking_id: id.nullable(),
  session_date: timestamp,
  notes: z.string().nullable(),
  action_items: json.nullable(),
  status: z.string().nullable(),
  created_at: timestamp.nullable(),
  updated_at: timestamp.nullable(),
  /** The Cal.com booking id the session is held at now (it follows reschedules). */
  cal_booking_id: int.nullable().optional(),
});
export type SessionDoc = z.infer<typeof sessionSchema>;

/** One action item of a session, as coaches write them: at most 6 a session. */
export const actionItemWrite = z.strictObject({ task: text(500), done: z.boolean(), due: dateString.nullable() });
/** What a coach (or an admin) writes on a session: notes, its state and its action items. */
export const sessionWrite = clientWriteSchema(sessionSchema, {
  notes: text(TEXT.long).nullable(),
  status: text(TEXT.code).nullable(),
  action_items: z.array(actionItemWrite).max(6).nullable(),
});
export const sessions = defineCollection({
  collection: 'users/{uid}/sessions',
  idParam: 'sessionId',
  schema: sessionSchema,
  sources: ['me_sessions'],
  access: 'owner',
  idFrom: 'me_sessions.id',
  description: 'Coaching sessions of a client; the assigned coach (coach_id) reads and writes them.',
  clientWrite: sessionWrite,
});

export const lessonProgressSchema = z.strictObject({
  /** lesson_progress.id (the document id is the lesson id). */
  id,
  user_id: uid,
  lesson_id: id,
  last_position_sec: int.nullable(),
  completed: z.boolean().nullable(),
  last_watched_at: timestamp.nullable(),
  completion_date: timestamp.nullable(),
  /** How far the user got (0–100), as recordLessonProgress keeps it: it never goes down (absent on migrated rows). */
  progress_percent: z.int().min(0).max(100).nullable().optional(),
});
export const lessonProgress = defineCollection({
  collection: 'users/{uid}/lesson_progress',
  idParam: 'lessonId',
  schema: lessonProgressSchema,
  sources: ['lesson_progress'],
  access: 'owner',
  idFrom: 'lesson_progress.lesson_id (unique per user)',
  description: 'Playback progress per lesson.',
  clientWrite: lessonProgressSchema,
});

export const receiptSchema = z.strictObject({
  user_id: uid,
  order_id: id.nullable(),
  amount_minor: moneyMinor,
  currency: currencyCode,
  receipt_url: z.string().nullable(),
  issued_at: timestamp.nullable(),
  metadata: json.nullable(),
});
export type ReceiptDoc = z.infer<typeof receiptSchema>;
export const receipts = defineCollection({
  collection: 'users/{uid}/receipts',
  idParam: 'receiptId',
  schema: receiptSchema,
  sources: ['me_receipts'],
  access: 'owner',
  idFrom: 'me_receipts.id; receipts issued by a payment use the order id',
  description: 'Receipts of purchases; written by the server, read by their owner.',
});

export const inboxItemSchema = z.strictObject({
  user_id: uid,
  type: z.string().nullable(),
  title: z.string().nullable(),
  message: z.string(),
  action_url: z.string().nullable(),
  read: z.boolean().nullable(),
  read_at: timestamp.nullable(),
  metadata: json.nullable(),
  created_at: timestamp.nullable(),
  expires_at: timestamp.nullable(),
});
export type InboxItemDoc = z.infer<typeof inboxItemSchema>;

/** The fixed form of a notice's metadata as staff write it (the server's own notices may carry more). */
export const inboxMetadataWrite = z
  .strictObject({
    from: z.strictObject({ coach_id: uid, system: z.boolean() }).partial(),
    priority: z.enum(['low', 'normal', 'high']),
  })
  .partial();
export const inbox = defineCollection({
  collection: 'users/{uid}/inbox',
  idParam: 'itemId',
  schema: inboxItemSchema,
  sources: ['nudge_inbox'],
  access: 'owner',
  idFrom: 'nudge_inbox.id',
  description: 'In-app notifications; the owner may only mark them read (read, read_at).',
  clientWrite: clientWriteSchema(inboxItemSchema, {
    type: text(TEXT.code).nullable(),
    title: text(TEXT.name).nullable(),
    message: text(TEXT.paragraph),
    action_url: text(TEXT.url).nullable(),
    metadata: inboxMetadataWrite.nullable(),
  }),
});

export const pushSubscriptionSchema = z.strictObject({
  user_id: uid,
  endpoint: z.string(),
  p256dh: z.string(),
  auth: z.string(),
  user_agent: z.string().nullable(),
  active: z.boolean().nullable(),
  created_at: timestamp.nullable(),
  last_used_at: timestamp.nullable(),
});
export const pushSubscriptions = defineCollection({
  collection: 'users/{uid}/push_subscriptions',
  idParam: 'subscriptionId',
  schema: pushSubscriptionSchema,
  sources: ['push_subscriptions'],
  access: 'owner',
  idFrom: 'push_subscriptions.id',
  description: 'Web-push subscriptions of a signed-in user.',
  clientWrite: clientWriteSchema(pushSubscriptionSchema, {
    endpoint: text(TEXT.url),
    p256dh: text(256),
    auth: text(256),
    user_agent: text(512).nullable(),
  }),
});

/** push_subscriptions rows with no user_id (subscribed before signing in) have no user to live under. */
export const anonymousPushSubscriptions = defineCollection({
  collection: 'anonymous_push_subscriptions',
  idParam: 'subscriptionId',
  schema: pushSubscriptionSchema.extend({
    user_id: z.null(),
    /** The visitor's language (for broadcasts by language; absent on migrated rows). */
    lang: appLang.nullable().optional(),
  }),
  sources: ['push_subscriptions'],
  access: 'server-only',
  idFrom: 'push_subscriptions.id (rows whose user_id is NULL)',
  description: 'Web-push subscriptions that belong to no user; only the server sends to them.',
});

export const funnelProgressSchema = z.strictObject({
  user_id: uid,
  funnel_id: id,
  current_stage_id: id.nullable(),
  started_at: timestamp.nullable(),
  completed_at: timestamp.nullable(),
  metadata: json.nullable(),
});
export const funnelProgress = defineCollection({
  collection: 'users/{uid}/funnel_progress',
  idParam: 'progressId',
  schema: funnelProgressSchema,
  sources: ['user_funnel_progress'],
  access: 'owner',
  idFrom: 'user_funnel_progress.id',
  description: 'Where a user stands in each marketing funnel; the owner reads, admins write.',
  clientWrite: clientWriteSchema(funnelProgressSchema, { metadata: settingsJson.nullable() }),
});

export const referralSchema = z.strictObject({
  referrer_id: uid,
  referee_email: z.string(),
  referee_id: uid.nullable(),
  status: z.string().nullable(),
  reward_amount_minor: moneyMinor.nullable(),
  currency: currencyCode.nullable(),
  reward_claimed: z.boolean().nullable(),
  created_at: timestamp.nullable(),
  completed_at: timestamp.nullable(),
});
export const referrals = defineCollection({
  collection: 'users/{uid}/referrals',
  idParam: 'referralId',
  schema: referralSchema,
  sources: ['zg_referrals'],
  access: 'owner',
  idFrom: 'zg_referrals.id (under the referrer)',
  description: 'Referrals a user made; the referrer reads, admins write.',
  clientWrite: clientWriteSchema(referralSchema, { referee_email: text(320), status: text(TEXT.code).nullable() }),
});

/** `connected`: tokens work; `needs_reconnect`: the refresh failed for good, the owner connects again. */
export const SOCIAL_ACCOUNT_STATUSES = ['connected', 'needs_reconnect'] as const;
export const socialAccountStatus = z.enum(SOCIAL_ACCOUNT_STATUSES);

export const socialAccountSchema = z.strictObject({
  user_id: uid,
  platform: z.string(),
  platform_user_id: z.string().nullable(),
  username: z.string().nullable(),
  token_expires_at: timestamp.nullable(),
  active: z.boolean().nullable(),
  metadata: json.nullable(),
  created_at: timestamp.nullable(),
  updated_at: timestamp.nullable(),
  /** Set by the OAuth callback and the token refresh (absent on migrated accounts). */
  status: socialAccountStatus.optional(),
});
export type SocialAccountDoc = z.infer<typeof socialAccountSchema>;
export const socialAccounts = defineCollection({
  collection: 'users/{uid}/social_accounts',
  idParam: 'accountId',
  schema: socialAccountSchema,
  sources: ['social_accounts'],
  access: 'owner',
  idFrom: 'social_accounts.id',
  description: 'Connected social accounts, without their OAuth tokens (those live in social_account_tokens).',
  // No clientWrite: clients only read their accounts (firestore.rules); the OAuth callback, the token refresh and disconnectSocialAccount write them.
});

/** OAuth tokens are never readable by a client, not even their owner: they sit apart. */
export const socialAccountTokenSchema = z.strictObject({
  user_id: uid,
  account_id: id,
  /** AES-256-GCM envelopes (`zgt1.<key id>.…`) written by the functions; migrated tokens are plain text until refreshed. */
  access_token: z.string().nullable(),
  refresh_token: z.string().nullable(),
  /** The key id the envelopes were sealed with (null: plain text from the migration). */
  key_id: z.string().nullable().optional(),
  platform: z.string().optional(),
  token_expires_at: timestamp.nullable().optional(),
  /** When the refresh job should renew the tokens (null: nothing to do, e.g. the account needs reconnecting). */
  refresh_due_at: timestamp.nullable().optional(),
  /** Held by one refresh run at a time (refresh tokens are single-use on some platforms). */
  refresh_lease_until: timestamp.nullable().optional(),
  /** Temporary refresh failures in a row. */
  refresh_failures: int.optional(),
  updated_at: timestamp.nullable().optional(),
});
export type SocialAccountTokenDoc = z.infer<typeof socialAccountTokenSchema>;
export const socialAccountTokens = defineCollection({
  collection: 'social_account_tokens',
  idParam: 'accountId',
  schema: socialAccountTokenSchema,
  sources: ['social_accounts'],
  access: 'server-only',
  idFrom: 'social_accounts.id',
  description: 'OAuth access and refresh tokens of social accounts; Admin SDK only.',
});

/**
 * A post's life: `draft` (the owner edits it) → `scheduled` (scheduleSocialPost) → `publishing`
 * (taken by the publisher under a lease) → `published` | `failed`; `cancelled` by the owner until
 * it is taken. Migrated rows may hold other texts (the column is free text in Supabase). The
 * publisher's bookkeeping (due time, attempts, lease) is in social_publish_jobs, server only.
 */
export const SOCIAL_POST_STATUSES = ['draft', 'scheduled', 'publishing', 'published', 'failed', 'cancelled'] as const;
export const socialPostStatus = z.enum(SOCIAL_POST_STATUSES);
export type SocialPostStatus = z.infer<typeof socialPostStatus>;

export const socialPostSchema = z.strictObject({
  user_id: uid,
  account_id: id,
  platform: z.string(),
  content: z.string(),
  media_urls: stringArray.nullable(),
  status: z.string().nullable(),
  scheduled_for: timestamp.nullable(),
  published_at: timestamp.nullable(),
  platform_post_id: z.string().nullable(),
  error: z.string().nullable(),
  metadata: json.nullable(),
  created_at: timestamp.nullable(),
  updated_at: timestamp.nullable(),
});
export type SocialPostDoc = z.infer<typeof socialPostSchema>;
/** The fixed form of a social post's metadata (what publishing got back). */
export const socialPostMetadataWrite = z.strictObject({ response: z.strictObject({ id: text(TEXT.name), permalink: text(TEXT.url) }).partial() }).partial();
export const socialPosts = defineCollection({
  collection: 'users/{uid}/social_posts',
  idParam: 'postId',
  schema: socialPostSchema,
  sources: ['social_posts'],
  access: 'owner',
  idFrom: 'social_posts.id',
  description: 'Scheduled and published social media posts of a user.',
  clientWrite: clientWriteSchema(socialPostSchema, {
    platform: text(TEXT.code),
    content: text(TEXT.paragraph),
    media_urls: z.array(text(TEXT.url)).max(10).nullable(),
    status: text(TEXT.code).nullable(),
    platform_post_id: text(TEXT.name).nullable(),
    error: text(TEXT.paragraph).nullable(),
    metadata: socialPostMetadataWrite.nullable(),
  }),
});

export const aiSuggestionSchema = z.strictObject({
  /** The owner, found through profile_id → zg_profiles.user_id. */
  user_id: uid,
  profile_id: id,
  suggestion_type: z.string(),
  suggestion_lang: z.string().nullable(),
  content: json,
  expires_at: timestamp.nullable(),
  created_at: timestamp.nullable(),
});
export type AiSuggestionDoc = z.infer<typeof aiSuggestionSchema>;
/** The fixed form of a cached suggestion an admin edits (the AI job writes it from the server). */
export const aiSuggestionContentWrite = z
  .strictObject({
    items: z.array(z.strictObject({ text: text(1000), score: z.number().min(0).max(1).nullable(), tags: z.array(text(TEXT.tag)).max(3) }).partial()).max(3),
    model: text(100),
    version: z.int(),
  })
  .partial();
export const aiSuggestions = defineCollection({
  collection: 'users/{uid}/ai_suggestions',
  idParam: 'suggestionId',
  schema: aiSuggestionSchema,
  sources: ['ai_suggestions_cache'],
  access: 'owner',
  idFrom: 'ai_suggestions_cache.id',
  description: 'Cached AI suggestions for a user (keyed in Supabase by profile id).',
  clientWrite: clientWriteSchema(aiSuggestionSchema, {
    suggestion_type: text(TEXT.code),
    suggestion_lang: text(TEXT.code).nullable(),
    content: aiSuggestionContentWrite,
  }),
});

export const socialAnalyticsSchema = z.strictObject({
  post_id: id,
  impressions: int.nullable(),
  likes: int.nullable(),
  comments: int.nullable(),
  shares: int.nullable(),
  clicks: int.nullable(),
  engagement_rate: decimalString.nullable(),
  fetched_at: timestamp.nullable(),
  /** Written by the daily metrics job (absent on migrated rows): whose post, and the UTC day of the snapshot. */
  user_id: uid.optional(),
  account_id: id.optional(),
  platform: z.string().optional(),
  day: dateString.optional(),
});
export type SocialAnalyticsDoc = z.infer<typeof socialAnalyticsSchema>;
export const socialAnalytics = defineCollection({
  collection: 'social_analytics',
  idParam: 'analyticsId',
  schema: socialAnalyticsSchema,
  sources: ['social_analytics'],
  access: 'server-only',
  idFrom: 'social_analytics.id; the metrics job writes `{post id}_{YYYY-MM-DD}` (one snapshot per post and UTC day)',
  description: 'Metrics fetched from the platforms per social post; written and read by the server.',
});

/**
 * What an offer's lesson access names: `module:{lessons.module_id}` (every lesson of that module,
 * those added later included) or `lesson:{lesson id}`. The key is also the id of the user's pass.
 */
export const LESSON_ACCESS_KEY = /^(module|lesson):[^/]{1,200}$/;
export const lessonAccessKey = z
  .string()
  .regex(LESSON_ACCESS_KEY, "expected 'module:{module id}' or 'lesson:{lesson id}'")
  .meta({ examples: ['module:m-basics', 'lesson:l-intro'] });

/** The passes that could open a lesson: its own, and its module's. */
export function lessonAccessKeysOf(lessonId: string, moduleId: string | null): string[] {
  return moduleId ? [`lesson:${lessonId}`, `module:${moduleId}`] : [`lesson:${lessonId}`];
}

export const ENTITLEMENT_STATUSES = ['active', 'reduced', 'revoked'] as const;

/**
 * What one paid offer gave its buyer (one document per order line of an offer), written by the
 * server in the transaction that marks the order paid and kept in step with refunds: session
 * credits (used by Cal.com bookings of paid session types, given back on cancellation) and lesson
 * access until `expires_at`.
 */
export const entitlementSchema = z.strictObject({
  user_id: uid,
  order_id: id,
  offer_id: id,
  title: z.string(),
  /** active; reduced (a partial refund of an offer that prorates); revoked (refunded in full). */
  status: z.enum(ENTITLEMENT_STATUSES),
  starts_at: timestamp,
  /** The end of access and of the credits; null: no end (the offer has no duration_weeks). */
  expires_at: timestamp.nullable(),
  /** Session credits granted (after a reduction: what remains granted) and used so far. */
  sessions_total: z.int().min(0),
  sessions_used: z.int().min(0),
  /** Lesson passes it grants (LESSON_ACCESS_KEY). */
  lesson_access: z.array(lessonAccessKey),
  granted_at: timestamp,
  updated_at: timestamp,
  revoked_at: timestamp.nullable(),
  /** Why it was reduced or revoked. */
  note: z.string().nullable(),
});
export type EntitlementDoc = z.infer<typeof entitlementSchema>;
export const entitlements = defineCollection({
  collection: 'users/{uid}/entitlements',
  idParam: 'entitlementId',
  schema: entitlementSchema,
  sources: [],
  access: 'owner',
  idFrom: '`{order id}-{n}`: the n-th line of the order (one grant per paid offer line, so a repeated payment event grants nothing twice)',
  description: 'What a paid offer gave its buyer: session credits and lesson access for a time; the owner reads, only the server writes.',
});

/**
 * A lesson pass: the projection of a user's entitlements that the rules read (a rule can get one
 * document by its path, not query). `grants` holds the end of each entitlement that grants this
 * key (null: no end); `expires_at` is the latest of them; `active` is false once none grants it.
 */
export const lessonPassSchema = z.strictObject({
  user_id: uid,
  key: lessonAccessKey,
  active: z.boolean(),
  expires_at: timestamp.nullable(),
  grants: z.record(z.string(), timestamp.nullable()),
  updated_at: timestamp,
});
export type LessonPassDoc = z.infer<typeof lessonPassSchema>;
export const lessonAccess = defineCollection({
  collection: 'users/{uid}/lesson_access',
  idParam: 'accessKey',
  schema: lessonPassSchema,
  sources: [],
  access: 'owner',
  idFrom: 'the access key (`module:{id}` or `lesson:{id}`)',
  description: "Lesson passes (from entitlements) that the rules check before a paywalled lesson's media is read; the owner reads, only the server writes.",
});
