import type { DemoCounts } from '../counts.js';
import type { Random } from '../random.js';
import type { Row, TableRows } from '../rows.js';
import { sentence } from '../text.js';
import { after, MICROS_PER_DAY, randomTime, timestamptz, type Timeline } from '../time.js';
import type { People } from './users.js';

const TEMPLATES: ReadonlyArray<readonly [slug: string, name: string, subject: string]> = [
  ['welcome', 'Welcome', 'Welcome to ZhenGrowth · 欢迎加入'],
  ['booking_confirmed', 'Booking confirmed', 'Your session is booked — 預約成功'],
  ['booking_reminder', 'Booking reminder', 'Reminder: your session starts in {{hours}} hours'],
  ['receipt', 'Receipt', 'Receipt {{number}}: {{amount}} {{currency}}'],
  ['password_reset', 'Password reset', 'Reset your password'],
  ['event_registration', 'Event registration', 'You are registered for {{event}}'],
  ['lesson_digest', 'Weekly lessons', '本周课程推荐'],
  ['referral_reward', 'Referral reward', 'You earned a reward 🎉'],
  ['nudge_digest', 'Nudge digest', '本週提醒'],
  ['account_deleted', 'Account deleted', 'Your account was deleted'],
];

export function generateEmail(rng: Random, counts: DemoCounts, people: People, time: Timeline): { tables: TableRows[] } {
  const t = rng.fork('email_templates');
  const templateRows: Row[] = TEMPLATES.map(([slug, name, subject], i) => {
    const created = randomTime(t, time.historyStart, time.now - 100 * MICROS_PER_DAY);
    return {
      id: t.uuid(),
      slug,
      name,
      subject,
      body_html: `<!doctype html><html><body><h1>${subject}</h1>\n<p>{{greeting}}, {{name}}</p>\n<p>${sentence(t, 'en')}</p>\n<p>${sentence(t, 'zh-CN')}</p></body></html>`,
      body_text: t.maybe(0.2, () => `${subject}\n\n{{greeting}}, {{name}}\n${sentence(t, 'zh-TW')}`),
      variables: {
        name: { required: true },
        greeting: { default: 'Hi' },
        ...(slug === 'receipt' ? { number: {}, amount: { format: 'money' }, currency: {} } : {}),
      },
      active: i !== TEMPLATES.length - 1,
      created_at: timestamptz(created),
      updated_at: timestamptz(randomTime(t, created, time.now)),
    };
  });

  const q = rng.fork('email_queue');
  const lg = rng.fork('email_logs');
  const queueRows: Row[] = [];
  const logRows: Row[] = [];
  for (let i = 0; i < counts.emailQueue; i++) {
    const to = q.pick(people.members);
    const template = q.chance(0.1) ? null : q.pick(TEMPLATES);
    const created = randomTime(q, time.now - 365 * MICROS_PER_DAY, time.now);
    const scheduled = q.chance(0.1) ? after(q, created, 3600, 86_400 * 7) : after(q, created, 0, 60);
    // The first rows are sent so that even a tiny scale has delivery logs.
    const status =
      i < 2
        ? 'sent'
        : scheduled > time.now
          ? 'pending'
          : q.weighted([
              ['sent', 8],
              ['failed', 1],
              ['cancelled', 1],
            ]);
    const sentAt = status === 'sent' ? after(q, scheduled, 1, 120) : null;
    const id = q.uuid();
    const subject = template ? template[2] : sentence(q, to.lang);
    queueRows.push({
      id,
      to_email: to.email,
      template_slug: template ? template[0] : null,
      subject,
      body_html: template ? null : `<p>${sentence(q, to.lang)}</p>`,
      body_text: q.maybe(0.5, () => sentence(q, to.lang)),
      variables: {
        name: to.name,
        greeting: to.lang === 'en' ? 'Hi' : '你好',
        ...(q.chance(0.2) ? { order: { number: `ZG-2025-${q.int(1, 999)}`, lines: [{ title: 'Clarity Session', amount: '150.00' }] } } : {}),
      },
      status,
      scheduled_for: timestamptz(scheduled),
      sent_at: sentAt === null ? null : timestamptz(sentAt),
      error: status === 'failed' ? q.pick(['550 mailbox unavailable', 'rate limited', 'invalid recipient']) : null,
      attempts: status === 'failed' ? q.int(1, 5) : status === 'sent' ? 1 : 0,
      created_at: timestamptz(created),
    });
    if (sentAt !== null || status === 'failed') {
      logRows.push({
        id: lg.uuid(),
        queue_id: id,
        to_email: to.email,
        subject: lg.maybe(0.05, () => subject),
        status:
          status === 'failed'
            ? 'failed'
            : lg.weighted([
                ['delivered', 6],
                ['opened', 3],
                ['bounced', 1],
              ]),
        provider_id: status === 'failed' ? null : `re_${lg.token(24)}`,
        error: status === 'failed' ? 'provider rejected the message' : null,
        metadata: { provider: 'resend', headers: { 'x-entity-ref-id': lg.token(12) }, events: [{ type: 'sent', at: timestamptz(sentAt ?? scheduled) }] },
        sent_at: timestamptz(sentAt ?? scheduled),
      });
    }
  }
  // A few sends that never went through the queue (queue_id is nullable).
  for (let k = 0; k < 3; k++) {
    const to = lg.pick(people.members);
    logRows.push({
      id: lg.uuid(),
      queue_id: null,
      to_email: to.email,
      subject: 'Your password was changed',
      status: 'delivered',
      provider_id: `re_${lg.token(24)}`,
      error: null,
      metadata: {},
      sent_at: timestamptz(randomTime(lg, time.now - 30 * MICROS_PER_DAY, time.now)),
    });
  }

  return {
    tables: [
      { table: 'public.email_templates', rows: templateRows },
      { table: 'public.email_queue', rows: queueRows },
      { table: 'public.email_logs', rows: logRows },
    ],
  };
}
