import { z } from 'zod';
import { socialPostStatus } from '../collections/users.js';
import { defineCallable } from './contract.js';
import { docIdInput, isoTime } from './common.js';

/** The platforms the functions connect, publish to and measure (one adapter file each). */
export const SOCIAL_PLATFORMS = ['linkedin', 'x'] as const;
export const socialPlatform = z.enum(SOCIAL_PLATFORMS);
export type SocialPlatform = z.infer<typeof socialPlatform>;

export const startSocialConnect = defineCallable({
  name: 'startSocialConnect',
  access: 'signed-in',
  description:
    "Starts connecting a social account: the platform's OAuth page with a signed, single-use `state` (10 minutes). The platform sends the user back to socialOAuthCallback, which hands the web app a one-time `connect` token to complete it with (completeSocialConnect).",
  input: z.strictObject({ platform: socialPlatform }),
  output: z.strictObject({ platform: socialPlatform, authorize_url: z.string(), expires_at: isoTime }),
});

export const completeSocialConnect = defineCallable({
  name: 'completeSocialConnect',
  access: 'signed-in',
  description:
    "Completes a connect with the one-time `connect` token socialOAuthCallback put in the app's return URL: the account is attached only to the user who started it. Anyone else is refused (permission-denied) and the connect is discarded, so an authorize link sent to another person attaches nothing.",
  input: z.strictObject({ connect_token: z.string().min(20).max(200) }),
  output: z.strictObject({ platform: socialPlatform, account_id: z.string() }),
});

/** A social post as its owner sees it through the callables. */
export const socialPostView = z.strictObject({
  id: z.string(),
  account_id: z.string(),
  platform: z.string(),
  content: z.string(),
  /** Null for a migrated post whose status text is not one of ours. */
  status: socialPostStatus.nullable(),
  scheduled_for: isoTime.nullable(),
  published_at: isoTime.nullable(),
  platform_post_id: z.string().nullable(),
  error: z.string().nullable(),
  attempts: z.int(),
});
export type SocialPostView = z.infer<typeof socialPostView>;

export const scheduleSocialPost = defineCallable({
  name: 'scheduleSocialPost',
  access: 'signed-in',
  description:
    "Schedules (or reschedules) one of the caller's posts on its connected account: a draft, a scheduled, failed or cancelled post, never one the publisher has taken. Checks the account and the platform's length limit.",
  input: z.strictObject({ post_id: docIdInput, scheduled_for: isoTime }),
  output: socialPostView,
});

export const cancelSocialPost = defineCallable({
  name: 'cancelSocialPost',
  access: 'signed-in',
  description:
    "Cancels one of the caller's scheduled posts (or drafts) until the publisher takes it; `failed-precondition` once it is publishing or published.",
  input: z.strictObject({ post_id: docIdInput }),
  output: socialPostView,
});

export const disconnectSocialAccount = defineCallable({
  name: 'disconnectSocialAccount',
  access: 'signed-in',
  description: "Disconnects one of the caller's social accounts: its tokens are deleted and its scheduled posts cancelled.",
  input: z.strictObject({ account_id: docIdInput }),
  output: z.strictObject({ account_id: z.string(), cancelled_posts: z.int().min(0) }),
});

const MAX_RANGE_DAYS = 92;

const metricsView = z.strictObject({
  impressions: z.int().nullable(),
  likes: z.int().nullable(),
  comments: z.int().nullable(),
  shares: z.int().nullable(),
  clicks: z.int().nullable(),
});
/** One day's snapshot of a post's metrics (`day`: the UTC date it was fetched). */
const snapshotView = metricsView.extend({ engagement_rate: z.string().nullable(), fetched_at: isoTime, day: z.string() });

export const getSocialAnalytics = defineCallable({
  name: 'getSocialAnalytics',
  access: 'signed-in',
  description: `The caller's post metrics fetched between from and to (at most ${MAX_RANGE_DAYS} days): per post the daily snapshots and the latest, and totals over the latest snapshots.`,
  input: z
    .strictObject({ from: isoTime, to: isoTime })
    .refine((v) => Date.parse(v.to) > Date.parse(v.from), { message: 'must be after from', path: ['to'] })
    .refine((v) => Date.parse(v.to) - Date.parse(v.from) <= MAX_RANGE_DAYS * 86_400_000, {
      message: `the range is at most ${MAX_RANGE_DAYS} days`,
      path: ['to'],
    }),
  output: z.strictObject({
    from: isoTime,
    to: isoTime,
    totals: metricsView,
    posts: z.array(
      z.strictObject({
        post_id: z.string(),
        platform: z.string().nullable(),
        account_id: z.string().nullable(),
        latest: snapshotView,
        daily: z.array(snapshotView),
      }),
    ),
  }),
});
