import { A, B, COACH, SIGNED_IN, UNVERIFIED, uuid } from './actors.js';

/**
 * The one fixture both sides are seeded from: rows of the Supabase tables, as a client or the
 * server would insert them (columns left out take their SQL defaults). PostgreSQL gets them as
 * service_role; Firestore gets the documents the mapping (mapping.ts) builds from the rows as
 * PostgreSQL stored them, checked against the model's schemas.
 *
 * Value conventions: timestamps are ISO strings, numeric amounts are decimal strings, jsonb is a
 * plain JSON value, text[] a string array.
 */
export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
export type Row = Record<string, Json>;

/** Fixture rows per table, by a short key that cases refer to ("a" = client A's row, ...). */
export type Fixture = Record<string, Record<string, Row>>;

/** Primary key column of each table that is not `id`. */
export const PRIMARY_KEYS: Readonly<Record<string, string>> = { remote_flags: 'key', badges: 'code' };

export function pkOf(table: string): string {
  return PRIMARY_KEYS[table] ?? 'id';
}

/** The id a fixture row gets when it does not set its primary key. */
export function rowId(table: string, key: string): string {
  return uuid(`${table}:${key}`);
}

export const T1 = '2025-03-01T10:00:00.000Z';
export const T2 = '2025-03-02T10:00:00.000Z';
export const T3 = '2025-03-03T10:00:00.000Z';
/** An auth user with no profile and no roles (not an actor). */
export const NEWCOMER = uuid('user:newcomer');
export const FUTURE = '2031-06-01T16:00:00.000Z';

