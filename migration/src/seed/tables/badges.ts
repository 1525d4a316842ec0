import type { DemoCounts } from '../counts.js';
import type { Random } from '../random.js';
import type { Row, TableRows } from '../rows.js';
import { after, timestamptz, type Timeline } from '../time.js';
import type { People } from './users.js';

const BADGES: ReadonlyArray<readonly [code: string, name: string, description: string]> = [
  ['first_session', 'First Session', 'Completed a first coaching session.'],
  ['streak_7', '7-Day Streak', '连续七天完成每日练习。'],
  ['streak_30', '30-Day Streak', '連續三十天完成每日練習。'],
  ['goal_setter', 'Goal Setter', 'Set three personal goals.'],
  ['goal_achiever', 'Goal Achiever', '完成第一个目标。'],
  ['lesson_10', 'Curious Mind', 'Finished ten lessons.'],
  ['lesson_50', 'Lifelong Learner', '完成五十堂課程。'],
  ['community_voice', 'Community Voice', 'Published a first community post.'],
  ['helpful_peer', 'Helpful Peer', 'Received 25 likes on comments.'],
  ['early_bird', 'Early Bird', 'Joined during the beta.'],
  ['referral_star', 'Referral Star', '成功推荐三位朋友。'],
  ['event_goer', 'Event Goer', 'Attended a live event.'],
];

export function generateBadges(rng: Random, counts: DemoCounts, people: People, time: Timeline): { tables: TableRows[] } {
  const r = rng.fork('badges');
  const badgeRows: Row[] = BADGES.map(([code, name, description], i) => ({
    code,
    name,
    description,
    icon: r.maybe(0.15, () => `https://cdn.zhengrowth.demo/badges/${code}.svg`),
    criteria: {
      type: r.pick(['count', 'streak', 'event']),
      threshold: r.int(1, 50),
      window: { days: r.pick([7, 30, 365]) },
      tags: r.sample(['habit', 'learning', 'social'], 2),
    },
    // One retired badge: awarded once, no longer earnable.
    active: i !== BADGES.length - 1,
  }));

  const u = rng.fork('user_badges');
  const awards: Row[] = [];
  const seen = new Set<string>();
  for (let tries = 0; awards.length < counts.userBadges && tries < counts.userBadges * 5; tries++) {
    const user = u.pick(people.members);
    const [code] = u.pick(BADGES);
    const key = `${user.id}/${code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    awards.push({
      id: u.uuid(),
      user_id: user.id,
      badge_code: code,
      awarded_at: timestamptz(after(u, user.createdAt, 3600, Math.max(7200, (time.now - user.createdAt) / 1e6))),
      metadata: u.chance(0.5) ? { progress: { current: u.int(1, 60), target: 50 }, note: u.pick(['auto', 'manual', '手动颁发']) } : {},
    });
  }
  return {
    tables: [
      { table: 'public.badges', rows: badgeRows },
      { table: 'public.user_badges', rows: awards },
    ],
  };
}
