/**
 * The growth processes' own state (new in Firebase, no Supabase table): referral codes and links,
 * public lead forms and a lead's history, funnel enrolments, the counts badges are awarded from,
 * analytics rollups, and the receipts that make triggers count each delivery once.
 */
import { z } from 'zod';
import { defineCollection } from '../collection.js';
import { dateString, id, int, stringArray, timestamp, uid } from '../primitives.js';

// ---- referrals ------------------------------------------------------------------------------------

/** A user's place in the referral programme: their own code, and who referred them (once). */
export const referralAccountSchema = z.strictObject({
  user_id: uid,
  /** The user's referral code (also the id of referral_codes/{code}). */
  code: z.string(),
  /** The referrer, set once by `claimReferral` or sign-up; never changes afterwards. */
  referred_by: uid.nullable(),
  /** users/{referred_by}/referrals/{referral_id}. */
  referral_id: id.nullable(),
  linked_at: timestamp.nullable(),
  created_at: timestamp,
});
export type ReferralAccountDoc = z.infer<typeof referralAccountSchema>;
export const referralAccounts = defineCollection({
  collection: 'referral_accounts',
  idParam: 'uid',
  schema: referralAccountSchema,
  sources: [],
  access: 'owner',
  idFrom: 'the uid',
  description: 'Each user’s referral code and referrer; the user reads their own, only the server writes.',
});

/** Code → owner: the document id makes codes unique. */
export const referralCodeSchema = z.strictObject({
  user_id: uid,
  created_at: timestamp,
});
export const referralCodes = defineCollection({
  collection: 'referral_codes',
  idParam: 'code',
  schema: referralCodeSchema,
  sources: [],
  access: 'server-only',
  idFrom: 'the code (random, 10 characters of an unambiguous alphabet)',
  description: 'Referral codes and their owners; Admin SDK only (a code is resolved by `claimReferral`, never listed).',
});

// ---- leads ----------------------------------------------------------------------------------------
/**
 * Double opt-in: whether an address has confirmed that it wants our e-mail. A lead's address gets
 * funnel e-mail only once confirmed, by the signed link of the one confirmation e-mail a form
 * sends (at most one a day per address), or by a signed-in submitter whose verified address it is.
 */
export const emailConsentSchema = z.strictObject({
  /** The address, lower-cased. */
  email: z.string(),
  confirmed_at: timestamp.nullable(),
  confirmed_via: z.enum(['link', 'verified_account']).nullable(),
  /** When the last confirmation e-mail was queued (the next may go a day later). */
  requested_at: timestamp.nullable(),
  /** Confirmation e-mails queued so far. */
  requests: int,
  created_at: timestamp,
  updated_at: timestamp,
});
export type EmailConsentDoc = z.infer<typeof emailConsentSchema>;
export const emailConsents = defineCollection({
  collection: 'email_consents',
  idParam: 'consentId',
  schema: emailConsentSchema,
  sources: [],
  access: 'server-only',
  idFrom: 'sha256 of the lower-cased address (40 hex digits)',
  description:
    'Double opt-in of lead addresses: confirmed by the signed link of a confirmation e-mail (`confirmLeadEmail`) or by the verified account that submitted the form. Funnels e-mail a lead only once its address is here, confirmed. Admin SDK only.',
});

