/** A test's world: its own Firestore project in the emulator, fake providers, and handler deps. */
import { randomBytes } from 'node:crypto';
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import type { CallableRequest } from 'firebase-functions/v2/https';
import { calEventTypes, coupons, eventPrices, events, offers, users, type CouponDoc } from '@zhengrowth/model';
import { put, testFirebase, testProjectId, type TestFirebase } from '@zhengrowth/devstack/testing';

export { put };
import { runCallable } from '../../src/core/callable.js';
import { createCheckout as createCheckoutContract } from '@zhengrowth/model';
import { createCheckout, type CheckoutResult } from '../../src/checkout/create.js';
import type { PaymentDeps } from '../../src/payments/deps.js';
import { airwallexGateway, stripeGateway } from '../../src/payments/providers.js';
import { linkSigner } from '../../src/shared/links.js';
import type { WebhookDeps } from '../../src/core/webhook-delivery.js';
import { fakeAirwallex, fakeStripe, type FakeServer } from './fake-providers.js';

export const AIRWALLEX_CREDENTIALS = { clientId: 'test-client', apiKey: 'test-api-key' };
export const TEST_SECRETS = { stripe: 'whsec_test_stripe_secret', airwallex: 'test_airwallex_secret', cal: 'test_cal_secret', links: 'test_guest_link_secret' };
export const APP_URL = 'https://app.zhengrowth.test';

export interface TestEnv {
  fb: TestFirebase;
  db: Firestore;
  stripe: FakeServer;
  airwallex: FakeServer;
  deps(overrides?: Partial<PaymentDeps>): PaymentDeps;
  webhookDeps(secret: string, now?: () => Date): WebhookDeps;
  close(): Promise<void>;
}

/** A fresh environment; `projectId` defaults to a project of its own (pass the functions emulator's to share data with it). */
export async function testEnv(label: string, projectId = testProjectId(label)): Promise<TestEnv> {
  const fb = testFirebase(projectId);
  const [stripe, airwallex] = await Promise.all([fakeStripe(), fakeAirwallex(AIRWALLEX_CREDENTIALS)]);
  const deps = (overrides: Partial<PaymentDeps> = {}): PaymentDeps => ({
    db: fb.db,
    now: () => new Date(),
    stripe: () => stripeGateway({ secretKey: 'sk_test_fake', apiBase: stripe.origin }),
    airwallex: () => airwallexGateway({ apiBase: airwallex.origin, ...AIRWALLEX_CREDENTIALS }),
    taxRatePercent: '0',
    checkoutTtlMinutes: 60,
    redirectOrigins: [new URL(URLS.success_url).origin],
    links: linkSigner(TEST_SECRETS.links),
    appUrl: APP_URL,
    ...overrides,
  });
  return {
    fb,
    db: fb.db,
    stripe,
    airwallex,
    deps,
    webhookDeps: (secret, now = () => new Date()) => ({ db: fb.db, now, secret, ledgerRetentionDays: 30 }),
    close: async () => {
      await Promise.all([stripe.close(), airwallex.close()]);
      await fb.close();
    },
  };
}

export const uniq = (prefix: string): string => `${prefix}${randomBytes(5).toString('hex')}`;

export interface Auth {
  uid: string;
  token: Record<string, unknown>;
}

export function buyer(email = `${uniq('buyer')}@example.com`, uid = uniq('u')): Auth {
  return { uid, token: { email, email_verified: true, roles: ['client'] } };
}

export function admin(): Auth {
  return { uid: uniq('admin'), token: { email: 'admin@zhengrowth.test', email_verified: true, roles: ['admin'] } };
}

export async function seedUser(db: Firestore, auth: Auth): Promise<void> {
  await put(db.doc(users.docPath({ uid: auth.uid })).withConverter(users.converter), {
    profile_id: null,
    email: String(auth.token.email),
    name: 'Test Client',
    avatar_url: null,
    lang: 'en',
    timezone: 'Europe/London',
    created_at: Timestamp.now(),
    updated_at: null,
    metadata: null,
    roles: ['client'],
    role_grants: {},
  });
}

