import type { DemoCounts } from '../counts.js';
import { amountText, pickCurrency, price, priceMinor, type DemoCurrency } from '../money.js';
import type { Random } from '../random.js';
import type { Row, TableRows } from '../rows.js';
import { paragraph, personName, pickLang, sentence, title } from '../text.js';
import { after, dateOnly, MICROS_PER_DAY, MICROS_PER_MINUTE, randomTime, timestamptz, timestamptzOrNull, type Timeline } from '../time.js';
import type { People } from './users.js';

export interface Offer {
  id: string;
  slug: string;
  title: string;
  currency: DemoCurrency;
  priceMinor: number;
}

export interface EventType {
  id: number;
  slug: string;
  minutes: number;
  usd: number;
}

export interface CalBooking {
  id: string;
  calBookingId: number | null;
  eventTypeId: number | null;
  userId: string | null;
  email: string;
  name: string | null;
  start: number;
}

export interface Coaching {
  tables: TableRows[];
  offers: Offer[];
  eventTypes: EventType[];
  calBookings: CalBooking[];
}

const OFFERS: ReadonlyArray<readonly [slug: string, title: string, usd: number, weeks: number | null, sessions: number | null]> = [
  ['clarity-session', 'Clarity Session · 清晰对话', 150, null, 1],
  ['breakthrough-4-weeks', 'Breakthrough in 4 Weeks', 600, 4, 4],
  ['leadership-12-weeks', '領導力十二週計畫', 2400, 12, 12],
  ['mindful-living-8-weeks', 'Mindful Living · 正念生活八周', 1200, 8, 8],
  ['vip-day', 'VIP Intensive Day', 1800, null, 1],
  ['group-circle', 'Growth Circle (group)', 300, 6, 6],
  ['executive-6-months', 'Executive Coaching, 6 months', 9000, 26, 24],
  ['starter-pack', '入门体验包', 90, 2, 2],
  ['career-pivot', 'Career Pivot Program', 1500, 10, 8],
  ['couples-communication', '伴侶溝通工作坊', 800, 4, 4],
];

const EVENT_TYPES: ReadonlyArray<readonly [slug: string, title: string, minutes: number, usd: number]> = [
  ['discovery-call', 'Free discovery call · 免费咨询', 15, 0],
  ['coaching-60', 'Coaching session (60 min)', 60, 180],
  ['coaching-90', '深度教練（90 分鐘）', 90, 250],
  ['follow-up-30', 'Follow-up (30 min)', 30, 90],
  ['group-session', 'Group session', 75, 45],
  ['vip-intensive', 'VIP intensive · 半日深度', 240, 900],
];

