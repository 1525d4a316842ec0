import { Timestamp } from 'firebase-admin/firestore';
import { socialAnalytics, socialAnalyticsOfUser, type getSocialAnalytics as contract, type SocialAnalyticsDoc } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import type { Deps } from '../core/deps.js';
import { buildQuery } from '../core/query.js';

const COUNTS = ['impressions', 'likes', 'comments', 'shares', 'clicks'] as const;
type Counts = Record<(typeof COUNTS)[number], number | null>;

function snapshot(d: SocialAnalyticsDoc) {
  return {
    impressions: d.impressions,
    likes: d.likes,
    comments: d.comments,
    shares: d.shares,
    clicks: d.clicks,
    engagement_rate: d.engagement_rate,
    fetched_at: (d.fetched_at as Timestamp).toDate().toISOString(),
    day: d.day ?? (d.fetched_at as Timestamp).toDate().toISOString().slice(0, 10),
  };
}

/** Sums that stay null when no post has the figure (LinkedIn gives no impressions to members). */
function totals(list: Counts[]): Counts {
  const out = {} as Counts;
  for (const k of COUNTS) {
    const known = list.map((c) => c[k]).filter((v): v is number => v !== null);
    out[k] = known.length ? known.reduce((a, b) => a + b, 0) : null;
  }
  return out;
}

/** getSocialAnalytics: the caller's own snapshots fetched in [from, to), per post, with totals over each post's latest. */
export const getSocialAnalytics: CallableHandler<typeof contract, Deps> = async (input, caller, deps) => {
  const snap = await buildQuery(deps.db, socialAnalyticsOfUser, [caller.uid, Timestamp.fromDate(new Date(input.from)), Timestamp.fromDate(new Date(input.to))])
    .withConverter(socialAnalytics.converter)
    .get();
  const byPost = new Map<string, SocialAnalyticsDoc[]>();
  for (const d of snap.docs) {
    const doc = d.data();
    byPost.set(doc.post_id, [...(byPost.get(doc.post_id) ?? []), doc]);
  }
  const posts = [...byPost.entries()].map(([postId, list]) => {
    const daily = list.map(snapshot);
    const latest = daily[daily.length - 1] as (typeof daily)[number];
    return { post_id: postId, platform: list[0]?.platform ?? null, account_id: list[0]?.account_id ?? null, latest, daily };
  });
  return { from: input.from, to: input.to, totals: totals(posts.map((p) => p.latest)), posts };
};
