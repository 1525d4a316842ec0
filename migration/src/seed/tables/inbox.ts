import type { DemoCounts } from '../counts.js';
import type { Random } from '../random.js';
import type { Row, TableRows } from '../rows.js';
import { sentence, title } from '../text.js';
import { after, MICROS_PER_DAY, randomTime, timestamptz, type Timeline } from '../time.js';
import type { People } from './users.js';

const AGENTS = ['Chrome 126 on macOS', 'Safari 17 on iOS', 'Firefox 127 on Windows', 'Edge 126 on Windows', 'Chrome 126 on Android'];

export function generateInbox(rng: Random, counts: DemoCounts, people: People, time: Timeline): { tables: TableRows[] } {
  const n = rng.fork('nudge_inbox');
  const nudgeRows: Row[] = [];
  for (let i = 0; i < counts.nudges; i++) {
    const user = n.pick(people.members);
    const created = randomTime(n, Math.max(user.createdAt, time.now - 180 * MICROS_PER_DAY), time.now);
    const read = n.chance(0.5);
    nudgeRows.push({
      id: n.uuid(),
      user_id: user.id,
      type: n.maybe(0.05, () => n.pick(['reminder', 'achievement', 'coach_message', 'system'])),
      title: n.maybe(0.1, () => title(n, user.lang)),
      message: sentence(n, user.lang),
      action_url: n.maybe(0.4, () => `/me/${n.pick(['goals', 'sessions', 'lessons', 'badges'])}`),
      read,
      read_at: read ? timestamptz(after(n, created, 30, 86_400 * 5)) : null,
      metadata: { from: n.chance(0.3) ? { coach_id: n.pick(people.coaches).id } : { system: true }, priority: n.pick(['low', 'normal', 'high']) },
      created_at: timestamptz(created),
      expires_at: n.maybe(0.7, () => timestamptz(after(n, created, 86_400 * 7, 86_400 * 60))),
    });
  }

  const p = rng.fork('push_subscriptions');
  const subscriptionRows: Row[] = [];
  for (let i = 0; i < counts.pushSubscriptions; i++) {
    // Subscriptions taken before sign-in belong to nobody (user_id is nullable): the first ones
    // at every scale, then about one in twenty.
    const user = i < 2 || p.chance(0.05) ? null : p.pick(people.members);
    const created = randomTime(p, user ? user.createdAt : time.now - 365 * MICROS_PER_DAY, time.now);
    const firefox = p.chance(0.2);
    subscriptionRows.push({
      id: p.uuid(),
      user_id: user?.id ?? null,
      endpoint: firefox
        ? `https://updates.push.services.mozilla.com/wpush/v2/${p.token(64)}`
        : `https://fcm.googleapis.com/fcm/send/${p.token(11)}:APA91b${p.token(120)}`,
      p256dh: `B${p.token(86, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')}`,
      auth: p.token(22, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
      user_agent: p.maybe(0.1, () => p.pick(AGENTS)),
      active: p.chance(0.85),
      created_at: timestamptz(created),
      last_used_at: p.maybe(0.3, () => timestamptz(randomTime(p, created, time.now))),
    });
  }
  return {
    tables: [
      { table: 'public.nudge_inbox', rows: nudgeRows },
      { table: 'public.push_subscriptions', rows: subscriptionRows },
    ],
  };
}