/** A public form as the browser sends it; the server folds it into the one lead of its e-mail. */
export const leadFormSchema = z.strictObject({
  email: z.string(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  source: z.string().nullable(),
  /** The signed-in submitter, or null. */
  user_id: uid.nullable(),
  /** True when the submitter signed in with this very address, verified: no confirmation e-mail is needed. */
  account_verified: z.boolean().optional(),
  /** The coach or admin who entered the lead by hand (`addLead`); absent for a public form. */
  added_by: uid.nullable().optional(),
  created_at: timestamp,
});
export type LeadFormDoc = z.infer<typeof leadFormSchema>;
export const leadForms = defineCollection({
  collection: 'lead_forms',
  idParam: 'formId',
  schema: leadFormSchema,
  sources: [],
  access: 'server-only',
  idFrom: 'random (the `submitLead` and `addLead` callables)',
  description:
    'Public lead forms as submitted, and leads entered by staff (`addLead`), written by those callables only (limited per IP, App Check when enforced), which folds each into the lead of its e-mail (a trigger folds any it did not). Clients neither write nor read them: a direct door had none of the callable’s limits.',
});

export const LEAD_HISTORY_KINDS = ['form', 'assigned', 'stage'] as const;

/** A lead's way through the pipeline: `moveLead` allows these moves only (and no other writes the stage). */
export const LEAD_STAGES = ['new', 'contacted', 'qualified', 'proposal', 'won', 'lost'] as const;
export type LeadStage = (typeof LEAD_STAGES)[number];
export const LEAD_TRANSITIONS: Readonly<Record<LeadStage, readonly LeadStage[]>> = {
  new: ['contacted', 'qualified', 'lost'],
  contacted: ['qualified', 'lost'],
  qualified: ['proposal', 'won', 'lost'],
  proposal: ['won', 'lost', 'qualified'],
  won: [],
  lost: ['new'],
};
export const leadHistorySchema = z.strictObject({
  kind: z.enum(LEAD_HISTORY_KINDS),
  at: timestamp,
  /** The lead_forms document this entry folded in (kind form). */
  form_id: id.nullable(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  source: z.string().nullable(),
  /** The lead's fields this form filled (they were blank). */
  filled: stringArray,
  /** The coach the lead was given to (kind assigned). */
  owner: uid.nullable(),
  /** This form made the lead (kind form): a later fold of the same form can still say so. */
  made_lead: z.boolean().optional(),
  /** A move through the pipeline (kind stage): from, to, who moved it and why; `by` of a form is the staff member who entered it. */
  from_stage: z.string().nullable().optional(),
  to_stage: z.string().nullable().optional(),
  by: uid.nullable().optional(),
  note: z.string().nullable().optional(),
});
export type LeadHistoryDoc = z.infer<typeof leadHistorySchema>;
export const leadHistory = defineCollection({
  collection: 'leads/{leadId}/history',
  idParam: 'entryId',
  schema: leadHistorySchema,
  sources: [],
  access: 'staff',
  idFrom: '`form-{formId}` for a form, `assigned` for the assignment',
  description: 'Every form folded into a lead and its assignment; coaches and admins read, only the server writes.',
});

/** Round-robin state of lead assignment (one document, `coaches`). */
export const leadRoutingSchema = z.strictObject({
  last_owner: uid.nullable(),
  updated_at: timestamp,
});
export const leadRouting = defineCollection({
  collection: 'lead_routing',
  idParam: 'key',
  schema: leadRoutingSchema,
  sources: [],
  access: 'server-only',
  idFrom: '`coaches`',
  description: 'The coach the last new lead went to (round-robin); Admin SDK only.',
});

// ---- funnels --------------------------------------------------------------------------------------

/** One user or lead going through one funnel: what the scheduled advancer works from. */
export const funnelEnrolmentSchema = z.strictObject({
  funnel_id: id,
  subject: z.enum(['user', 'lead']),
  user_id: uid.nullable(),
  lead_id: id.nullable(),
  status: z.enum(['active', 'completed']),
  /** The domain event that enrolled it. */
  trigger_event: z.string(),
  event_id: z.string(),
  /** Stages already run, in order (each at most once). */
  done_stage_ids: stringArray,
  /** When the next stage is due (null once completed). */
  next_run_at: timestamp.nullable(),
  /** Tags its `tag` stages added. */
  tags: stringArray,
  started_at: timestamp,
  completed_at: timestamp.nullable(),
  updated_at: timestamp,
});
export type FunnelEnrolmentDoc = z.infer<typeof funnelEnrolmentSchema>;
export const funnelEnrolments = defineCollection({
  collection: 'funnel_enrolments',
  idParam: 'enrolmentId',
  schema: funnelEnrolmentSchema,
  sources: [],
  access: 'server-only',
  idFrom: '`{funnelId}:user:{uid}` or `{funnelId}:lead:{leadId}`: one enrolment per funnel and subject',
  description: 'Funnel enrolments of users and leads with their next due stage; Admin SDK only (users see theirs in users/{uid}/funnel_progress).',
});

// ---- badges -----------------------------------------------------------------------------------------

/** The counts badge criteria are written over, per user; moved once per domain event. */
export const userStatsSchema = z.strictObject({
  user_id: uid,
  counts: z.record(z.string(), z.int().min(0)),
  updated_at: timestamp,
});
export type UserStatsDoc = z.infer<typeof userStatsSchema>;
export const userStats = defineCollection({
  collection: 'user_stats',
  idParam: 'uid',
  schema: userStatsSchema,
  sources: [],
  access: 'owner',
  idFrom: 'the uid',
  description: 'Per-user counts that badges are awarded from (lessons completed, posts, …); the user reads their own, only the server writes.',
});

// ---- analytics ------------------------------------------------------------------------------------

/** One day of analytics_events (UTC), computed by the daily rollup from the raw events. */
export const analyticsRollupSchema = z.strictObject({
  day: dateString,
  events: int,
  unique_users: int,
  unique_sessions: int,
  /** How many distinct event names (each has a document under names/). */
  names: int,
  computed_at: timestamp,
});
export const analyticsRollups = defineCollection({
  collection: 'analytics_rollups',
  idParam: 'day',
  schema: analyticsRollupSchema,
  sources: [],
  access: 'staff',
  idFrom: 'the day, YYYY-MM-DD (UTC)',
  description: 'Daily totals of analytics_events; admins read, the daily job writes (a rerun rewrites the same day).',
});

export const analyticsRollupNameSchema = z.strictObject({
  day: dateString,
  event_name: z.string(),
  events: int,
  unique_users: int,
  unique_sessions: int,
});
export const analyticsRollupNames = defineCollection({
  collection: 'analytics_rollups/{day}/names',
  idParam: 'eventName',
  schema: analyticsRollupNameSchema,
  sources: [],
  access: 'staff',
  idFrom: 'the event name',
  description: 'One event name on one day: events and unique users; admins read.',
});
