/**
 * `npm run bench:webhooks`: 1,000 signed deliveries to the three webhooks in the functions emulator
 * (700 distinct events, 300 repeats of them), 50 in flight, in random order (a refund may come
 * before its payment). Prints deliveries per second and latency percentiles, then audits that every
 * effect happened exactly once. Figures only: nothing here asserts a speed.
 *
 * Like Stripe and Airwallex, a delivery that is not answered 2xx (or not at all) is sent again,
 * re-signed, after a pause; the audit then checks that every event took effect exactly once.
 *
 * Starts its own emulators (Firestore and Functions) after building the workspaces, and stops them.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Timestamp, type DocumentReference, type Firestore } from 'firebase-admin/firestore';
import { calBookings, coupons, emailQueue, events, inbox, orders, payments, receipts, sessions, users, deliveries as ledger } from '@zhengrowth/model';
import { DEMO_PROJECT_ID, inFlight, percentile, repoRoot, setBackgroundTriggers, startEmulators, type EmulatorSuite } from '@zhengrowth/devstack';
import { calEventId } from '../src/webhooks/cal.js';
import { buyer, checkout, put, seedCoupon, seedEvent, testEnv, uniq, type TestEnv } from '../test/support/env.js';
import { airwallexHeaders, calSignature, fixture, localSecrets, stripeSignature } from '../test/support/signing.js';

const TOTAL = 1000;
const DUPLICATES = 300;
const IN_FLIGHT = 50;
const STRIPE_ORDERS = 250;
const STRIPE_REFUNDS = 50;
const AIRWALLEX_ORDERS = 200;
const AIRWALLEX_REFUNDS = 50;
const CAL_BOOKINGS = TOTAL - DUPLICATES - STRIPE_ORDERS - STRIPE_REFUNDS - AIRWALLEX_ORDERS - AIRWALLEX_REFUNDS; // 150
const PRICE = 2500; // minor units; with the 10 % coupon an order is 2250
const REFUND = 1000;

interface Delivery {
  fn: 'stripeWebhook' | 'airwallexWebhook' | 'calWebhook';
  /** Signed at send time: Stripe and Airwallex signatures carry a timestamp. */
  body: string;
  key: string;
}

interface Sent {
  /** The first attempt: what a single delivery costs. */
  status: number;
  outcome: string | undefined;
  ms: number;
  /** After the provider-style retries: the answer that ended the delivery. */
  finalStatus: number;
  finalOutcome: string | undefined;
  attempts: number;
}

/** Like the providers: a delivery not answered 2xx is sent again (re-signed) after a pause. */
const MAX_ATTEMPTS = 6;
const ATTEMPT_TIMEOUT_MS = 90_000;

const root = repoRoot();

function build(): void {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const res = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) throw new Error('the build failed');
}

function ensureSecrets(): void {
  const local = path.join(root, 'functions', '.secret.local');
  if (!fs.existsSync(local)) fs.copyFileSync(path.join(root, 'functions', '.secret.local.example'), local);
}

function shuffle<T>(a: T[]): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

interface Seeded {
  stripe: { orderId: string; orderNumber: string; sessionId: string }[];
  airwallex: { orderId: string; intentId: string; amount: string }[];
  cal: { uid: string; bookingId: number; email: string; userId: string; createdAt: string; start: number }[];
  eventIds: string[];
  couponIds: string[];
}