const rows: Fixture = {
  zg_profiles: Object.fromEntries(
    SIGNED_IN.map((a) => [a.id, { user_id: a.uid, email: a.email, name: a.label, lang: 'en', created_at: T1, updated_at: T1, metadata: { plan: 'free' } }]),
  ),
  user_roles: Object.fromEntries(SIGNED_IN.flatMap((a) => a.roles.map((r) => [`${a.id}_${r}`, { user_id: a.uid, role: r, created_at: T1 }]))),
  badges: {
    starter: { code: 'starter', name: 'Starter', description: 'First lesson done', icon: '🌱', criteria: { lessons: 1 }, active: true },
    retired: { code: 'retired', name: 'Retired badge', active: false },
  },
  user_badges: {
    a: { user_id: A.uid, badge_code: 'starter', awarded_at: T2 },
    b: { user_id: B.uid, badge_code: 'starter', awarded_at: T2 },
  },
  coaching_offers: {
    active: { slug: 'clarity', title: 'Clarity package', price: '499.00', currency: 'USD', sessions_included: 4, active: true, created_at: T1 },
    retired: { slug: 'old', title: 'Old package', price: '99.00', currency: 'USD', active: false, created_at: T1 },
  },
  cal_event_types: {
    active: { id: 101, slug: 'intro', title: 'Intro call', duration_minutes: 30, price: '0', active: true, created_at: T1 },
    retired: { id: 102, slug: 'legacy', title: 'Legacy call', duration_minutes: 60, price: '150.00', active: false, created_at: T1 },
  },
  cal_bookings: {
    a: {
      cal_booking_id: 9001,
      event_id: 101,
      user_id: A.uid,
      attendee_email: A.email,
      attendee_name: 'Alice',
      start_time: T2,
      status: 'confirmed',
      created_at: T1,
    },
    b: {
      cal_booking_id: 9002,
      event_id: 101,
      user_id: B.uid,
      attendee_email: B.email,
      attendee_name: 'Bob',
      start_time: T3,
      status: 'confirmed',
      created_at: T1,
    },
    // A guest booked with the address the unverified account claims.
    guest: { cal_booking_id: 9003, event_id: 101, attendee_email: UNVERIFIED.email, attendee_name: 'Guest', start_time: T3, created_at: T1 },
    // Stored with other letter case than the account's address: not matched (exact comparison).
    mixedCase: { cal_booking_id: 9004, event_id: 101, attendee_email: 'Alice@Example.com', start_time: T3, created_at: T1 },
  },
  me_sessions: {
    a: { user_id: A.uid, coach_id: COACH.uid, session_date: T2, notes: 'Private notes about A', status: 'scheduled', created_at: T1 },
    // A's session with no coach assigned: the coach must not see it.
    a2: { user_id: A.uid, coach_id: null, session_date: T3, notes: 'A, unassigned', created_at: T1 },
    b: { user_id: B.uid, coach_id: COACH.uid, session_date: T3, notes: 'Private notes about B', created_at: T1 },
  },
  me_goals: {
    a: { user_id: A.uid, title: 'Run 5k', target_date: '2025-09-30', progress_percent: 10, created_at: T1 },
    b: { user_id: B.uid, title: 'Read 12 books', created_at: T1 },
  },
  blog_posts: {
    live: {
      slug: 'hello-world',
      title: 'Hello',
      body_md: '# Hi',
      published: true,
      published_at: T2,
      lang: 'en',
      tags: ['growth'],
      view_count: 7,
      created_at: T1,
    },
    draft: { slug: 'draft-post', title: 'Draft', published: false, lang: 'en', tags: ['growth'], created_at: T1 },
  },
  blog_templates: {
    x: { platform: 'x', locale: 'en', name: 'teaser', template: 'New post: {{title}}', created_at: T1 },
  },
  lessons: {
    live: { slug: 'lesson-1', title: 'Lesson 1', module_id: 'm1', order: 1, yt_id: 'free-video', published: true, paywall: false, created_at: T1 },
    draft: { slug: 'lesson-2', title: 'Lesson 2', module_id: 'm1', order: 2, published: false, created_at: T1 },
    premium: { slug: 'lesson-9', title: 'Lesson 9', module_id: 'm9', order: 9, yt_id: 'paid-video', published: true, paywall: true, created_at: T1 },
  },
  lesson_progress: {
    a: { user_id: A.uid, lesson_id: rowId('lessons', 'live'), last_position_sec: 42, completed: false, last_watched_at: T2 },
    b: { user_id: B.uid, lesson_id: rowId('lessons', 'live'), last_position_sec: 10, completed: false, last_watched_at: T2 },
  },
  bookings: {
    a: { booking_token: 'tok-a', cal_booking_id: 9001, customer_email: A.email, amount: '150.00', currency: 'USD', status: 'paid', created_at: T1 },
    b: { booking_token: 'tok-b', cal_booking_id: 9002, customer_email: B.email, amount: '150.00', currency: 'USD', status: 'paid', created_at: T1 },
    guest: { booking_token: 'tok-g', customer_email: UNVERIFIED.email, amount: '150.00', currency: 'USD', status: 'pending', created_at: T1 },
  },
  express_orders: {
    a: {
      order_number: 'ZG-1001',
      user_id: A.uid,
      customer_email: A.email,
      items: [{ sku: 'clarity', qty: 1 }],
      subtotal: '499.00',
      tax: '0',
      total: '499.00',
      currency: 'USD',
      status: 'paid',
      created_at: T1,
    },
    b: {
      order_number: 'ZG-1002',
      user_id: B.uid,
      customer_email: B.email,
      items: [],
      subtotal: '99.00',
      tax: '0',
      total: '99.00',
      currency: 'USD',
      status: 'pending',
      created_at: T2,
    },
  },
  payments: {
    a: {
      user_id: A.uid,
      order_id: rowId('express_orders', 'a'),
      amount: '499.00',
      currency: 'USD',
      provider: 'stripe',
      provider_id: 'pi_a',
      status: 'succeeded',
      created_at: T1,
    },
    b: {
      user_id: B.uid,
      order_id: rowId('express_orders', 'b'),
      amount: '99.00',
      currency: 'USD',
      provider: 'stripe',
      provider_id: 'pi_b',
      status: 'pending',
      created_at: T2,
    },
  },
  me_receipts: {
    a: { user_id: A.uid, order_id: rowId('express_orders', 'a'), amount: '499.00', currency: 'USD', receipt_url: 'https://example.com/r/a', issued_at: T2 },
    b: { user_id: B.uid, order_id: rowId('express_orders', 'b'), amount: '99.00', currency: 'USD', issued_at: T2 },
  },
  coupons: {
    percent: { code: 'SPRING10', discount_type: 'percent', discount_value: '10', max_uses: 100, uses_count: 3, active: true, created_at: T1 },
    fixed: { code: 'LESS20', discount_type: 'fixed', discount_value: '20.00', currency: 'USD', uses_count: 0, active: true, created_at: T1 },
  },
  events_catalog: {
    live: { slug: 'retreat', title: 'Retreat', start_time: FUTURE, capacity: 20, registered_count: 2, published: true, created_at: T1 },
    draft: { slug: 'secret', title: 'Secret event', start_time: FUTURE, published: false, created_at: T1 },
  },
  event_prices: {
    active: { event_id: rowId('events_catalog', 'live'), tier: 'standard', currency: 'USD', amount: '250.00', active: true },
    retired: { event_id: rowId('events_catalog', 'live'), tier: 'early', currency: 'USD', amount: '199.00', active: false },
  },
  event_regs: {
    a: {
      event_id: rowId('events_catalog', 'live'),
      user_id: A.uid,
      attendee_email: A.email,
      status: 'registered',
      payment_status: 'paid',
      amount_paid: '250.00',
      currency: 'USD',
      registered_at: T2,
    },
    b: {
      event_id: rowId('events_catalog', 'live'),
      user_id: B.uid,
      attendee_email: B.email,
      status: 'registered',
      payment_status: 'pending',
      registered_at: T3,
    },
  },
  leads: {
    coachs: {
      email: 'lead1@example.com',
      name: 'Lead One',
      source: 'webinar',
      stage: 'qualified',
      status: 'active',
      owner: COACH.uid,
      score: 40,
      created_at: T1,
    },
    fresh: { email: 'lead2@example.com', source: 'form', created_at: T2 },
  },
  funnels: {
    welcome: { name: 'Welcome', slug: 'welcome', trigger_event: 'signup', created_at: T1 },
  },
  funnel_stages: {
    first: { funnel_id: rowId('funnels', 'welcome'), name: 'Day 1', order: 1, action_type: 'email' },
  },
  user_funnel_progress: {
    a: { user_id: A.uid, funnel_id: rowId('funnels', 'welcome'), current_stage_id: rowId('funnel_stages', 'first'), started_at: T1 },
    b: { user_id: B.uid, funnel_id: rowId('funnels', 'welcome'), started_at: T1 },
  },
  zg_referrals: {
    a: {
      referrer_id: A.uid,
      referee_email: 'friend@example.com',
      referee_id: B.uid,
      status: 'pending',
      reward_amount: '10.00',
      currency: 'USD',
      created_at: T1,
    },
    b: { referrer_id: B.uid, referee_email: 'pal@example.com', created_at: T1 },
  },
  analytics_events: {
    a: { event_name: 'page_view', user_id: A.uid, session_id: 's-a', page_url: 'https://zhengrowth.com/', created_at: T1 },
    anon: { event_name: 'page_view', session_id: 's-x', created_at: T2 },
  },
  experiments: {
    on: { key: 'new-hero', name: 'New hero', enabled: true, config: { variants: ['a', 'b'] }, created_at: T1 },
    off: { key: 'old-test', name: 'Old test', enabled: false, created_at: T1 },
  },
  experiment_assignments: {
    a: { experiment_key: 'new-hero', user_id: A.uid, variant: 'a', assigned_at: T1 },
    b: { experiment_key: 'new-hero', user_id: B.uid, variant: 'b', assigned_at: T1 },
  },
  ai_logs: {
    one: { mode: 'coach', route: '/chat', prompt: 'How do I…', response: 'Start with…', model: 'gemini', tokens_used: 120, at: T1 },
  },
  ai_suggestions_cache: {
    a: { profile_id: rowId('zg_profiles', 'clientA'), suggestion_type: 'daily', content: { tips: ['breathe'] }, created_at: T1 },
    b: { profile_id: rowId('zg_profiles', 'clientB'), suggestion_type: 'daily', content: { tips: ['walk'] }, created_at: T1 },
  },
  community_posts: {
    a: {
      author_id: A.uid,
      title: 'Hi all',
      content: 'First post',
      tags: ['intro'],
      likes_count: 3,
      comments_count: 2,
      published: true,
      pinned: false,
      created_at: T1,
    },
    b: { author_id: B.uid, title: 'Bob here', content: 'Hello', published: true, created_at: T2 },
    bDraft: { author_id: B.uid, title: 'Draft', content: 'Not yet', published: false, created_at: T3 },
  },
  community_comments: {
    a: { post_id: rowId('community_posts', 'a'), author_id: A.uid, content: 'Thanks', likes_count: 1, created_at: T2 },
    b: { post_id: rowId('community_posts', 'a'), author_id: B.uid, content: 'Welcome!', created_at: T2 },
    onDraft: { post_id: rowId('community_posts', 'bDraft'), author_id: A.uid, content: 'Early bird', created_at: T3 },
  },
  community_reports: {
    a: { reporter_id: A.uid, content_type: 'comment', content_id: rowId('community_comments', 'b'), reason: 'spam', status: 'pending', created_at: T2 },
  },
  social_accounts: {
    a: {
      user_id: A.uid,
      platform: 'x',
      platform_user_id: 'x-a',
      username: 'alice',
      access_token: 'secret-a',
      refresh_token: 'refresh-a',
      active: true,
      created_at: T1,
    },
    b: { user_id: B.uid, platform: 'x', platform_user_id: 'x-b', username: 'bob', access_token: 'secret-b', created_at: T1 },
  },
  social_posts: {
    a: {
      user_id: A.uid,
      account_id: rowId('social_accounts', 'a'),
      platform: 'x',
      content: 'Scheduled',
      status: 'scheduled',
      scheduled_for: FUTURE,
      created_at: T1,
    },
    b: { user_id: B.uid, account_id: rowId('social_accounts', 'b'), platform: 'x', content: 'Draft', created_at: T1 },
  },
  social_analytics: {
    a: { post_id: rowId('social_posts', 'a'), impressions: 100, likes: 5, engagement_rate: '5.00', fetched_at: T2 },
  },
  remote_flags: {
    on: { key: 'new_checkout', value: { enabled: true }, description: 'New checkout', enabled: true, updated_at: T1 },
    off: { key: 'legacy_banner', value: false, enabled: false, updated_at: T1 },
  },
  i18n_dict: {
    en: { lang: 'en', ns: 'common', key: 'hello', value: 'Hello', updated_at: T1 },
    zh: { lang: 'zh-CN', ns: 'common', key: 'hello', value: '你好', updated_at: T1 },
  },
  email_templates: {
    welcome: { slug: 'welcome', name: 'Welcome', subject: 'Welcome!', body_html: '<p>Hi</p>', created_at: T1 },
  },
  email_queue: {
    one: { to_email: A.email, subject: 'Welcome!', body_html: '<p>Hi</p>', status: 'pending', created_at: T1 },
  },
  email_logs: {
    one: { queue_id: rowId('email_queue', 'one'), to_email: A.email, subject: 'Welcome!', status: 'sent', sent_at: T2 },
  },
  zg_versions: {
    current: { version: '2.3.0', min_version: '2.0.0', force_update: false, active: true, created_at: T1 },
  },
  nudge_inbox: {
    a: { user_id: A.uid, type: 'nudge', title: 'Keep going', message: 'You are 10% there', read: false, created_at: T2 },
    b: { user_id: B.uid, type: 'nudge', message: 'Hello Bob', read: false, created_at: T2 },
  },
  push_subscriptions: {
    a: { user_id: A.uid, endpoint: 'https://push.example.com/a', p256dh: 'key-a', auth: 'auth-a', active: true, created_at: T1 },
    b: { user_id: B.uid, endpoint: 'https://push.example.com/b', p256dh: 'key-b', auth: 'auth-b', active: true, created_at: T1 },
    nobody: { user_id: null, endpoint: 'https://push.example.com/anon', p256dh: 'key-n', auth: 'auth-n', created_at: T1 },
  },
};

