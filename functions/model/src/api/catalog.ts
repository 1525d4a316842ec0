/**
 * Admin callables for the documents whose values must stay unique (the seed's unique constraints):
 * they create and rename them in a transaction with a uniqueness index entry (unique_keys), which
 * direct client writes cannot do — the rules refuse creating these documents and changing the
 * unique fields from a client.
 */
import { z } from 'zod';
import { currencyCode, decimalString, json } from '../primitives.js';
import { experimentConfig } from '../growth.js';
import { defineCallable } from './contract.js';
import { docIdInput, isoTime } from './common.js';

const saved = z.strictObject({ id: z.string(), created: z.boolean() });
/** The document to update; absent: a new one. */
const target = { id: docIdInput.optional() };
const text = (max: number) => z.string().trim().min(1).max(max);

export const COUPON_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const saveCoupon = defineCallable({
  name: 'saveCoupon',
  access: 'admin',
  description: 'Creates or edits a coupon; its code (stored upper-case) is unique. Counters are the server’s.',
  input: z
    .strictObject({
      ...target,
      code: z.string().trim().regex(COUPON_CODE, 'letters, digits, - and _ (up to 64)').toUpperCase(),
      discount_type: z.enum(['percent', 'fixed']),
      discount_percent: decimalString.nullable().default(null),
      discount_amount_minor: z.int().positive().nullable().default(null),
      currency: currencyCode.nullable().default(null),
      max_uses: z.int().positive().nullable().default(null),
      valid_from: isoTime.nullable().default(null),
      valid_until: isoTime.nullable().default(null),
      active: z.boolean().default(true),
      metadata: json.nullable().default(null),
    })
    .refine((c) => (c.discount_type === 'percent' ? c.discount_percent !== null : c.discount_amount_minor !== null && c.currency !== null), {
      message: 'a percent coupon needs discount_percent; a fixed one discount_amount_minor and currency',
      path: ['discount_type'],
    }),
  output: saved,
});

export const saveExperiment = defineCallable({
  name: 'saveExperiment',
  access: 'admin',
  description:
    'Creates or edits an experiment; its key is unique. Its config names the variants and their weights (at least one above 0), as getAssignments reads them.',
  input: z.strictObject({
    ...target,
    key: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'letters, digits, ., - and _ (up to 100)'),
    name: text(200),
    enabled: z.boolean().default(false),
    config: json
      .nullable()
      .default(null)
      .superRefine((v, ctx) => {
        // Stored as JSON (other keys, such as audience, are kept), read by getAssignments as experimentConfig.
        if (v === null) return;
        for (const issue of experimentConfig.safeParse(v).error?.issues ?? []) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      }),
  }),
  output: saved,
});

export const saveI18nEntry = defineCallable({
  name: 'saveI18nEntry',
  access: 'admin',
  description: 'Creates or edits a translation; (lang, ns, key) is unique.',
  input: z.strictObject({ ...target, lang: text(20), ns: text(100), key: text(300), value: z.string().max(20_000) }),
  output: saved,
});

export const saveSocialTemplate = defineCallable({
  name: 'saveSocialTemplate',
  access: 'admin',
  description: 'Creates or edits a social media template (blog_templates); (platform, locale, name) is unique, a missing locale counting as one value.',
  input: z.strictObject({
    ...target,
    platform: text(50),
    locale: text(20).nullable().default(null),
    name: text(200),
    template: z.string().min(1).max(20_000),
    variables: json.nullable().default(null),
    active: z.boolean().default(true),
  }),
  output: saved,
});

const syncCount = z.int().min(0);
export const syncCalEventTypes = defineCallable({
  name: 'syncCalEventTypes',
  access: 'admin',
  description:
    'Pulls the event types from Cal.com now, as the daily sync does: new ones created, changed ones updated, ones gone from Cal.com (or hidden there) inactive. The outcome is recorded in integration_syncs/cal_event_types; a failure of Cal.com is `unavailable` (a refused API key `failed-precondition`), recorded, and told to the admins once until a sync succeeds again.',
  input: z.strictObject({}),
  output: z.strictObject({
    fetched: syncCount,
    created: syncCount,
    updated: syncCount,
    deactivated: syncCount,
    unchanged: syncCount,
    skipped: syncCount,
  }),
});
