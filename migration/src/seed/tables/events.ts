import type { DemoCounts } from '../counts.js';
import { amountText, CURRENCY_CODES, priceMinor, type DemoCurrency } from '../money.js';
import type { Random } from '../random.js';
import type { Row, TableRows } from '../rows.js';
import { paragraph, personName, pickLang, title, type Lang } from '../text.js';
import { after, MICROS_PER_DAY, MICROS_PER_HOUR, randomTime, timestamptz, type Timeline } from '../time.js';
import type { People } from './users.js';

const LOCATIONS: Readonly<Record<Lang, readonly string[]>> = {
  en: ['online', 'San Francisco, CA', 'London', 'online'],
  'zh-CN': ['online', '上海市静安区', '北京市朝阳区'],
  'zh-TW': ['online', '台北市信義區', '香港中環'],
};
const REGIONS: Readonly<Record<DemoCurrency, string>> = { USD: 'US', EUR: 'EU', GBP: 'GB', CNY: 'CN', TWD: 'TW', HKD: 'HK', JPY: 'JP', KRW: 'KR', KWD: 'KW' };
const TIERS = ['standard', 'early_bird', 'vip', 'student'] as const;

interface Price {
  tier: string;
  currency: DemoCurrency;
  minor: number;
}

export function generateEvents(rng: Random, counts: DemoCounts, people: People, time: Timeline): { tables: TableRows[] } {
  const e = rng.fork('events_catalog');
  const pr = rng.fork('event_prices');
  const rg = rng.fork('event_regs');
  const eventRows: Row[] = [];
  const priceRows: Row[] = [];
  const regRows: Row[] = [];

  // Registrations are spread over the events first, so registered_count can be their real count.
  const regsPerEvent = Array.from({ length: counts.events }, () => 0);
  for (let i = 0; i < counts.eventRegs; i++) regsPerEvent[i % counts.events] = (regsPerEvent[i % counts.events] ?? 0) + 1;

  for (let i = 0; i < counts.events; i++) {
    const id = e.uuid();
    const lang = pickLang(e);
    const start = randomTime(e, time.historyStart + 60 * MICROS_PER_DAY, time.now + 120 * MICROS_PER_DAY);
    const created = randomTime(e, start - 90 * MICROS_PER_DAY, start - 7 * MICROS_PER_DAY);
    const usd = e.pick([0, 25, 49, 99, 299]);
    const prices: Price[] = [];
    const currencies = e.sample(CURRENCY_CODES, e.int(1, 3));
    for (const tier of e.sample(TIERS, e.int(1, 3))) {
      for (const currency of currencies) {
        const factor = tier === 'vip' ? 3 : tier === 'student' ? 0.5 : tier === 'early_bird' ? 0.8 : 1;
        prices.push({ tier, currency, minor: usd === 0 ? 0 : priceMinor(usd * factor, currency) });
      }
    }
    for (const p of prices) {
      priceRows.push({
        id: pr.uuid(),
        event_id: id,
        tier: p.tier,
        currency: p.currency,
        amount: amountText(p.minor, p.currency),
        region: pr.maybe(0.2, () => REGIONS[p.currency]),
        active: pr.chance(0.9),
        metadata: p.tier === 'early_bird' ? { until: timestamptz(start - 14 * MICROS_PER_DAY), limit: pr.int(10, 50) } : {},
      });
    }

    let registered = 0;
    const capacity = e.maybe(0.3, () => e.int(20, 300));
    for (let k = 0; k < (regsPerEvent[i] ?? 0); k++) {
      const user = rg.chance(0.75) ? rg.pick(people.members) : null;
      const p = rg.pick(prices);
      const status =
        start < time.now
          ? rg.weighted([
              ['attended', 6],
              ['registered', 1],
              ['cancelled', 1],
              ['no_show', 1],
            ])
          : rg.weighted([
              ['registered', 8],
              ['cancelled', 1],
              ['waitlisted', 1],
            ]);
      if (status !== 'cancelled') registered++;
      const free = p.minor === 0;
      const paymentStatus = free
        ? 'free'
        : status === 'cancelled'
          ? rg.pick(['refunded', 'pending'])
          : rg.weighted([
              ['paid', 8],
              ['pending', 2],
            ]);
      const regAt = randomTime(rg, created, Math.min(start, time.now));
      regRows.push({
        id: rg.uuid(),
        event_id: id,
        user_id: user?.id ?? null,
        attendee_email: user?.email ?? `attendee.${rg.token(5)}.${i}.${k}@example.com`,
        attendee_name: user?.name ?? rg.maybe(0.2, () => personName(rg, pickLang(rg))),
        ticket_type: p.tier,
        status,
        checked_in: status === 'attended',
        payment_status: paymentStatus,
        amount_paid: paymentStatus === 'paid' || paymentStatus === 'refunded' ? amountText(p.minor, p.currency) : free ? '0' : null,
        currency: p.currency,
        metadata: { answers: { dietary: rg.pick(['none', 'vegetarian', '素食']), source: rg.pick(['newsletter', 'wechat', 'instagram']) } },
        registered_at: timestamptz(regAt),
        updated_at: timestamptz(after(rg, regAt, 1, 86_400)),
      });
    }

    eventRows.push({
      id,
      slug: `event-${i + 1}-${e.token(4)}`,
      title: title(e, lang),
      description: e.maybe(0.1, () => paragraph(e, lang)),
      start_time: timestamptz(start),
      end_time: e.chance(0.05) ? null : timestamptz(start + e.int(1, 8) * MICROS_PER_HOUR),
      timezone: lang === 'en' ? e.pick(['America/Los_Angeles', 'Europe/London']) : lang === 'zh-CN' ? 'Asia/Shanghai' : 'Asia/Taipei',
      location: e.pick(LOCATIONS[lang]),
      capacity,
      registered_count: registered,
      cover_image: e.maybe(0.3, () => `https://cdn.zhengrowth.demo/events/${e.token(12)}.jpg`),
      published: e.chance(0.8),
      tags: e.sample(['workshop', 'webinar', 'retreat', '线下', '線上', 'free'], e.int(0, 3)),
      metadata: { host: { name: e.pick(people.staff).name }, stream: e.chance(0.5) ? { provider: 'zoom', id: String(e.int(100_000_000, 999_999_999)) } : null },
      created_at: timestamptz(created),
      updated_at: timestamptz(randomTime(e, created, time.now)),
    });
  }
  return {
    tables: [
      { table: 'public.events_catalog', rows: eventRows },
      { table: 'public.event_prices', rows: priceRows },
      { table: 'public.event_regs', rows: regRows },
    ],
  };
}