export async function seedOffer(db: Firestore, o: { price_minor: number; currency: string; title?: string; active?: boolean }): Promise<string> {
  const id = uniq('offer-');
  await put(db.doc(offers.docPath({ offerId: id })).withConverter(offers.converter), {
    slug: id,
    title: o.title ?? 'Growth package',
    description: null,
    price_minor: o.price_minor,
    currency: o.currency,
    duration_weeks: 8,
    sessions_included: 4,
    features: [],
    active: o.active ?? true,
    created_at: Timestamp.now(),
    updated_at: null,
    metadata: null,
  });
  return id;
}

export interface PriceSeed {
  tier?: string;
  currency: string;
  amount_minor: number;
  region?: string | null;
}

export async function seedEvent(
  db: Firestore,
  e: { capacity: number | null; prices: PriceSeed[]; startsInDays?: number; published?: boolean },
): Promise<{ eventId: string; priceIds: string[] }> {
  const eventId = uniq('event-');
  await put(db.doc(events.docPath({ eventId })).withConverter(events.converter), {
    slug: eventId,
    title: 'Growth workshop',
    description: null,
    start_time: Timestamp.fromMillis(Date.now() + (e.startsInDays ?? 30) * 86_400_000),
    end_time: null,
    timezone: 'America/Los_Angeles',
    location: 'online',
    capacity: e.capacity,
    registered_count: 0,
    cover_image: null,
    published: e.published ?? true,
    tags: [],
    metadata: null,
    created_at: Timestamp.now(),
    updated_at: null,
  });
  const priceIds: string[] = [];
  for (const p of e.prices) {
    const priceId = uniq('price-');
    priceIds.push(priceId);
    await put(db.doc(eventPrices.docPath({ eventId, priceId })).withConverter(eventPrices.converter), {
      event_id: eventId,
      tier: p.tier ?? 'standard',
      currency: p.currency,
      amount_minor: p.amount_minor,
      region: p.region ?? null,
      active: true,
      metadata: null,
    });
  }
  return { eventId, priceIds };
}

export async function seedCoupon(db: Firestore, c: Partial<CouponDoc> & Pick<CouponDoc, 'discount_type'>): Promise<{ id: string; code: string }> {
  const id = uniq('coupon-');
  const code = c.code ?? uniq('SAVE').toUpperCase();
  await put(db.doc(coupons.docPath({ couponId: id })).withConverter(coupons.converter), {
    code,
    discount_percent: null,
    discount_amount_minor: null,
    currency: null,
    max_uses: null,
    uses_count: 0,
    valid_from: null,
    valid_until: null,
    active: true,
    metadata: null,
    created_at: Timestamp.now(),
    reserved_count: 0,
    ...c,
  });
  return { id, code };
}

export async function seedSessionType(db: Firestore, t: { price_minor: number | null; currency: string | null }): Promise<number> {
  const id = 100_000 + Math.floor(Math.random() * 800_000);
  await put(db.doc(calEventTypes.docPath({ eventTypeId: String(id) })).withConverter(calEventTypes.converter), {
    slug: `coaching-${id}`,
    title: 'Coaching 60',
    description: null,
    duration_minutes: 60,
    price_minor: t.price_minor,
    currency: t.currency,
    active: true,
    metadata: null,
    created_at: Timestamp.now(),
    updated_at: null,
  });
  return id;
}

export const URLS = { success_url: 'https://app.zhengrowth.test/checkout/success', cancel_url: 'https://app.zhengrowth.test/checkout/cancel' };

/** createCheckout as the callable runs it (input validation included). */
export function checkout(deps: PaymentDeps, auth: Auth | null, data: Record<string, unknown>): Promise<CheckoutResult> {
  return runCallable(createCheckoutContract, createCheckout, { data: { ...URLS, ...data }, auth: asAuthData(auth) }, deps);
}

/** The callable's auth as the functions runtime passes it (tests need only uid and token claims). */
export function asAuthData(auth: Auth | null): CallableRequest['auth'] {
  return auth ? ({ ...auth, rawToken: 'test-token' } as unknown as CallableRequest['auth']) : undefined;
}
