import { DEMO_ACCOUNTS } from '../passwords.js';
import { amountText, priceMinor, type DemoCurrency } from '../money.js';
import type { Random } from '../random.js';
import type { Row } from '../rows.js';
import { MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, timestamptz, type Micros, type Timeline } from '../time.js';
import type { EventType, Offer } from './coaching.js';
import { stripeId, TAX_RATE } from './commerce.js';
import { TIMEZONES, type DemoUser, type Member, type People } from './users.js';

/**
 * What a developer sees first after `npm start`, whatever the day: two upcoming events (a free
 * webinar, and a workshop with paid and free tickets), the demo coach's sessions in the week
 * ahead, and the demo client's own history (a paid order with its payment and receipt, a
 * registration for the webinar, a past session, and a paid session booked for next week). Rows
 * for tables the other generators fill; drawn from a stream of their own, so the rest of the data
 * set is the same with or without them.
 */
export type StoryRows = Partial<Record<string, Row[]>>;

function demoUser(people: People, index: 0 | 1 | 2): Member {
  const email = DEMO_ACCOUNTS[index].email;
  const user = people.members.find((u) => u.email === email);
  if (!user) throw new Error(`the demo account ${email} is missing from the generated users`);
  return user;
}

interface StoryEvent {
  id: string;
  title: string;
  start: Micros;
  hours: number;
  capacity: number;
  tags: string[];
  prices: Array<{ tier: string; currency: DemoCurrency; minor: number; region: string | null }>;
  regs: Array<{ user: Member; tier: string }>;
}

function eventRows(r: Random, e: StoryEvent, coach: DemoUser, time: Timeline): Record<'events_catalog' | 'event_prices' | 'event_regs', Row[]> {
  const created = time.now - 20 * MICROS_PER_DAY + r.int(1, 999);
  const regs = e.regs.map(({ user, tier }, k) => {
    const price = e.prices.find((p) => p.tier === tier && p.region === null);
    if (!price) throw new Error(`story event ${e.title} has no ${tier} price`);
    const at = time.now - (k + 1) * MICROS_PER_DAY - r.int(1, 3_600_000_000);
    const free = price.minor === 0;
    return {
      id: r.uuid(),
      event_id: e.id,
      user_id: user.id,
      attendee_email: user.email,
      attendee_name: user.name,
      ticket_type: tier,
      status: 'registered',
      checked_in: false,
      payment_status: free ? 'free' : 'paid',
      amount_paid: amountText(price.minor, price.currency),
      currency: price.currency,
      metadata: { answers: { dietary: 'none', source: 'newsletter' } },
      registered_at: timestamptz(at),
      updated_at: timestamptz(at + 1_000_123),
    };
  });
  return {
    events_catalog: [
      {
        id: e.id,
        slug: `demo-${e.tags[0]}-${r.token(4)}`,
        title: e.title,
        description: `${e.title}, hosted by ${coach.name}.`,
        start_time: timestamptz(e.start),
        end_time: timestamptz(e.start + e.hours * MICROS_PER_HOUR),
        timezone: TIMEZONES[coach.lang][0] ?? 'UTC',
        location: 'online',
        capacity: e.capacity,
        registered_count: regs.length,
        cover_image: `https://cdn.zhengrowth.demo/events/${r.token(12)}.jpg`,
        published: true,
        tags: e.tags,
        metadata: { host: { name: coach.name }, stream: { provider: 'zoom', id: String(r.int(100_000_000, 999_999_999)) } },
        created_at: timestamptz(created),
        updated_at: timestamptz(created + MICROS_PER_HOUR),
      },
    ],
    event_prices: e.prices.map((p): Row => ({
      id: r.uuid(),
      event_id: e.id,
      tier: p.tier,
      currency: p.currency,
      amount: amountText(p.minor, p.currency),
      region: p.region,
      active: true,
      metadata: p.tier === 'early_bird' ? { until: timestamptz(e.start - 7 * MICROS_PER_DAY), limit: 20 } : {},
    })),
    event_regs: regs,
  };
}

