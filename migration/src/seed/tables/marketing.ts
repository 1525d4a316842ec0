import type { DemoCounts } from '../counts.js';
import { amountText, pickCurrency, priceMinor } from '../money.js';
import type { Random } from '../random.js';
import type { Row, TableRows } from '../rows.js';
import { emailLocal, paragraph, personName, pickLang } from '../text.js';
import { after, MICROS_PER_DAY, randomTime, timestamptz, timestamptzOrNull, type Timeline } from '../time.js';
import type { People } from './users.js';

const FUNNELS = [
  ['Welcome series · 欢迎序列', 'welcome-series', 'signup'],
  ['Webinar follow-up', 'webinar-followup', 'event_registered'],
  ['Abandoned checkout · 未完成結帳', 'abandoned-checkout', 'checkout_started'],
  ['Re-engagement', 're-engagement', null],
] as const;

export function generateMarketing(rng: Random, counts: DemoCounts, people: People, time: Timeline): { tables: TableRows[] } {
  const l = rng.fork('leads');
  const leadRows: Row[] = [];
  const owners = people.staff;
  for (let i = 0; i < counts.leads; i++) {
    const lang = pickLang(l);
    const created = randomTime(l, time.historyStart, time.now);
    const stage = l.weighted([
      ['new', 5],
      ['contacted', 3],
      ['qualified', 2],
      ['proposal', 1],
      ['won', 1],
      ['lost', 1],
    ]);
    // A lead form submitted twice gives two rows with one address (leads.email is not unique).
    const previous = i > 0 && l.chance(0.03) ? leadRows[l.int(0, i - 1)] : undefined;
    leadRows.push({
      id: l.uuid(),
      email: typeof previous?.email === 'string' ? previous.email : `${emailLocal(l, lang)}.${i}@example.${l.pick(['com', 'net', 'org'])}`,
      name: l.maybe(0.2, () => personName(l, lang)),
      phone: l.maybe(0.6, () =>
        lang === 'en'
          ? `+1 415 555 ${String(l.int(0, 9999)).padStart(4, '0')}`
          : lang === 'zh-CN'
            ? `+86 138 ${l.int(1000, 9999)} ${l.int(1000, 9999)}`
            : `+886 9${l.int(10, 99)} ${l.int(100, 999)} ${l.int(100, 999)}`,
      ),
      source: l.maybe(0.1, () => l.pick(['website', 'webinar', 'instagram', 'wechat', 'referral', 'linkedin', 'xiaohongshu'])),
      stage,
      status: l.weighted([
        ['active', 8],
        ['archived', 1],
        ['unsubscribed', 1],
      ]),
      owner: stage === 'new' || l.chance(0.1) ? null : l.pick(owners).id,
      tags: l.sample(['webinar-2025', 'vip', 'zh', 'en', 'cold', 'hot', '高意向'], l.int(0, 3)),
      notes: l.maybe(0.7, () => paragraph(l, lang)),
      score: l.int(0, 100),
      metadata: {
        utm: {
          source: l.pick(['google', 'facebook', 'wechat', 'newsletter']),
          medium: l.pick(['cpc', 'social', 'email']),
          campaign: l.pick(['spring_2025', '双十一', 'launch']),
        },
        form: { id: `form_${l.int(1, 5)}`, answers: { goal: l.pick(['career', 'health', '關係']) } },
      },
      created_at: timestamptz(created),
      updated_at: timestamptz(randomTime(l, created, time.now)),
      last_contacted_at: stage === 'new' ? null : timestamptzOrNull(l.maybe(0.2, () => randomTime(l, created, time.now))),
    });
  }

  const f = rng.fork('funnels');
  const s = rng.fork('funnel_stages');
  const funnelRows: Row[] = [];
  const stageRows: Row[] = [];
  const funnels: Array<{ id: string; stageIds: string[] }> = [];
  for (const [i, [name, slug, trigger]] of FUNNELS.entries()) {
    const id = f.uuid();
    const created = randomTime(f, time.historyStart, time.now - 100 * MICROS_PER_DAY);
    funnelRows.push({
      id,
      name,
      slug,
      trigger_event: trigger,
      active: i !== FUNNELS.length - 1,
      metadata: {
        audience: { langs: f.sample(['en', 'zh-CN', 'zh-TW'], f.int(1, 3)), exclude_roles: ['admin'] },
        goal: { event: 'purchase', window_days: 30 },
      },
      created_at: timestamptz(created),
      updated_at: timestamptz(randomTime(f, created, time.now)),
    });
    const stageIds: string[] = [];
    const n = s.int(3, 6);
    for (let k = 0; k < n; k++) {
      const stageId = s.uuid();
      stageIds.push(stageId);
      const action = s.pick(['email', 'nudge', 'wait', 'tag']);
      stageRows.push({
        id: stageId,
        funnel_id: id,
        name: `${slug} · step ${k + 1}`,
        order: k + 1,
        action_type: action,
        action_config:
          action === 'email'
            ? { template_slug: s.pick(['welcome', 'lesson_digest', 'booking_reminder']), send: { hour_local: s.int(8, 20) } }
            : action === 'tag'
              ? { add: ['engaged'], remove: [] }
              : {},
        delay_hours: k === 0 ? 0 : s.pick([1, 24, 48, 72, 168]),
      });
    }
    funnels.push({ id, stageIds });
  }

  const u = rng.fork('user_funnel_progress');
  const progressRows: Row[] = [];
  const seen = new Set<string>();
  for (let tries = 0; progressRows.length < counts.userFunnelProgress && tries < counts.userFunnelProgress * 5; tries++) {
    const user = u.pick(people.members);
    const funnel = u.pick(funnels);
    if (seen.has(`${user.id}/${funnel.id}`)) continue;
    seen.add(`${user.id}/${funnel.id}`);
    const started = randomTime(u, user.createdAt, time.now);
    const done = u.chance(0.3);
    progressRows.push({
      id: u.uuid(),
      user_id: user.id,
      funnel_id: funnel.id,
      current_stage_id: done ? (funnel.stageIds[funnel.stageIds.length - 1] ?? null) : u.maybe(0.1, () => u.pick(funnel.stageIds)),
      started_at: timestamptz(started),
      completed_at: done ? timestamptz(after(u, started, 3600, 86_400 * 30)) : null,
      metadata: {
        history: Array.from({ length: u.int(0, 3) }, (_, k) => ({ stage: k + 1, at: timestamptz(after(u, started, k * 3600 + 1, (k + 1) * 86_400)) })),
      },
    });
  }

  const r = rng.fork('zg_referrals');
  const referralRows: Row[] = [];
  for (let i = 0; i < counts.referrals; i++) {
    const referrer = r.pick(people.members);
    const referee = r.chance(0.4) ? r.pick(people.members.filter((m) => m.id !== referrer.id)) : null;
    const created = randomTime(r, referrer.createdAt, time.now);
    const status = referee ? r.pick(['signed_up', 'converted']) : r.pick(['pending', 'expired']);
    const currency = pickCurrency(r);
    referralRows.push({
      id: r.uuid(),
      referrer_id: referrer.id,
      referee_email: referee?.email ?? `friend.${r.token(6)}.${i}@example.com`,
      referee_id: referee?.id ?? null,
      status,
      reward_amount: status === 'converted' ? amountText(priceMinor(20, currency), currency) : r.maybe(0.5, () => '0'),
      currency,
      reward_claimed: status === 'converted' && r.chance(0.6),
      created_at: timestamptz(created),
      completed_at: referee ? timestamptz(after(r, created, 3600, 86_400 * 20)) : null,
    });
  }

  return {
    tables: [
      { table: 'public.leads', rows: leadRows },
      { table: 'public.funnels', rows: funnelRows },
      { table: 'public.funnel_stages', rows: stageRows },
      { table: 'public.user_funnel_progress', rows: progressRows },
      { table: 'public.zg_referrals', rows: referralRows },
    ],
  };
}
