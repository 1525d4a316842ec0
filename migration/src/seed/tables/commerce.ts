import type { DemoCounts } from '../counts.js';
import { amountText, pickCurrency, priceMinor, type DemoCurrency } from '../money.js';
import type { Random } from '../random.js';
import type { Row, TableRows } from '../rows.js';
import { personName, pickLang } from '../text.js';
import { after, MICROS_PER_DAY, randomTime, timestamptz, type Timeline } from '../time.js';
import type { CalBooking, EventType, Offer } from './coaching.js';
import type { People } from './users.js';

export const TAX_RATE: Readonly<Record<DemoCurrency, number>> = { USD: 0.0875, EUR: 0.2, GBP: 0.2, CNY: 0.06, TWD: 0.05, HKD: 0, JPY: 0.1, KRW: 0.1, KWD: 0 };

export function stripeId(rng: Random, prefix: string): string {
  return `${prefix}_${rng.token(24, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`;
}

export function generateCommerce(
  rng: Random,
  counts: DemoCounts,
  people: People,
  offers: Offer[],
  eventTypes: EventType[],
  calBookings: CalBooking[],
  time: Timeline,
): { tables: TableRows[] } {
  // bookings: payments taken for Cal.com sessions, some tied to a cal booking (unique per row).
  const b = rng.fork('bookings');
  const bookingRows: Row[] = [];
  const paidBookings: Array<{ amount: string; currency: DemoCurrency; paymentId: string | null; token: string; at: number }> = [];
  const linkable = b.sample(
    calBookings.filter((c) => c.calBookingId !== null),
    Math.floor(counts.bookings * 0.7),
  );
  for (let i = 0; i < counts.bookings; i++) {
    const cal = linkable[i] ?? null;
    const type = (cal && eventTypes.find((t) => t.id === cal.eventTypeId)) ?? b.pick(eventTypes);
    const currency = pickCurrency(b);
    const minor = priceMinor(Math.max(type.usd, 30), currency);
    // Now and then a zero-decimal amount written with decimals ("15000.00" JPY), as a hand-edited
    // row would hold it: valid, and the migration must still read it as 15000 yen.
    const amount = b.chance(0.03) ? null : currency === 'JPY' && b.chance(0.3) ? `${amountText(minor, currency)}.00` : amountText(minor, currency);
    const created = cal ? randomTime(b, cal.start - 20 * MICROS_PER_DAY, cal.start) : randomTime(b, time.historyStart, time.now);
    const status = b.weighted([
      ['paid', 6],
      ['pending', 2],
      ['cancelled', 1],
      ['refunded', 1],
    ]);
    const token = b.token(32);
    const paymentId = status === 'pending' ? null : b.chance(0.7) ? stripeId(b, 'pi') : `int_${b.token(20)}`;
    const updated = after(b, created, 5, 86_400 * 3);
    if (status === 'paid' && amount !== null) paidBookings.push({ amount, currency, paymentId, token, at: updated });
    bookingRows.push({
      id: b.uuid(),
      booking_token: token,
      cal_booking_id: cal?.calBookingId ?? null,
      customer_email: cal?.email ?? `buyer.${b.token(5)}.${i}@example.org`,
      customer_name: cal?.name ?? b.maybe(0.3, () => personName(b, pickLang(b))),
      event_type_id: b.chance(0.05) ? null : type.id,
      amount,
      currency,
      payment_id: paymentId,
      status,
      metadata: { checkout: { session: stripeId(b, 'cs'), locale: b.pick(['en', 'zh-CN', 'zh-TW']) }, coupon: b.chance(0.1) ? 'WELCOME10' : null },
      created_at: timestamptz(created),
      updated_at: timestamptz(updated),
    });
  }

  // express_orders, their payments (with a few refunds) and receipts.
  const o = rng.fork('express_orders');
  const p = rng.fork('payments');
  const rc = rng.fork('me_receipts');
  const orderRows: Row[] = [];
  const paymentRows: Row[] = [];
  const receiptRows: Row[] = [];
  for (let i = 0; i < counts.expressOrders; i++) {
    // The first two orders are paid by members, so that even a tiny scale has payments and receipts.
    const buyer = i < 2 || o.chance(0.8) ? o.pick(people.members) : null;
    const currency = pickCurrency(o);
    const items = o.sample(offers, o.int(1, 2)).map((offer) => {
      const qty = o.chance(0.9) ? 1 : 2;
      const unitMinor = offer.currency === currency ? offer.priceMinor : priceMinor(o.int(50, 2000), currency);
      return { offer, qty, unitMinor };
    });
    const subtotal = items.reduce((s, it) => s + it.unitMinor * it.qty, 0);
    const tax = Math.round(subtotal * TAX_RATE[currency]);
    const total = subtotal + tax;
    const created = randomTime(o, buyer?.createdAt ?? time.historyStart, time.now);
    const status =
      i < 2
        ? 'paid'
        : o.weighted([
            ['paid', 7],
            ['pending', 2],
            ['failed', 1],
            ['refunded', 1],
          ]);
    const provider = status === 'pending' && o.chance(0.5) ? null : o.pick(['stripe', 'airwallex']);
    const paymentId = provider === null ? null : provider === 'stripe' ? stripeId(o, 'pi') : `int_${o.token(20)}`;
    const id = o.uuid();
    orderRows.push({
      id,
      order_number: `ZG-${new Date(created / 1000).getUTCFullYear()}-${String(i + 1).padStart(6, '0')}`,
      user_id: buyer?.id ?? null,
      customer_email: buyer?.email ?? `checkout.${o.token(5)}.${i}@example.com`,
      customer_name: buyer?.name ?? o.maybe(0.4, () => personName(o, pickLang(o))),
      items: items.map((it) => ({
        offer_id: it.offer.id,
        slug: it.offer.slug,
        title: it.offer.title,
        quantity: it.qty,
        unit_amount: amountText(it.unitMinor, currency),
        currency,
      })),
      subtotal: amountText(subtotal, currency),
      tax: amountText(tax, currency),
      total: amountText(total, currency),
      currency,
      payment_provider: provider,
      payment_id: paymentId,
      status,
      metadata: { ip_country: o.pick(['US', 'CN', 'TW', 'JP', 'KW', 'HK']), coupon: o.chance(0.1) ? { code: 'SPRING25', percent: 25 } : null },
      created_at: timestamptz(created),
      updated_at: timestamptz(after(o, created, 2, 3600)),
    });
    if (provider !== null && (status === 'paid' || status === 'refunded' || status === 'failed')) {
      const paidAt = after(p, created, 1, 600);
      paymentRows.push({
        id: p.uuid(),
        user_id: buyer?.id ?? null,
        order_id: id,
        amount: amountText(total, currency),
        currency,
        provider,
        provider_id: paymentId,
        status: status === 'failed' ? 'failed' : 'succeeded',
        metadata: {
          raw: { object: provider === 'stripe' ? 'payment_intent' : 'payment_intent', livemode: false, charges: { count: 1 } },
          card: { brand: p.pick(['visa', 'mastercard', 'unionpay', 'jcb']), last4: String(p.int(1000, 9999)) },
        },
        created_at: timestamptz(paidAt),
      });
      if (status === 'refunded') {
        // A refund is a second payment row with a negative amount.
        paymentRows.push({
          id: p.uuid(),
          user_id: buyer?.id ?? null,
          order_id: id,
          amount: amountText(-total, currency),
          currency,
          provider,
          provider_id: provider === 'stripe' ? stripeId(p, 're') : `rfd_${p.token(16)}`,
          status: 'refunded',
          metadata: { reason: p.pick(['requested_by_customer', 'duplicate']) },
          created_at: timestamptz(after(p, paidAt, 86_400, 86_400 * 20)),
        });
      }
      if (buyer && status !== 'failed') {
        receiptRows.push({
          id: rc.uuid(),
          user_id: buyer.id,
          order_id: rc.chance(0.02) ? null : id,
          amount: amountText(total, currency),
          currency,
          receipt_url: rc.maybe(0.1, () => `https://pay.zhengrowth.demo/receipts/${rc.token(20)}`),
          issued_at: timestamptz(after(rc, paidAt, 1, 120)),
          metadata: { number: `R-${String(receiptRows.length + 1).padStart(6, '0')}`, tax: amountText(tax, currency), lines: items.length },
        });
      }
    }
  }
  // Payments for cal bookings: no express order behind them.
  for (const paid of paidBookings.slice(0, Math.ceil(counts.bookings / 4))) {
    paymentRows.push({
      id: p.uuid(),
      user_id: null,
      order_id: null,
      amount: paid.amount,
      currency: paid.currency,
      provider: 'stripe',
      provider_id: paid.paymentId,
      status: 'succeeded',
      metadata: { booking_token: paid.token },
      created_at: timestamptz(paid.at),
    });
  }

  const c = rng.fork('coupons');
  const couponRows: Row[] = (
    [
      ['WELCOME10', 'percent', '10', null],
      ['SPRING25', 'percent', '25', null],
      ['NEWYEAR2025', 'percent', '15', null],
      ['双十一', 'percent', '11', null],
      ['FRIEND50', 'fixed', '50.00', 'USD'],
      ['JPY3000OFF', 'fixed', '3000', 'JPY'],
      ['KWD5', 'fixed', '5.250', 'KWD'],
      ['TWD500', 'fixed', '500.00', 'TWD'],
      ['EUR20', 'fixed', '20.00', 'EUR'],
      ['VIP100', 'fixed', '100.00', 'USD'],
      ['STUDENT30', 'percent', '30', null],
      ['HALFOFF', 'percent', '50', null],
    ] as const
  ).map(([code, type, value, currency], i) => {
    const created = randomTime(c, time.historyStart, time.now - 10 * MICROS_PER_DAY);
    const maxUses = c.maybe(0.3, () => c.int(10, 500));
    return {
      id: c.uuid(),
      code,
      discount_type: type,
      discount_value: value,
      currency,
      max_uses: maxUses,
      uses_count: c.int(0, maxUses ?? 800),
      valid_from: timestamptz(created),
      valid_until: c.maybe(0.3, () => timestamptz(randomTime(c, created, time.now + 180 * MICROS_PER_DAY))),
      active: i % 5 !== 4,
      metadata: {
        min_order: c.chance(0.5) ? { amount: '100.00', currency: 'USD' } : null,
        offers: c.chance(0.3) ? c.sample(offers, 2).map((x) => x.slug) : [],
      },
      created_at: timestamptz(created),
    };
  });

  return {
    tables: [
      { table: 'public.bookings', rows: bookingRows },
      { table: 'public.express_orders', rows: orderRows },
      { table: 'public.payments', rows: paymentRows },
      { table: 'public.me_receipts', rows: receiptRows },
      { table: 'public.coupons', rows: couponRows },
    ],
  };
}