export function generateCoaching(rng: Random, counts: DemoCounts, people: People, time: Timeline): Coaching {
  const o = rng.fork('coaching_offers');
  const offers: Offer[] = [];
  const offerRows: Row[] = OFFERS.slice(0, counts.offers).map(([slug, offerTitle, usd, weeks, sessions], i) => {
    // The first offers are in dollars; then yen and dinar, so the catalogue spans all exponents.
    const currency: DemoCurrency = i === 1 ? 'JPY' : i === 2 ? 'KWD' : i === 3 ? 'TWD' : i === 0 ? 'USD' : pickCurrency(o);
    const offer: Offer = { id: o.uuid(), slug, title: offerTitle, currency, priceMinor: priceMinor(usd, currency) };
    offers.push(offer);
    const created = randomTime(o, time.historyStart, time.now - 200 * MICROS_PER_DAY);
    const lang = pickLang(o);
    return {
      id: offer.id,
      slug,
      title: offerTitle,
      description: o.maybe(0.1, () => paragraph(o, lang)),
      price: amountText(offer.priceMinor, currency),
      currency,
      duration_weeks: weeks,
      sessions_included: sessions,
      features: o.chance(0.7)
        ? Array.from({ length: o.int(2, 5) }, () => sentence(o, lang))
        : [
            { label: 'Sessions', value: sessions },
            { label: '回放', value: true },
            { label: 'Support', value: { channel: 'email', hours: 48 } },
          ],
      active: i !== 4,
      created_at: timestamptz(created),
      updated_at: timestamptz(randomTime(o, created, time.now)),
      metadata: { stripe: { product: `prod_${o.token(14)}`, prices: { [currency]: `price_${o.token(14)}` } }, highlight: o.chance(0.3) },
    };
  });

  const e = rng.fork('cal_event_types');
  const eventTypes: EventType[] = [];
  const eventTypeRows: Row[] = EVENT_TYPES.map(([slug, typeTitle, minutes, usd], i) => {
    const id = 1_000_001 + i * 17;
    eventTypes.push({ id, slug, minutes, usd });
    const currency: DemoCurrency = usd === 0 ? 'USD' : i === 2 ? 'TWD' : i === 5 ? 'JPY' : 'USD';
    const created = randomTime(e, time.historyStart, time.now - 300 * MICROS_PER_DAY);
    return {
      id,
      slug,
      title: typeTitle,
      description: e.maybe(0.2, () => paragraph(e, pickLang(e))),
      duration_minutes: minutes,
      price: usd === 0 ? '0' : price(usd, currency),
      currency,
      active: i !== 4,
      metadata: { locations: [{ type: 'integrations:zoom' }], bookingFields: [{ name: 'notes', required: false }], hidden: false },
      created_at: timestamptz(created),
      updated_at: timestamptz(randomTime(e, created, time.now)),
    };
  });

  const b = rng.fork('cal_bookings');
  const calBookings: CalBooking[] = [];
  const bookingRows: Row[] = [];
  for (let i = 0; i < counts.calBookings; i++) {
    const member = b.chance(0.7) ? b.pick(people.members) : null;
    const type = b.maybe(0.05, () => b.pick(eventTypes));
    const start = randomTime(b, time.historyStart + 30 * MICROS_PER_DAY, time.now + 60 * MICROS_PER_DAY);
    const email = member?.email ?? `guest.${b.token(6)}.${i}@example.net`;
    const name = member ? member.name : b.maybe(0.2, () => personName(b, pickLang(b)));
    const booking: CalBooking = {
      id: b.uuid(),
      calBookingId: b.chance(0.03) ? null : 4_200_000 + i,
      eventTypeId: type?.id ?? null,
      userId: member?.id ?? null,
      email,
      name,
      start,
    };
    calBookings.push(booking);
    const created = randomTime(b, start - 30 * MICROS_PER_DAY, start - MICROS_PER_DAY);
    const status =
      start > time.now
        ? b.weighted([
            ['confirmed', 8],
            ['cancelled', 1],
            ['rescheduled', 1],
          ])
        : b.weighted([
            ['completed', 6],
            ['confirmed', 2],
            ['cancelled', 1],
            ['no_show', 1],
          ]);
    bookingRows.push({
      id: booking.id,
      cal_booking_id: booking.calBookingId,
      event_id: booking.eventTypeId,
      user_id: booking.userId,
      attendee_email: email,
      attendee_name: name,
      start_time: timestamptz(start),
      end_time: b.chance(0.03) ? null : timestamptz(start + (type?.minutes ?? 60) * MICROS_PER_MINUTE),
      status,
      meeting_url: b.maybe(0.15, () => `https://meet.zhengrowth.demo/${b.token(10)}`),
      metadata: {
        uid: b.token(22),
        responses: { name: name ?? '', email, notes: b.chance(0.5) ? sentence(b, pickLang(b)) : null },
        organizer: { email: 'coach@zhengrowth.demo', timeZone: b.pick(['America/Los_Angeles', 'Asia/Taipei']) },
      },
      created_at: timestamptz(created),
      updated_at: timestamptz(randomTime(b, created, Math.min(time.now, start + MICROS_PER_DAY))),
    });
  }

  const s = rng.fork('me_sessions');
  const clients = people.members.filter((m) => m.roles.includes('client'));
  const sessionRows: Row[] = [];
  for (let i = 0; i < counts.meSessions; i++) {
    const client = s.pick(clients.length ? clients : people.members);
    const booking = s.chance(0.7) ? s.pick(calBookings) : null;
    const date = booking?.start ?? randomTime(s, client.createdAt, time.now + 30 * MICROS_PER_DAY);
    const created = randomTime(s, Math.min(date, client.createdAt), Math.min(date, time.now));
    const lang = client.lang;
    sessionRows.push({
      id: s.uuid(),
      user_id: client.id,
      coach_id: s.chance(0.08) ? null : s.pick(people.coaches).id,
      booking_id: booking?.id ?? null,
      session_date: timestamptz(date),
      notes: s.maybe(0.2, () => paragraph(s, lang)),
      action_items: Array.from({ length: s.int(0, 4) }, () => ({
        task: sentence(s, lang),
        done: s.chance(0.4),
        due: s.chance(0.5) ? dateOnly(date + s.int(1, 21) * MICROS_PER_DAY) : null,
      })),
      status:
        date > time.now
          ? 'scheduled'
          : s.weighted([
              ['completed', 8],
              ['cancelled', 1],
              ['no_show', 1],
            ]),
      created_at: timestamptz(created),
      updated_at: timestamptz(randomTime(s, created, time.now)),
    });
  }

  const g = rng.fork('me_goals');
  const goalRows: Row[] = [];
  for (let i = 0; i < counts.meGoals; i++) {
    const user = g.pick(people.members);
    const created = randomTime(g, user.createdAt, time.now);
    const status = g.weighted([
      ['active', 5],
      ['completed', 3],
      ['paused', 1],
      ['abandoned', 1],
    ]);
    goalRows.push({
      id: g.uuid(),
      user_id: user.id,
      title: title(g, user.lang),
      description: g.maybe(0.3, () => paragraph(g, user.lang)),
      status,
      target_date: g.maybe(0.25, () => dateOnly(created + g.int(14, 365) * MICROS_PER_DAY)),
      progress_percent: status === 'completed' ? 100 : g.int(0, 95),
      created_at: timestamptz(created),
      updated_at: timestamptzOrNull(g.maybe(0.02, () => after(g, created, 60, 86_400 * 60))),
    });
  }

  return {
    tables: [
      { table: 'public.coaching_offers', rows: offerRows },
      { table: 'public.cal_event_types', rows: eventTypeRows },
      { table: 'public.cal_bookings', rows: bookingRows },
      { table: 'public.me_sessions', rows: sessionRows },
      { table: 'public.me_goals', rows: goalRows },
    ],
    offers,
    eventTypes,
    calBookings,
  };
}