/** The client's paid order: one coaching offer, its payment and its receipt. */
function orderRows(r: Random, client: Member, offer: Offer, time: Timeline): Record<'express_orders' | 'payments' | 'me_receipts', Row[]> {
  const created = time.now - 12 * MICROS_PER_DAY + 8 * MICROS_PER_HOUR + r.int(1, 999);
  const paidAt = created + 45 * 1_000_000 + r.int(1, 999);
  const currency = offer.currency;
  const subtotal = offer.priceMinor;
  const tax = Math.round(subtotal * TAX_RATE[currency]);
  const total = subtotal + tax;
  const id = r.uuid();
  const paymentId = stripeId(r, 'pi');
  return {
    express_orders: [
      {
        id,
        order_number: `ZG-${new Date(created / 1000).getUTCFullYear()}-900001`,
        user_id: client.id,
        customer_email: client.email,
        customer_name: client.name,
        items: [{ offer_id: offer.id, slug: offer.slug, title: offer.title, quantity: 1, unit_amount: amountText(subtotal, currency), currency }],
        subtotal: amountText(subtotal, currency),
        tax: amountText(tax, currency),
        total: amountText(total, currency),
        currency,
        payment_provider: 'stripe',
        payment_id: paymentId,
        status: 'paid',
        metadata: { ip_country: 'TW', coupon: null },
        created_at: timestamptz(created),
        updated_at: timestamptz(paidAt),
      },
    ],
    payments: [
      {
        id: r.uuid(),
        user_id: client.id,
        order_id: id,
        amount: amountText(total, currency),
        currency,
        provider: 'stripe',
        provider_id: paymentId,
        status: 'succeeded',
        metadata: { raw: { object: 'payment_intent', livemode: false, charges: { count: 1 } }, card: { brand: 'visa', last4: '4242' } },
        created_at: timestamptz(paidAt),
      },
    ],
    me_receipts: [
      {
        id: r.uuid(),
        user_id: client.id,
        order_id: id,
        amount: amountText(total, currency),
        currency,
        receipt_url: `https://pay.zhengrowth.demo/receipts/${r.token(20)}`,
        issued_at: timestamptz(paidAt + 30 * 1_000_000),
        metadata: { number: 'R-DEMO-0001', tax: amountText(tax, currency), lines: 1 },
      },
    ],
  };
}

interface StorySession {
  client: Member;
  start: Micros;
  status: 'scheduled' | 'completed';
  bookingId: string | null;
  notes: string | null;
}

function sessionRow(r: Random, s: StorySession, coach: DemoUser, time: Timeline): Row {
  const created = Math.min(s.start, time.now) - 3 * MICROS_PER_DAY - r.int(1, 999);
  return {
    id: r.uuid(),
    user_id: s.client.id,
    coach_id: coach.id,
    booking_id: s.bookingId,
    session_date: timestamptz(s.start),
    notes: s.notes,
    action_items:
      s.status === 'completed'
        ? [
            { task: 'Write down three goals for the quarter', done: true, due: null },
            { task: 'Block two focus mornings a week', done: false, due: null },
          ]
        : [],
    status: s.status,
    created_at: timestamptz(created),
    updated_at: timestamptz(created + MICROS_PER_HOUR),
  };
}

/** The client's booked (and paid) session next week: the Cal.com booking, its payment row and the session. */
function bookedSessionRows(r: Random, client: Member, coach: Member, type: EventType, time: Timeline): StoryRows {
  const start = time.now + 5 * MICROS_PER_DAY + 2 * MICROS_PER_HOUR + r.int(1, 999);
  const calId = r.uuid();
  const calBookingId = 4_900_001;
  const booked = time.now - 2 * MICROS_PER_DAY + r.int(1, 999);
  const amount = amountText(priceMinor(type.usd, 'USD'), 'USD');
  const token = r.token(32);
  const paymentId = stripeId(r, 'pi');
  return {
    cal_bookings: [
      {
        id: calId,
        cal_booking_id: calBookingId,
        event_id: type.id,
        user_id: client.id,
        attendee_email: client.email,
        attendee_name: client.name,
        start_time: timestamptz(start),
        end_time: timestamptz(start + type.minutes * MICROS_PER_MINUTE),
        status: 'confirmed',
        meeting_url: `https://meet.zhengrowth.demo/${r.token(10)}`,
        metadata: {
          uid: r.token(22),
          responses: { name: client.name, email: client.email, notes: 'Follow-up on my quarterly goals' },
          organizer: { email: coach.email, timeZone: TIMEZONES[coach.lang][0] ?? 'UTC' },
        },
        created_at: timestamptz(booked),
        updated_at: timestamptz(booked + MICROS_PER_MINUTE),
      },
    ],
    bookings: [
      {
        id: r.uuid(),
        booking_token: token,
        cal_booking_id: calBookingId,
        customer_email: client.email,
        customer_name: client.name,
        event_type_id: type.id,
        amount,
        currency: 'USD',
        payment_id: paymentId,
        status: 'paid',
        metadata: { checkout: { session: stripeId(r, 'cs'), locale: client.lang }, coupon: null },
        created_at: timestamptz(booked),
        updated_at: timestamptz(booked + 2 * MICROS_PER_MINUTE),
      },
    ],
    payments: [
      {
        id: r.uuid(),
        user_id: null,
        order_id: null,
        amount,
        currency: 'USD',
        provider: 'stripe',
        provider_id: paymentId,
        status: 'succeeded',
        metadata: { booking_token: token },
        created_at: timestamptz(booked + 2 * MICROS_PER_MINUTE),
      },
    ],
    me_sessions: [sessionRow(r, { client, start, status: 'scheduled', bookingId: calId, notes: null }, coach, time)],
  };
}