async function seed(env: TestEnv): Promise<Seeded> {
  const eventIds: string[] = [];
  const couponIds: string[] = [];
  const codes: string[] = [];
  // Enough events and coupons that concurrent checkouts seldom read the same ones.
  for (let i = 0; i < 20; i++) eventIds.push((await seedEvent(env.db, { capacity: null, prices: [{ currency: 'USD', amount_minor: PRICE }] })).eventId);
  for (let i = 0; i < 20; i++) {
    const c = await seedCoupon(env.db, { discount_type: 'percent', discount_percent: '10' });
    couponIds.push(c.id);
    codes.push(c.code);
  }
  const seeded: Seeded = { stripe: [], airwallex: [], cal: [], eventIds, couponIds };
  const plan = Array.from({ length: STRIPE_ORDERS + AIRWALLEX_ORDERS }, (_, i) => i);
  await inFlight(8, plan, async (i) => {
    const provider = i < STRIPE_ORDERS ? 'stripe' : 'airwallex';
    const res = await checkout(env.deps(), buyer(), {
      provider,
      coupon_code: codes[i % codes.length],
      items: [{ kind: 'event_ticket', event_id: eventIds[i % eventIds.length] }],
    });
    if (provider === 'stripe') seeded.stripe.push({ orderId: res.order_id, orderNumber: res.order_number, sessionId: res.stripe?.session_id ?? '' });
    else seeded.airwallex.push({ orderId: res.order_id, intentId: res.airwallex?.intent_id ?? '', amount: res.airwallex?.amount ?? '' });
  });
  for (let i = 0; i < CAL_BOOKINGS; i++) {
    const userId = uniq('benchuser');
    const email = `${userId}@example.com`;
    await put(
      db(env)
        .doc(users.docPath({ uid: userId }))
        .withConverter(users.converter),
      {
        profile_id: null,
        email,
        name: 'Bench Client',
        avatar_url: null,
        lang: 'en',
        timezone: null,
        created_at: Timestamp.now(),
        updated_at: null,
        metadata: null,
        roles: ['client'],
        role_grants: {},
      },
    );
    seeded.cal.push({
      uid: uniq('benchuid'),
      bookingId: 1 + i + Math.floor(Math.random() * 1e9),
      email,
      userId,
      createdAt: new Date().toISOString(),
      start: Date.now() + 86_400_000 * (1 + (i % 30)),
    });
  }
  return seeded;
}

const db = (env: TestEnv): Firestore => env.db;

function deliveries(s: Seeded): Delivery[] {
  const now = Math.floor(Date.now() / 1000);
  const out: Delivery[] = [];
  const stripeValues = (o: Seeded['stripe'][number], eventId: string) => ({
    event_id: eventId,
    order_id: o.orderId,
    order_number: o.orderNumber,
    session_id: o.sessionId,
    payment_intent: `pi_${o.orderId}`,
    charge_id: `ch_${o.orderId}`,
    amount: 2250,
    refunded: REFUND,
    fully_refunded: 'false',
    currency: 'usd',
    created: now,
    expires: now + 3600,
  });
  s.stripe.forEach((o, i) => {
    const id = `evt_bench_c_${o.orderId}`;
    out.push({ fn: 'stripeWebhook', key: `stripe:${id}`, body: fixture('stripe', 'checkout.session.completed', stripeValues(o, id)) });
    if (i < STRIPE_REFUNDS) {
      const rid = `evt_bench_r_${o.orderId}`;
      out.push({ fn: 'stripeWebhook', key: `stripe:${rid}`, body: fixture('stripe', 'charge.refunded', stripeValues(o, rid)) });
    }
  });
  s.airwallex.forEach((o, i) => {
    const base = { order_id: o.orderId, intent_id: o.intentId, amount: o.amount, captured: o.amount, currency: 'USD' };
    const id = `evt_bench_s_${o.orderId}`;
    out.push({ fn: 'airwallexWebhook', key: `airwallex:${id}`, body: fixture('airwallex', 'payment_intent.succeeded', { ...base, event_id: id }) });
    if (i < AIRWALLEX_REFUNDS) {
      const rid = `evt_bench_r_${o.orderId}`;
      const refund = { ...base, event_id: rid, refund_id: `rfd_${o.orderId}`, refund_request: `req_${o.orderId}`, amount: '10.00' };
      out.push({ fn: 'airwallexWebhook', key: `airwallex:${rid}`, body: fixture('airwallex', 'refund.accepted', refund) });
    }
  });
  for (const b of s.cal) {
    const body = fixture('cal', 'BOOKING_CREATED', {
      uid: b.uid,
      booking_id: b.bookingId,
      start: new Date(b.start).toISOString(),
      end: new Date(b.start + 3_600_000).toISOString(),
      created_at: b.createdAt,
      email: b.email,
      name: 'Bench Client',
      booking_token: 'none',
      event_type_id: 4242,
    });
    out.push({ fn: 'calWebhook', key: `cal:${calEventId('BOOKING_CREATED', b.uid, b.createdAt)}`, body });
  }
  return out;
}

