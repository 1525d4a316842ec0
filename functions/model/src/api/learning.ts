import { z } from 'zod';
import { ENTITLEMENT_STATUSES } from '../collections/users.js';
import { defineCallable } from './contract.js';
import { docIdInput, isoTime } from './common.js';

export const entitlementView = z.strictObject({
  id: z.string(),
  order_id: z.string(),
  offer_id: z.string(),
  title: z.string(),
  status: z.enum(ENTITLEMENT_STATUSES),
  /** In force now: not revoked and not past expires_at. */
  active: z.boolean(),
  starts_at: isoTime,
  expires_at: isoTime.nullable(),
  sessions_total: z.int(),
  sessions_used: z.int(),
  sessions_left: z.int(),
  lesson_access: z.array(z.string()),
});
export type EntitlementView = z.infer<typeof entitlementView>;

export const listMyEntitlements = defineCallable({
  name: 'listMyEntitlements',
  access: 'signed-in',
  description: "The caller's entitlements (what their paid offers granted), newest first, with session credits left and lesson access.",
  input: z.strictObject({}).default({}),
  output: z.strictObject({ entitlements: z.array(entitlementView) }),
});

export const recordLessonProgress = defineCallable({
  name: 'recordLessonProgress',
  access: 'signed-in',
  description:
    'Records how far the caller got in a lesson they may play; progress never goes down; at 100 the lesson is completed once (completion_date, and the lesson_completed domain event).',
  input: z.strictObject({
    lesson_id: docIdInput,
    progress_percent: z.int().min(0).max(100),
    /** Where playback stands, for resuming. */
    position_sec: z.int().min(0).max(86_400).optional(),
  }),
  output: z.strictObject({
    lesson_id: z.string(),
    progress_percent: z.int(),
    completed: z.boolean(),
    completion_date: isoTime.nullable(),
  }),
});
