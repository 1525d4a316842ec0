import type { Random } from '../random.js';
import { JSON_NULL, type JsonNull, type Json, type Row, type TableRows } from '../rows.js';
import { LANGS } from '../text.js';
import { randomTime, timestamptz, type Timeline } from '../time.js';

/** Flag values of every JSON kind, top-level scalars included (jsonb allows them). */
const FLAGS: ReadonlyArray<readonly [key: string, value: Json | JsonNull, description: string | null]> = [
  ['maintenance_mode', false, 'Show the maintenance page'],
  ['community_enabled', true, 'Community tab visible'],
  ['new_checkout', { enabled: true, rollout: { percent: 25, langs: ['en'] } }, 'One-step checkout rollout'],
  ['max_upload_mb', 25, null],
  ['supported_langs', ['en', 'zh-CN', 'zh-TW'], 'Languages offered in the switcher'],
  ['pricing_banner', { en: 'Spring sale: 25% off', 'zh-CN': '春季特惠：七五折', 'zh-TW': '春季特惠：七五折' }, 'Banner over the pricing page'],
  ['ai_coach', { model: 'gemini-1.5-flash', daily_limit: 20, fallback: null }, 'AI coach settings'],
  ['min_app_version', '2.1.0', null],
  ['booking_lead_hours', 24, 'Minimum hours between booking and session'],
  [
    'referral_reward',
    {
      amount: '20.00',
      currency: 'USD',
      alt: [
        { amount: '3000', currency: 'JPY' },
        { amount: '6.150', currency: 'KWD' },
      ],
    },
    'Reward per converted referral',
  ],
  ['holiday_mode', JSON_NULL, 'jsonb null on purpose: "no value" differs from a missing flag'],
  ['exchange_rate_note', 'Rates are refreshed daily — 匯率每日更新', null],
];

const DICTIONARY: ReadonlyArray<readonly [ns: string, key: string, en: string, zhCN: string, zhTW: string]> = [
  ['common', 'save', 'Save', '保存', '儲存'],
  ['common', 'cancel', 'Cancel', '取消', '取消'],
  ['common', 'loading', 'Loading…', '加载中…', '載入中…'],
  ['common', 'error.generic', 'Something went wrong. Please try again.', '出错了，请重试。', '發生錯誤，請再試一次。'],
  ['nav', 'home', 'Home', '首页', '首頁'],
  ['nav', 'lessons', 'Lessons', '课程', '課程'],
  ['nav', 'community', 'Community', '社区', '社群'],
  ['nav', 'account', 'My account', '我的账户', '我的帳戶'],
  ['auth', 'sign_in', 'Sign in', '登录', '登入'],
  ['auth', 'sign_out', 'Sign out', '退出登录', '登出'],
  ['auth', 'forgot_password', 'Forgot password?', '忘记密码？', '忘記密碼？'],
  ['booking', 'confirm', 'Confirm booking', '确认预约', '確認預約'],
  ['booking', 'reschedule', 'Reschedule', '改期', '改期'],
  ['booking', 'price', 'Price: {{amount}} {{currency}}', '价格：{{amount}} {{currency}}', '價格：{{amount}} {{currency}}'],
  ['community', 'new_post', 'New post', '发帖', '發文'],
  ['community', 'report', 'Report', '举报', '檢舉'],
  ['community', 'likes', '{{count}} likes', '{{count}} 个赞', '{{count}} 個讚'],
];

export function generateConfig(rng: Random, time: Timeline): { tables: TableRows[] } {
  const f = rng.fork('remote_flags');
  const flagRows: Row[] = FLAGS.map(([key, value, description], i) => ({
    key,
    value,
    description,
    enabled: i % 6 !== 5,
    updated_at: timestamptz(randomTime(f, time.historyStart, time.now)),
  }));

  const d = rng.fork('i18n_dict');
  const dictRows: Row[] = [];
  for (const [ns, key, ...values] of DICTIONARY) {
    LANGS.forEach((lang, i) => {
      dictRows.push({ id: d.uuid(), lang, ns, key, value: values[i] as string, updated_at: timestamptz(randomTime(d, time.historyStart, time.now)) });
    });
  }

  const v = rng.fork('zg_versions');
  const versions = ['1.0.0', '1.1.0', '1.2.3', '1.3.0', '2.0.0', '2.0.1', '2.1.0', '2.2.0-beta.1'];
  const versionRows: Row[] = versions.map((version, i) => ({
    id: v.uuid(),
    version,
    min_version: i === 0 ? null : (versions[Math.max(0, i - 2)] ?? null),
    force_update: version === '2.0.0',
    features: { community: i >= 3, ai_coach: i >= 5, checkout: i >= 6 ? 'one_step' : 'classic', langs: i >= 2 ? ['en', 'zh-CN', 'zh-TW'] : ['en'] },
    active: !version.includes('beta'),
    created_at: timestamptz(time.historyStart + Math.floor(((time.now - time.historyStart) / versions.length) * i) + v.int(1, 999_999)),
  }));

  return {
    tables: [
      { table: 'public.remote_flags', rows: flagRows },
      { table: 'public.i18n_dict', rows: dictRows },
      { table: 'public.zg_versions', rows: versionRows },
    ],
  };
}
