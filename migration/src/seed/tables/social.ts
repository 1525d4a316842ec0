import type { DemoCounts } from '../counts.js';
import type { Random } from '../random.js';
import type { Row, TableRows } from '../rows.js';
import { paragraph } from '../text.js';
import { after, MICROS_PER_DAY, randomTime, timestamptz, type Timeline } from '../time.js';
import type { DemoUser, People } from './users.js';

const PLATFORMS = ['linkedin', 'instagram', 'x', 'facebook', 'wechat', 'xiaohongshu'];

interface Account {
  id: string;
  user: DemoUser;
  platform: string;
}

export function generateSocial(rng: Random, counts: DemoCounts, people: People, time: Timeline): { tables: TableRows[] } {
  const a = rng.fork('social_accounts');
  const accounts: Account[] = [];
  const accountRows: Row[] = [];
  for (let i = 0; i < counts.socialAccounts; i++) {
    // Mostly staff publish; a few clients connect accounts too.
    const user = a.chance(0.7) ? a.pick(people.staff) : a.pick(people.members);
    const platform = a.pick(PLATFORMS);
    const id = a.uuid();
    accounts.push({ id, user, platform });
    const created = randomTime(a, Math.max(user.createdAt, time.historyStart), time.now);
    accountRows.push({
      id,
      user_id: user.id,
      platform,
      platform_user_id: a.maybe(0.05, () => String(a.int(10_000_000, 999_999_999))),
      username: a.maybe(0.05, () => `${platform === 'wechat' ? 'wx_' : '@'}${a.token(8)}`),
      // Not real credentials: recognisable placeholders that the migration must still treat as secrets.
      access_token: a.maybe(0.1, () => `demo-access-${a.token(40)}`),
      refresh_token: a.maybe(0.3, () => `demo-refresh-${a.token(40)}`),
      token_expires_at: a.maybe(0.2, () => timestamptz(randomTime(a, time.now - 10 * MICROS_PER_DAY, time.now + 60 * MICROS_PER_DAY))),
      active: a.chance(0.85),
      metadata: { scopes: a.sample(['read', 'write', 'publish', 'insights'], a.int(1, 4)), profile: { followers: a.int(0, 50_000), verified: a.chance(0.1) } },
      created_at: timestamptz(created),
      updated_at: timestamptz(randomTime(a, created, time.now)),
    });
  }

  const p = rng.fork('social_posts');
  const published: Array<{ id: string; at: number }> = [];
  const postRows: Row[] = [];
  for (let i = 0; i < counts.socialPosts; i++) {
    const account = p.pick(accounts);
    // The first two are published so that even a tiny scale has analytics rows.
    const status =
      i < 2
        ? 'published'
        : p.weighted([
            ['published', 6],
            ['scheduled', 2],
            ['draft', 2],
            ['failed', 1],
          ]);
    const created = randomTime(p, time.now - 300 * MICROS_PER_DAY, time.now);
    const scheduled = status === 'draft' ? null : after(p, created, 600, 86_400 * 14);
    const id = p.uuid();
    if (status === 'published' && scheduled !== null) published.push({ id, at: scheduled });
    postRows.push({
      id,
      user_id: account.user.id,
      account_id: account.id,
      platform: account.platform,
      content: paragraph(p, account.user.lang),
      media_urls: p.chance(0.4) ? Array.from({ length: p.int(1, 4) }, () => `https://cdn.zhengrowth.demo/social/${p.token(10)}.jpg`) : [],
      status,
      scheduled_for: scheduled === null ? null : timestamptz(scheduled),
      published_at: status === 'published' && scheduled !== null ? timestamptz(scheduled) : null,
      platform_post_id: status === 'published' ? String(p.int(100_000_000, 999_999_999)) : null,
      error: status === 'failed' ? p.pick(['token expired', 'rate limited (429)', 'media too large']) : null,
      metadata: status === 'published' ? { response: { id: p.token(12), permalink: `https://social.example/${p.token(8)}` } } : {},
      created_at: timestamptz(created),
      updated_at: timestamptz(scheduled ?? created),
    });
  }

  const s = rng.fork('social_analytics');
  const analyticsRows: Row[] = published.map((post) => {
    const impressions = s.int(50, 80_000);
    const likes = s.int(0, Math.floor(impressions / 10));
    const comments = s.int(0, Math.floor(likes / 4));
    const shares = s.int(0, Math.floor(likes / 5));
    return {
      id: s.uuid(),
      post_id: post.id,
      impressions,
      likes,
      comments,
      shares,
      clicks: s.int(0, Math.floor(impressions / 20)),
      // A percentage with four decimals, exact text: not money, but must not pass through a float.
      engagement_rate: s.chance(0.05) ? null : (Math.round(((likes + comments + shares) / impressions) * 1_000_000) / 10_000).toFixed(4),
      fetched_at: timestamptz(after(s, post.at, 3600, 86_400 * 7)),
    };
  });

  return {
    tables: [
      { table: 'public.social_accounts', rows: accountRows },
      { table: 'public.social_posts', rows: postRows },
      { table: 'public.social_analytics', rows: analyticsRows },
    ],
  };
}