function merge(into: StoryRows, more: StoryRows): void {
  for (const [table, rows] of Object.entries(more)) into[table] = [...(into[table] ?? []), ...(rows ?? [])];
}

export function generateStory(rng: Random, people: People, offers: Offer[], eventTypes: EventType[], time: Timeline): StoryRows {
  const r = rng.fork('demo_story');
  const coach = demoUser(people, 1);
  const client = demoUser(people, 2);
  const demoEmails = new Set<string>(DEMO_ACCOUNTS.map((a) => a.email));
  const [o1, o2, o3 = o1, o4 = o2] = people.members.filter((m) => m.roles.includes('client') && !demoEmails.has(m.email));
  const offer = offers[0];
  const coaching = eventTypes.find((t) => t.slug === 'coaching-60') ?? eventTypes.find((t) => t.usd > 0);
  if (!offer || !coaching || !o1 || !o2 || !o3 || !o4) throw new Error('the demo story needs an offer, a paid session type and two other clients');
  const at = (days: number, hourUtc: number): Micros => time.now + days * MICROS_PER_DAY + hourUtc * MICROS_PER_HOUR + r.int(1, 999);

  const rows: StoryRows = {};
  const webinar: StoryEvent = {
    id: r.uuid(),
    title: 'Free intro webinar: goals that stick · 免费入门讲座',
    start: at(6, 12),
    hours: 1.5,
    capacity: 100,
    tags: ['webinar', 'free'],
    prices: [{ tier: 'standard', currency: 'USD', minor: 0, region: null }],
    regs: [
      { user: client, tier: 'standard' },
      { user: o1, tier: 'standard' },
      { user: o2, tier: 'standard' },
    ],
  };
  const workshop: StoryEvent = {
    id: r.uuid(),
    title: 'Growth workshop: a plan for the next quarter · 成長工作坊',
    start: at(13, 9),
    hours: 3,
    capacity: 30,
    tags: ['workshop'],
    prices: [
      { tier: 'standard', currency: 'USD', minor: 4900, region: null },
      { tier: 'early_bird', currency: 'USD', minor: 3900, region: null },
      { tier: 'community', currency: 'USD', minor: 0, region: null },
      { tier: 'standard', currency: 'TWD', minor: 150_000, region: 'TW' },
    ],
    regs: [
      { user: o3, tier: 'early_bird' },
      { user: o4, tier: 'community' },
    ],
  };
  for (const e of [webinar, workshop]) merge(rows, eventRows(r, e, coach, time));
  merge(rows, orderRows(r, client, offer, time));
  merge(rows, bookedSessionRows(r, client, coach, coaching, time));
  // The client's first session, three weeks ago, and the coach's other sessions this week.
  const past: StorySession = {
    client,
    start: at(-16, 2),
    status: 'completed',
    bookingId: null,
    notes: 'First session: goals for the quarter, and what gets in the way.',
  };
  const week = [o1, o2].map((c, k): StorySession => ({ client: c, start: at(2 + 2 * k, 1 + k), status: 'scheduled', bookingId: null, notes: null }));
  merge(rows, { me_sessions: [past, ...week].map((s) => sessionRow(r, s, coach, time)) });
  return Object.fromEntries(Object.entries(rows).map(([t, v]) => [`public.${t}`, v]));
}