function signedHeaders(d: Delivery, secrets: Record<string, string>): Record<string, string> {
  switch (d.fn) {
    case 'stripeWebhook':
      return { 'stripe-signature': stripeSignature(d.body, secrets.STRIPE_WEBHOOK_SECRET as string) };
    case 'airwallexWebhook':
      return airwallexHeaders(d.body, secrets.AIRWALLEX_WEBHOOK_SECRET as string);
    case 'calWebhook':
      return { 'x-cal-signature-256': calSignature(d.body, secrets.CAL_WEBHOOK_SECRET as string) };
  }
}

async function attempt(base: string, d: Delivery, secrets: Record<string, string>): Promise<{ status: number; outcome: string | undefined; ms: number }> {
  const t0 = performance.now();
  try {
    const res = await fetch(`${base}/${d.fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedHeaders(d, secrets) },
      body: d.body,
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    const json = (await res.json().catch(() => ({}))) as { outcome?: string };
    return { status: res.status, outcome: json.outcome, ms: performance.now() - t0 };
  } catch {
    return { status: 0, outcome: undefined, ms: performance.now() - t0 };
  }
}

async function send(base: string, d: Delivery, secrets: Record<string, string>): Promise<Sent> {
  const first = await attempt(base, d, secrets);
  let last = first;
  let attempts = 1;
  while (last.status !== 200 && attempts < MAX_ATTEMPTS) {
    await new Promise((r) => setTimeout(r, 1000 * 2 ** (attempts - 1)));
    last = await attempt(base, d, secrets);
    attempts++;
  }
  return { ...first, finalStatus: last.status, finalOutcome: last.outcome, attempts };
}

async function audit(env: TestEnv, s: Seeded, unique: Delivery[], results: Sent[]): Promise<string[]> {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const d = db(env);
  const get = async <T>(ref: DocumentReference<T>) => (await ref.get()).data();

  // Every delivery ends 200 (after retries); no more "applied" answers than distinct events (an
  // attempt that timed out may have been applied, its retry then says "duplicate").
  check(
    results.every((r) => r.finalStatus === 200),
    `deliveries never answered 200: ${results.filter((r) => r.finalStatus !== 200).length}`,
  );
  const applied = results.filter((r) => r.finalOutcome === 'applied').length;
  check(applied <= unique.length, `applied answers ${applied}, more than the ${unique.length} distinct events`);
  const records = await Promise.all(unique.map((u) => get(d.doc(ledger.docPath({ deliveryId: u.key })).withConverter(ledger.converter))));
  check(
    records.every((r) => r?.outcome === 'applied'),
    `delivery records: ${records.filter((r) => r?.outcome === 'applied').length} of ${unique.length} applied`,
  );

  const paidOrders = [
    ...s.stripe.map((o) => ({ orderId: o.orderId, pay: `stripe-pi_${o.orderId}` })),
    ...s.airwallex.map((o) => ({ orderId: o.orderId, pay: `airwallex-${o.intentId}` })),
  ];
  const refunded = new Set([...s.stripe.slice(0, STRIPE_REFUNDS), ...s.airwallex.slice(0, AIRWALLEX_REFUNDS)].map((o) => o.orderId));
  let emails = 0;
  let receiptsFound = 0;
  let paymentsFound = 0;
  for (const o of paidOrders) {
    const [order, payment, receipt, email] = await Promise.all([
      get(d.doc(orders.docPath({ orderId: o.orderId })).withConverter(orders.converter)),
      get(d.doc(payments.docPath({ paymentId: o.pay })).withConverter(payments.converter)),
      receiptOf(d, o.orderId),
      get(d.doc(emailQueue.docPath({ emailId: `order-${o.orderId}-confirmation` })).withConverter(emailQueue.converter)),
    ]);
    const wantStatus = refunded.has(o.orderId) ? 'partially_refunded' : 'paid';
    check(order?.status === wantStatus, `order ${o.orderId}: ${order?.status}, expected ${wantStatus}`);
    check((order?.refunded_minor ?? 0) === (refunded.has(o.orderId) ? REFUND : 0), `order ${o.orderId}: refunded ${order?.refunded_minor}`);
    check(order?.coupon_state === 'used', `order ${o.orderId}: coupon ${order?.coupon_state}`);
    if (payment?.amount_minor === 2250) paymentsFound++;
    if (receipt) receiptsFound++;
    if (email) emails++;
  }
  check(paymentsFound === paidOrders.length, `payments ${paymentsFound} of ${paidOrders.length}`);
  check(receiptsFound === paidOrders.length, `receipts ${receiptsFound} of ${paidOrders.length}`);
  check(emails === paidOrders.length, `confirmation emails ${emails} of ${paidOrders.length}`);
  const couponDocs = await Promise.all(s.couponIds.map((couponId) => get(d.doc(coupons.docPath({ couponId })).withConverter(coupons.converter))));
  const uses = couponDocs.reduce((n, c) => n + (c?.uses_count ?? 0), 0);
  const held = couponDocs.reduce((n, c) => n + (c?.reserved_count ?? 0), 0);
  check(uses === paidOrders.length && held === 0, `coupon uses ${uses} (held ${held}), expected ${paidOrders.length} (held 0)`);
  const eventDocs = await Promise.all(s.eventIds.map((eventId) => get(d.doc(events.docPath({ eventId })).withConverter(events.converter))));
  const seats = eventDocs.reduce((n, e) => n + (e?.registered_count ?? 0), 0);
  check(seats === paidOrders.length, `seats ${seats}, expected ${paidOrders.length}`);

  let sessionsFound = 0;
  let notices = 0;
  let calEmails = 0;
  for (const b of s.cal) {
    const [cal, session, notice, email] = await Promise.all([
      get(d.doc(calBookings.docPath({ calBookingDocId: `cal-${b.uid}` })).withConverter(calBookings.converter)),
      get(d.doc(sessions.docPath({ uid: b.userId, sessionId: `cal-${b.uid}` })).withConverter(sessions.converter)),
      get(d.doc(inbox.docPath({ uid: b.userId, itemId: `cal-${calEventId('BOOKING_CREATED', b.uid, b.createdAt)}` })).withConverter(inbox.converter)),
      get(d.doc(emailQueue.docPath({ emailId: `cal-${b.uid}-confirmed` })).withConverter(emailQueue.converter)),
    ]);
    check(cal?.status === 'confirmed' && cal.user_id === b.userId, `cal booking ${b.uid}: ${cal?.status}`);
    if (session?.status === 'scheduled') sessionsFound++;
    if (notice) notices++;
    if (email) calEmails++;
    const all = await d.collection(sessions.collectionPath({ uid: b.userId })).listDocuments();
    check(all.length === 1, `user ${b.userId}: ${all.length} sessions`);
  }
  check(sessionsFound === s.cal.length, `sessions ${sessionsFound} of ${s.cal.length}`);
  check(notices === s.cal.length, `inbox notices ${notices} of ${s.cal.length}`);
  check(calEmails === s.cal.length, `booking emails ${calEmails} of ${s.cal.length}`);
  return problems;

  async function receiptOf(fs: Firestore, orderId: string) {
    const order = await get(fs.doc(orders.docPath({ orderId })).withConverter(orders.converter));
    return order?.user_id ? get(fs.doc(receipts.docPath({ uid: order.user_id, receiptId: orderId })).withConverter(receipts.converter)) : undefined;
  }
}

async function main(): Promise<number> {
  console.log('Building the workspaces…');
  build();
  ensureSecrets();
  const secrets = localSecrets();
  console.log('Starting the Firestore and Functions emulators…');
  let suite: EmulatorSuite | undefined;
  let env: TestEnv | undefined;
  try {
    // Loading a worker can take minutes while 50 others do: never let the emulator drop a request for it.
    suite = await startEmulators({ only: ['firestore', 'functions'], extraEnv: { FUNCTIONS_DISCOVERY_TIMEOUT: '600' } });
    Object.assign(process.env, suite.env);
    // The webhooks are measured, not the messages they queue (bench:email measures those).
    await setBackgroundTriggers(suite, false);
    const base = `${suite.functionsOrigin}/${DEMO_PROJECT_ID}/us-central1`;
    env = await testEnv('bench', DEMO_PROJECT_ID);

    let t = performance.now();
    const seeded = await seed(env);
    console.log(
      `Seeded ${seeded.stripe.length + seeded.airwallex.length} pending orders and ${seeded.cal.length} users in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    const unique = deliveries(seeded);
    const repeats = Array.from({ length: DUPLICATES }, () => unique[Math.floor(Math.random() * unique.length)] as Delivery);
    const all = shuffle([...unique, ...repeats]);
    if (all.length !== TOTAL) throw new Error(`planned ${all.length} deliveries`);

    // The emulator starts one worker process per concurrent request. Start them before timing, in
    // waves: 50 Node processes loading at once on a small machine miss the emulator's load timeout.
    t = performance.now();
    let warmFailures = 0;
    for (const size of [4, 8, 16, 32, IN_FLIGHT]) {
      const wave = all
        .slice(0, size)
        .map((d) =>
          fetch(`${base}/${d.fn}`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(180_000) }).then(
            (r) => r.text(),
          ),
        );
      warmFailures += (await Promise.allSettled(wave)).filter((r) => r.status === 'rejected').length;
    }
    console.log(
      `Warm-up (unsigned requests in waves up to ${IN_FLIGHT}, all refused): ${((performance.now() - t) / 1000).toFixed(1)} s${warmFailures ? `, ${warmFailures} failed` : ''}`,
    );

    const results = new Array<Sent>(all.length);
    t = performance.now();
    await inFlight(IN_FLIGHT, all, async (d, i) => {
      results[i] = await send(base, d, secrets);
    });
    const seconds = (performance.now() - t) / 1000;
    const ms = results.map((r) => r.ms).sort((a, b) => a - b);
    const count = (key: (r: Sent) => string): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const r of results) out[key(r)] = (out[key(r)] ?? 0) + 1;
      return out;
    };
    const retried = results.filter((r) => r.attempts > 1);
    console.log(`
Webhook deliveries through the functions emulator
  deliveries       ${all.length} (${unique.length} distinct events, ${DUPLICATES} repeats), ${IN_FLIGHT} in flight
  mix              Stripe ${STRIPE_ORDERS + STRIPE_REFUNDS}, Airwallex ${AIRWALLEX_ORDERS + AIRWALLEX_REFUNDS}, Cal.com ${CAL_BOOKINGS} distinct
  wall time        ${seconds.toFixed(1)} s
  throughput       ${(all.length / seconds).toFixed(1)} deliveries/s
  latency (ms)     first attempts: p50 ${percentile(ms, 50).toFixed(0)}  p90 ${percentile(ms, 90).toFixed(0)}  p99 ${percentile(ms, 99).toFixed(0)}  max ${(ms.at(-1) ?? NaN).toFixed(0)}
  first attempts   HTTP ${JSON.stringify(count((r) => String(r.status)))} (0: no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s)
  retried          ${retried.length} deliveries, ${retried.reduce((n, r) => n + r.attempts - 1, 0)} extra attempts (as a provider would)
  final answers    HTTP ${JSON.stringify(count((r) => String(r.finalStatus)))}, outcomes ${JSON.stringify(count((r) => r.finalOutcome ?? '-'))}`);

    t = performance.now();
    const problems = await audit(env, seeded, unique, results);
    console.log(
      `\nAudit (${((performance.now() - t) / 1000).toFixed(1)} s): ${problems.length === 0 ? 'every effect happened exactly once' : `${problems.length} problem(s)`}`,
    );
    for (const p of problems.slice(0, 20)) console.log(`  ✗ ${p}`);
    return problems.length === 0 ? 0 : 1;
  } catch (err) {
    console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  } finally {
    await env?.close();
    await suite?.stop();
  }
}

process.exitCode = await main();
