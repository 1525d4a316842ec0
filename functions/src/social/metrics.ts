/**
 * fetchSocialMetrics (daily): for every post published in the last 30 days, the platform's
 * counts, one social_analytics snapshot per post and UTC day (`{post id}_{YYYY-MM-DD}`): a rerun
 * on the same day rewrites the same document, never adds one. A post that cannot be measured now
 * is skipped and logged; the others go on.
 */
import { Timestamp, type Query } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions/logger';
import { socialAnalytics, socialPlatform, socialPosts, socialPostsPublishedSince, type SocialAnalyticsDoc } from '@zhengrowth/model';
import { buildQuery } from '../core/query.js';
import type { SocialDeps } from './deps.js';
import { PlatformError } from './platforms/http.js';
import type { PostMetrics } from './platforms/types.js';
import { readTokens } from './tokens.js';

export const METRICS_WINDOW_DAYS = 30;
const PAGE = 200;

export interface MetricsReport {
  posts: number;
  stored: number;
  skipped: number;
}

/** (likes + comments + shares) / impressions, in percent with 4 decimals, as exact text; null without impressions. */
export function engagementRate(m: PostMetrics): string | null {
  if (!m.impressions) return null;
  const engaged = (m.likes ?? 0) + (m.comments ?? 0) + (m.shares ?? 0);
  return ((engaged * 100) / m.impressions).toFixed(4);
}

export const analyticsId = (postId: string, day: string): string => `${postId}_${day}`;

async function measure(deps: SocialDeps, uid: string, postId: string, raw: unknown, now: Date): Promise<boolean> {
  const post = socialPosts.schema.safeParse(raw);
  const platform = socialPlatform.safeParse(post.success ? post.data.platform : null);
  if (!post.success || !platform.success || !post.data.platform_post_id) return false;
  const tokens = await readTokens(deps.db, deps.keyring(), post.data.account_id);
  if (!tokens?.access) return false;
  const m = await deps.platforms(platform.data).metrics({ accessToken: tokens.access, platformPostId: post.data.platform_post_id });
  const day = now.toISOString().slice(0, 10);
  const doc: SocialAnalyticsDoc = {
    post_id: postId,
    ...m,
    engagement_rate: engagementRate(m),
    fetched_at: Timestamp.fromDate(now),
    user_id: uid,
    account_id: post.data.account_id,
    platform: platform.data,
    day,
  };
  await deps.db
    .doc(socialAnalytics.docPath({ analyticsId: analyticsId(postId, day) }))
    .withConverter(socialAnalytics.converter)
    .set(doc);
  return true;
}

export async function fetchSocialMetrics(deps: SocialDeps): Promise<MetricsReport> {
  const now = deps.now();
  const since = Timestamp.fromMillis(now.getTime() - METRICS_WINDOW_DAYS * 86_400_000);
  const report: MetricsReport = { posts: 0, stored: 0, skipped: 0 };
  let q: Query = buildQuery(deps.db, socialPostsPublishedSince, ['published', since]).limit(PAGE);
  for (;;) {
    const page = await q.get();
    for (const d of page.docs) {
      report.posts += 1;
      const uid = d.ref.parent.parent?.id ?? '';
      try {
        if (await measure(deps, uid, d.id, d.data(), now)) report.stored += 1;
        else report.skipped += 1;
      } catch (err) {
        report.skipped += 1;
        logger.warn('metrics of a social post not fetched', { post: d.ref.path, code: err instanceof PlatformError ? err.code : 'error' });
      }
    }
    const last = page.docs[page.docs.length - 1];
    if (page.size < PAGE || !last) break;
    q = q.startAfter(last);
  }
  logger.info('social metrics fetched', { ...report });
  return report;
}