/** The fixture with every row's primary key filled in (uuid from table and key unless given). */
export const FIXTURE: Fixture = Object.fromEntries(
  Object.entries(rows).map(([table, byKey]) => [
    table,
    Object.fromEntries(
      Object.entries(byKey).map(([key, row]) => {
        const pk = pkOf(table);
        return [key, pk in row ? row : { [pk]: rowId(table, key), ...row }];
      }),
    ),
  ]),
);

/** auth.users rows of the signed-in actors: the confirmation is what the e-mail rules look at. */
export function authUsers(): Array<{ id: string; email: string; email_confirmed_at: string | null }> {
  return [
    ...SIGNED_IN.map((a) => ({ id: a.uid, email: a.email, email_confirmed_at: a.emailVerified ? T1 : null })),
    // An account that has no profile (and no roles) yet: what a "create profile" case writes for.
    { id: NEWCOMER, email: 'newcomer@example.com', email_confirmed_at: T1 },
  ];
}

/** Tables in an order that satisfies the foreign keys when inserting. */
export const INSERT_ORDER: readonly string[] = [
  'zg_profiles',
  'user_roles',
  'badges',
  'user_badges',
  'coaching_offers',
  'cal_event_types',
  'cal_bookings',
  'me_sessions',
  'me_goals',
  'blog_posts',
  'blog_templates',
  'lessons',
  'lesson_progress',
  'bookings',
  'express_orders',
  'payments',
  'me_receipts',
  'coupons',
  'events_catalog',
  'event_prices',
  'event_regs',
  'leads',
  'funnels',
  'funnel_stages',
  'user_funnel_progress',
  'zg_referrals',
  'analytics_events',
  'experiments',
  'experiment_assignments',
  'ai_logs',
  'ai_suggestions_cache',
  'community_posts',
  'community_comments',
  'community_reports',
  'social_accounts',
  'social_posts',
  'social_analytics',
  'remote_flags',
  'i18n_dict',
  'email_templates',
  'email_queue',
  'email_logs',
  'zg_versions',
  'nudge_inbox',
  'push_subscriptions',
];
