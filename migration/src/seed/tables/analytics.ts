import type { DemoCounts } from '../counts.js';
import type { Random } from '../random.js';
import type { Json, Row, TableRows } from '../rows.js';
import { after, MICROS_PER_DAY, randomTime, timestamptz, type Timeline } from '../time.js';
import type { People } from './users.js';

const EVENTS: ReadonlyArray<readonly [string, number]> = [
  ['page_view', 60],
  ['lesson_started', 8],
  ['lesson_completed', 4],
  ['cta_click', 8],
  ['search', 5],
  ['signup', 1],
  ['checkout_started', 2],
  ['purchase', 1],
  ['booking_created', 1],
  ['share', 2],
  ['video_progress', 8],
];
const PAGES = ['/', '/blog', '/lessons', '/coaching', '/events', '/community', '/pricing', '/zh-CN/blog', '/zh-TW/課程', '/account'];
const REFERRERS = ['https://www.google.com/', 'https://www.baidu.com/', 'https://l.instagram.com/', 'https://weixin.qq.com/', 'https://t.co/'];
const USER_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
];
const EXPERIMENTS = [
  ['pricing_page_v2', 'Pricing page v2', ['control', 'annual_first']],
  ['onboarding_checklist', 'Onboarding checklist', ['control', 'checklist']],
  ['hero_copy_zh', '首页标语测试', ['control', 'variant_a', 'variant_b']],
  ['checkout_one_step', 'One-step checkout', ['control', 'one_step']],
  ['lesson_autoplay', 'Lesson autoplay', ['off', 'on']],
  ['community_digest', '社群週報', ['control', 'weekly']],
] as const;

function ip(rng: Random): string | null {
  const kind = rng.int(0, 9);
  if (kind === 0) return null;
  if (kind === 1) return `2001:db8:${rng.int(0, 65535).toString(16)}::${rng.int(1, 65535).toString(16)}`;
  return `${rng.pick([203, 198, 192])}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

function properties(rng: Random, name: string): Json {
  switch (name) {
    case 'page_view':
      return { title: rng.pick(['Home', '首页', '課程', 'Pricing']), viewport: { w: rng.pick([390, 768, 1440]), h: rng.pick([844, 1024, 900]) } };
    case 'purchase':
    case 'checkout_started':
      return { value: rng.pick(['49.99', '5000', '15.250']), currency: rng.pick(['USD', 'JPY', 'KWD']), items: [{ sku: rng.token(6), qty: 1 }] };
    case 'search':
      return { q: rng.pick(['leadership', '正念', '時間管理', 'career change']), results: rng.int(0, 40) };
    case 'video_progress':
      return { percent: rng.pick([25, 50, 75, 100]), position_sec: rng.int(0, 3600), muted: rng.chance(0.1) };
    default:
      return rng.chance(0.5) ? {} : { label: rng.token(5), flags: [rng.chance(0.5), null], nested: { depth: { level: 3 } } };
  }
}

/**
 * analytics_events comes out lazily (it is 100,000 rows at scale 1): visits of a few events each,
 * every visit one session id, a signed-in user for a bit more than half of them.
 */
function* analyticsRows(rng: Random, total: number, people: People, time: Timeline): Generator<Row> {
  let made = 0;
  while (made < total) {
    const user = rng.chance(0.55) ? rng.pick(people.users) : null;
    const session = `s_${rng.token(20)}`;
    const agent = rng.chance(0.02) ? null : rng.pick(USER_AGENTS);
    const address = ip(rng);
    const referrer = rng.chance(0.6) ? null : rng.pick(REFERRERS);
    let t = randomTime(rng, user ? Math.max(user.createdAt, time.historyStart) : time.historyStart, time.now);
    const events = Math.min(total - made, rng.int(1, 12));
    for (let k = 0; k < events; k++) {
      const name = rng.weighted(EVENTS);
      yield {
        id: rng.uuid(),
        event_name: name,
        user_id: user?.id ?? null,
        session_id: rng.chance(0.01) ? null : session,
        properties: properties(rng, name),
        page_url: rng.chance(0.03) ? null : `https://zhengrowth.demo${rng.pick(PAGES)}`,
        referrer: k === 0 ? referrer : null,
        user_agent: agent,
        ip_address: address,
        created_at: timestamptz(t),
      };
      t = after(rng, t, 1, 300);
      made++;
    }
  }
}

export function generateAnalytics(rng: Random, counts: DemoCounts, people: People, time: Timeline): { tables: TableRows[] } {
  const x = rng.fork('experiments');
  const experimentRows: Row[] = EXPERIMENTS.map(([key, name, variants], i) => {
    const created = randomTime(x, time.now - 300 * MICROS_PER_DAY, time.now - 10 * MICROS_PER_DAY);
    return {
      id: x.uuid(),
      key,
      name,
      enabled: i !== 3,
      config: {
        variants: variants.map((v) => ({ key: v, weight: Math.round(100 / variants.length) })),
        audience: { langs: i === 2 ? ['zh-CN'] : ['en', 'zh-CN', 'zh-TW'], new_users_only: x.chance(0.5) },
        metrics: ['purchase', 'signup'],
      },
      created_at: timestamptz(created),
      updated_at: timestamptz(randomTime(x, created, time.now)),
    };
  });

  const a = rng.fork('experiment_assignments');
  const assignmentRows: Row[] = [];
  for (let i = 0; i < counts.experimentAssignments; i++) {
    const [key, , variants] = a.pick(EXPERIMENTS);
    const user = a.chance(0.6) ? a.pick(people.users) : null;
    assignmentRows.push({
      id: a.uuid(),
      experiment_key: key,
      user_id: user?.id ?? null,
      // Visitors are assigned by session; signed-in users mostly by user, sometimes both.
      session_id: user && a.chance(0.7) ? null : `s_${a.token(20)}`,
      variant: a.pick(variants),
      assigned_at: timestamptz(randomTime(a, time.now - 300 * MICROS_PER_DAY, time.now)),
    });
  }

  return {
    tables: [
      {
        table: 'public.analytics_events',
        rows: { [Symbol.iterator]: () => analyticsRows(rng.fork('analytics_events'), counts.analyticsEvents, people, time) },
      },
      { table: 'public.experiments', rows: experimentRows },
      { table: 'public.experiment_assignments', rows: assignmentRows },
    ],
  };
}
