/**
 * The growth processes' rules that the web app and the server share: the referral terms, the badge
 * criteria language, the shape of an experiment's config, funnel stage actions, and what a valid
 * analytics event name is. Schemas of stored json fields are parsed where they are used, so a bad
 * definition is skipped (and logged) instead of breaking the process for everyone.
 */
import { z } from 'zod';

// ---- referrals ------------------------------------------------------------------------------------

/** A referral code may be claimed up to this many days after the referee signed up. */
export const REFERRAL_CLAIM_DAYS = 7;
/** The referrer's reward: this share of the referee's first paid order, in its currency (whole minor units, at least 1). */
export const REFERRAL_REWARD_PERCENT = 10;
/** Referral statuses (the seed's vocabulary): linked at sign-up or claim, then converted by the first paid order. */
export const REFERRAL_STATUS = { linked: 'signed_up', completed: 'converted' } as const;

/** A code as people type it: letters and digits, case-insensitive (stored upper-case). */
export const referralCodeInput = z
  .string()
  .trim()
  .min(6)
  .max(20)
  .regex(/^[A-Za-z0-9]+$/, 'must be letters and digits')
  .transform((s) => s.toUpperCase());

// ---- badges ---------------------------------------------------------------------------------------

/**
 * The counts a badge criterion can name, and the domain event that moves each by one:
 * `events_registered` counts registrations (free and paid), `events_attended` check-ins at the door,
 * `sessions_attended` coaching sessions that took place.
 */
export const BADGE_METRICS = {
  lessons_completed: 'lesson_completed',
  sessions_attended: 'session_attended',
  events_registered: 'event_registered',
  events_attended: 'event_attended',
  posts: 'post_created',
  referrals_completed: 'referral_completed',
  purchases: 'purchase',
} as const;
export type BadgeMetric = keyof typeof BADGE_METRICS;
export const badgeMetric = z.enum(Object.keys(BADGE_METRICS) as [BadgeMetric, ...BadgeMetric[]]);

/** `{"metric": "lessons_completed", "gte": 10}`: the user's count of that metric is at least `gte`. */
export const badgeCondition = z.strictObject({ metric: badgeMetric, gte: z.int().min(1).max(1_000_000) });
export type BadgeCondition = z.infer<typeof badgeCondition>;

/**
 * The criteria language of `badges.criteria` (docs/community-growth.md, "Badges"):
 *   - a condition `{"metric": M, "gte": N}`;
 *   - `{"all": [c, …]}` — every condition holds; `{"any": [c, …]}` — at least one does (1 to 10 conditions, no nesting);
 *   - `{"manual": true}` — never automatic: only an admin awards it (`awardBadge`).
 * A badge whose criteria is none of these (such as the migrated seed's `{type, threshold, …}`) is
 * awarded by hand only, and the awarding job logs it once per run.
 */
export const badgeCriteria = z.union([
  badgeCondition,
  z.strictObject({ all: z.array(badgeCondition).min(1).max(10) }),
  z.strictObject({ any: z.array(badgeCondition).min(1).max(10) }),
  z.strictObject({ manual: z.literal(true) }),
]);
export type BadgeCriteria = z.infer<typeof badgeCriteria>;

export function conditionsOf(c: BadgeCriteria): BadgeCondition[] {
  if ('manual' in c) return [];
  if ('all' in c) return c.all;
  if ('any' in c) return c.any;
  return [c];
}

/** Whether counts satisfy criteria (a manual badge never is). */
export function criteriaMet(c: BadgeCriteria, counts: Readonly<Record<string, number>>): boolean {
  const holds = (k: BadgeCondition): boolean => (counts[k.metric] ?? 0) >= k.gte;
  if ('manual' in c) return false;
  if ('any' in c) return c.any.some(holds);
  if ('all' in c) return c.all.every(holds);
  return holds(c);
}

// ---- experiments ----------------------------------------------------------------------------------

/** `experiments.config`: the variants and their relative weights (other keys, such as audience, are kept and ignored). */
export const experimentConfig = z.looseObject({
  variants: z
    .array(z.strictObject({ key: z.string().min(1).max(100), weight: z.number().min(0).max(1_000_000) }))
    .min(1)
    .max(20)
    .refine((vs) => vs.some((v) => v.weight > 0), 'at least one variant needs a weight above 0')
    .refine((vs) => new Set(vs.map((v) => v.key)).size === vs.length, 'variant keys must be unique'),
});
export type ExperimentConfig = z.infer<typeof experimentConfig>;

// ---- funnels --------------------------------------------------------------------------------------

/** The domain events funnels can start on (`funnels.trigger_event`). */
export const FUNNEL_TRIGGERS = ['signup', 'lead_created', 'purchase', 'event_registered', 'event_attended', 'lesson_completed', 'session_attended'] as const;

/** `funnel_stages.action_type` with its `action_config`. */
export const funnelStageAction = z.discriminatedUnion('action_type', [
  /** Queue the e-mail template to the user's or lead's address. */
  z.object({ action_type: z.literal('email'), action_config: z.looseObject({ template_slug: z.string().min(1).max(100) }) }),
  /** Put a notice in the user's inbox (leads have none: skipped). */
  z.object({
    action_type: z.literal('nudge'),
    action_config: z.looseObject({
      title: z.string().max(200).optional(),
      message: z.string().max(2000).optional(),
      action_url: z.string().max(2000).optional(),
    }),
  }),
  /** Add tags to the lead (and to the enrolment). */
  z.object({ action_type: z.literal('tag'), action_config: z.looseObject({ add: z.array(z.string().min(1).max(50)).max(20).default([]) }) }),
  /** Nothing: only the delay. */
  z.object({ action_type: z.literal('wait'), action_config: z.unknown() }),
]);
export type FunnelStageAction = z.infer<typeof funnelStageAction>;

// ---- analytics ------------------------------------------------------------------------------------

/** Event names: lower-case snake case, a letter first, at most 64 characters (`page_view`, `cta_click`). */
export const ANALYTICS_EVENT_NAME = /^[a-z][a-z0-9_]{0,63}$/;
/** At most this many events per `track` call. */
export const ANALYTICS_BATCH_MAX = 50;
/** One event's properties, as JSON text, at most this many bytes. */
export const ANALYTICS_PROPERTIES_MAX_BYTES = 4096;
