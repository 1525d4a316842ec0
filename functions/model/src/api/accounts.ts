import { z } from 'zod';
import { appRole, ianaTimeZone, json } from '../primitives.js';
import { defineCallable } from './contract.js';
import { docIdInput, isoTime, nextPageToken } from './common.js';
import { referralCodeInput } from '../growth.js';

/** A Firebase Auth uid given by a client. */
export const uidInput = docIdInput.max(128);

/** A locale hint as a browser gives it ("zh-Hant-TW", "en-GB", "fr"): stored as en, zh-CN or zh-TW (appLangOf), anything else as en. */
export const localeHintInput = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8}){0,4}$/, 'must be a locale such as "zh-TW" or "en-GB"');

/** An e-mail address given by a client (compared lower-case: Firebase Auth keeps addresses so). */
export const emailInput = z
  .string()
  .trim()
  .max(320)
  .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'must be an e-mail address')
  .transform((s) => s.toLowerCase());

export const profileView = z.strictObject({
  email: z.string().nullable(),
  email_verified: z.boolean(),
  name: z.string().nullable(),
  lang: z.string().nullable(),
  timezone: z.string().nullable(),
  roles: z.array(appRole),
  coach_id: z.string().nullable(),
});
export type ProfileView = z.infer<typeof profileView>;

export const ensureProfile = defineCallable({
  name: 'ensureProfile',
  access: 'signed-in',
  description:
    'Creates or repairs the caller’s users/{uid} (profile defaults, client role and grant, roles claim), syncs email/email_verified from the token, links guest records made with the verified e-mail, records a referral code; idempotent.',
  input: z
    .strictObject({
      /** The browser's locale: sets `lang` on a new profile (or one still on the sign-up defaults). */
      lang: localeHintInput.optional(),
      timezone: ianaTimeZone.optional(),
      /** The referral code the user came with; the first one given is kept for the referrals process. */
      referral_code: referralCodeInput.optional(),
    })
    .default({}),
  output: z.strictObject({
    uid: z.string(),
    /** This call made the profile (false: it existed, possibly made by the sign-up trigger). */
    created: z.boolean(),
    profile: profileView,
    /** A migrated account without a password: show the "set your password" flow (requestPasswordReset). */
    password_reset_required: z.boolean(),
    /** The roles claim changed: call `getIdToken(true)` so that rules and callables see it. */
    claims_updated: z.boolean(),
    /** Guest records made with the verified e-mail, now linked to this account by this call. */
    linked: z.strictObject({ orders: z.int(), bookings: z.int(), cal_bookings: z.int(), event_registrations: z.int() }),
    /** The referral code on record for this account (null: none given). */
    referral_code: z.string().nullable(),
  }),
});

export const requestPasswordReset = defineCallable({
  name: 'requestPasswordReset',
  access: 'public',
  description:
    'Queues a password-reset e-mail (template password_reset, a Firebase reset link) if the address has an account; answers the same whether it has or not. Rate-limited per IP.',
  input: z.strictObject({ email: emailInput }),
  output: z.strictObject({ accepted: z.literal(true) }),
});

export const setUserRoles = defineCallable({
  name: 'setUserRoles',
  access: 'admin',
  description:
    'Sets a user’s roles: the roles claim, users/{uid}.roles and role_grants together, an audit entry, and the refresh tokens revoked. The last admin cannot lose the role.',
  input: z.strictObject({
    uid: uidInput,
    roles: z.array(appRole).max(3),
  }),
  output: z.strictObject({
    uid: z.string(),
    roles: z.array(appRole),
    before: z.array(appRole),
    /** false: the user already had exactly these roles (nothing recorded, the claim checked). */
    changed: z.boolean(),
  }),
});

export const assignCoach = defineCallable({
  name: 'assignCoach',
  access: 'admin',
  description: 'Sets (or with null, clears) a client’s coach: their new Cal.com sessions get this coach unless the organizer is a coach.',
  input: z.strictObject({ client_uid: uidInput, coach_uid: uidInput.nullable() }),
  output: z.strictObject({ client_uid: z.string(), coach_id: z.string().nullable(), changed: z.boolean() }),
});

export const userSummary = z.strictObject({
  uid: z.string(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  roles: z.array(appRole),
  coach_id: z.string().nullable(),
  lang: z.string().nullable(),
  /** null: not known yet (a migrated profile that has not signed in since). */
  email_verified: z.boolean().nullable(),
  password_reset_required: z.boolean(),
  created_at: isoTime.nullable(),
});
export type UserSummary = z.infer<typeof userSummary>;

export const listUsers = defineCallable({
  name: 'listUsers',
  access: 'admin',
  description:
    'Users ordered by e-mail, optionally of one role; `query` matches the start of the e-mail (lower-cased) or of the name (as typed), a page at a time.',
  input: z
    .strictObject({
      query: z.string().trim().min(1).max(100).optional(),
      role: appRole.optional(),
      limit: z.int().min(1).max(100).default(50),
      /** next_page_token of the previous page. */
      page_token: z.string().min(1).max(1000).optional(),
    })
    .default({ limit: 50 }),
  output: z.strictObject({ users: z.array(userSummary), next_page_token: nextPageToken }),
});

export const EXPORT_FORMAT = 'zhengrowth-export/1';

export const exportedDocument = z.strictObject({
  id: z.string(),
  path: z.string(),
  /** The document's fields: jsonb fields decoded (model codec), Timestamps as ISO strings. */
  data: z.record(z.string(), json),
});

export const exportMyData = defineCallable({
  name: 'exportMyData',
  access: 'signed-in',
  description:
    'Everything held about the caller, as one JSON document: users/{uid} and its subcollections, and the orders, payments, bookings, registrations, community posts, comments and reports, leads, analytics events, AI logs and experiment assignments that name them. One per hour.',
  input: z.strictObject({}).default({}),
  output: z.strictObject({
    format: z.literal(EXPORT_FORMAT),
    generated_at: isoTime,
    uid: z.string(),
    /** users/{uid}, decoded; null if the profile is gone. */
    user: z.record(z.string(), json).nullable(),
    /** By collection path template (`users/{uid}/goals`, `orders`, `community_posts/{postId}/comments`…). */
    collections: z.record(z.string(), z.array(exportedDocument)),
  }),
});

export const deletionResult = z.strictObject({
  uid: z.string(),
  status: z.literal('deleted'),
  /** The id kept records (orders, payments, receipts, posts) now carry instead of the uid. */
  tombstone_id: z.string(),
});

export const deleteMyAccount = defineCallable({
  name: 'deleteMyAccount',
  access: 'signed-in',
  description:
    'Deletes the caller’s account (profile and its data, Auth user, push subscriptions); keeps orders, payments and receipts under a tombstone id with personal fields blanked and community posts as a deleted user’s. Needs a sign-in within the last 5 minutes.',
  input: z.strictObject({ confirm: z.literal('DELETE', { error: 'must be "DELETE"' }) }),
  output: deletionResult,
});

export const deleteUser = defineCallable({
  name: 'deleteUser',
  access: 'admin',
  description: 'deleteMyAccount for an admin acting on another account (the admin must have signed in within the last 5 minutes).',
  input: z.strictObject({ uid: uidInput }),
  output: deletionResult,
});
