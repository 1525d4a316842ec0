import { z } from 'zod';
import { currencyCode, moneyMinor } from '../primitives.js';
import { ANALYTICS_BATCH_MAX, ANALYTICS_EVENT_NAME, referralCodeInput } from '../growth.js';
import { defineCallable } from './contract.js';
import { docIdInput, isoTime } from './common.js';

// ---- referrals ------------------------------------------------------------------------------------

export const getMyReferralCode = defineCallable({
  name: 'getMyReferralCode',
  access: 'signed-in',
  description: 'The caller’s referral code (made on first use: stable, random, unique), and whether someone referred them.',
  input: z.strictObject({}).default({}),
  output: z.strictObject({ code: z.string(), referred: z.boolean() }),
});

export const claimReferral = defineCallable({
  name: 'claimReferral',
  access: 'signed-in',
  description: 'Links the caller to the owner of a referral code, once, within 7 days of sign-up: never one’s own code, never a second referrer, never a loop.',
  input: z.strictObject({ code: referralCodeInput }),
  output: z.strictObject({ referral_id: z.string(), status: z.string() }),
});

export const claimReferralReward = defineCallable({
  name: 'claimReferralReward',
  access: 'signed-in',
  description:
    'The referrer turns a converted referral’s reward into a single-use coupon (the amount in the referee’s order currency), exactly once; a repeat answers the same coupon.',
  input: z.strictObject({ referral_id: docIdInput }),
  output: z.strictObject({ coupon_code: z.string(), amount_minor: moneyMinor, currency: currencyCode, already_claimed: z.boolean() }),
});

// ---- experiments ----------------------------------------------------------------------------------

/** A visitor's id before sign-in, chosen by the browser (kept in local storage). */
export const anonymousIdInput = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'must be 8 to 100 letters, digits, - or _');

export const getAssignments = defineCallable({
  name: 'getAssignments',
  access: 'public',
  description:
    'The caller’s sticky variant of each enabled experiment named (signed in: by uid, adopting the anonymous visitor’s assignment; else by anonymous_id). Unknown or disabled keys are left out.',
  input: z.strictObject({
    keys: z.array(z.string().min(1).max(100)).min(1).max(20),
    anonymous_id: anonymousIdInput.optional(),
  }),
  output: z.strictObject({ assignments: z.record(z.string(), z.string()) }),
});

// ---- analytics ------------------------------------------------------------------------------------

export const trackEventInput = z.strictObject({
  name: z.string().regex(ANALYTICS_EVENT_NAME, 'must be lower-case snake case (a-z, 0-9, _), a letter first, at most 64 characters'),
  /** Up to 50 keys, at most 4 KB as JSON; no nesting deeper than 5 levels. */
  properties: z.record(z.string().max(100), z.unknown()).optional(),
  session_id: z.string().min(1).max(100).optional(),
  page_url: z.string().max(2048).optional(),
  referrer: z.string().max(2048).optional(),
  /** The browser's clock, kept as a property (`client_time`) for reference: created_at is always the server's. */
  client_time: isoTime.optional(),
});
export type TrackEventInput = z.infer<typeof trackEventInput>;

export const track = defineCallable({
  name: 'track',
  access: 'public',
  description:
    'Stores a batch of analytics events (1 to 50) with the server’s time, the caller’s IP prefix and user agent, and the signed-in uid; rate-limited per IP.',
  input: z.strictObject({ events: z.array(trackEventInput).min(1).max(ANALYTICS_BATCH_MAX) }),
  output: z.strictObject({ accepted: z.int() }),
});

// ---- leads ----------------------------------------------------------------------------------------

/** What a public form collects (the rules hold lead_forms to the same limits). */
export const leadFormInput = z.strictObject({
  email: z
    .string()
    .trim()
    .max(320)
    .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'must be an e-mail address'),
  name: z.string().trim().min(1).max(200).optional(),
  phone: z.string().trim().min(1).max(50).optional(),
  source: z.string().trim().min(1).max(100).optional(),
});

export const submitLead = defineCallable({
  name: 'submitLead',
  access: 'public',
  description:
    'A public lead form: folded into the one lead of its lower-cased e-mail (a newer form fills blanks and is kept in the lead’s history), as a lead_forms create is. Never says whether the address was known.',
  input: leadFormInput,
  output: z.strictObject({ received: z.literal(true) }),
});

export const confirmLeadEmail = defineCallable({
  name: 'confirmLeadEmail',
  access: 'public',
  description:
    'The signed link of a lead’s confirmation e-mail (double opt-in): the address confirms that it wants our e-mail, and the lead enters the funnels that start on lead_created. A repeat changes nothing; a forged or expired link is permission-denied. Rate-limited.',
  input: z.strictObject({ token: z.string().min(20).max(2000) }),
  output: z.strictObject({ confirmed: z.literal(true) }),
});

// ---- badges ---------------------------------------------------------------------------------------

export const awardBadge = defineCallable({
  name: 'awardBadge',
  access: 'admin',
  description: 'Awards a badge by hand (exactly once per user and badge: a repeat changes nothing), with an inbox notice.',
  input: z.strictObject({ uid: docIdInput, badge_code: docIdInput, note: z.string().trim().max(500).optional() }),
  output: z.strictObject({ awarded: z.boolean(), award_id: z.string() }),
});
