/**
 * Issue 14's money flows end to end: the typed client and the real web SDK on one side, the
 * functions emulator's webhooks signed as the providers sign them on the other. A visitor buys a
 * coaching package without an account, charged what the quote said (Stripe's API is the fake Stripe behind the run's stand-in
 * proxy); Stripe reports the payment three times; the visitor signs up with the same, verified
 * address and finds the order and one entitlement; Cal.com bookings use a credit and a cancellation
 * gives it back; a dispute opens and closes without moving money; a refund made in Stripe's
 * dashboard revokes the entitlement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorHosts, routeStandIn, unrouteStandIn, type TestFirebase } from '@zhengrowth/devstack/testing';
import { seedEvent, seedOffer, seedSessionType } from '../../../functions/test/support/env.js';
import { fakeStripe, type FakeServer } from '../../../functions/test/support/fake-providers.js';
import { calBooking, chargeRefunded, sessionCompleted, stripeEvent } from '../../../functions/test/support/flows.js';
import { calSignature, localSecrets, stripeSignature } from '../../../functions/test/support/signing.js';
import { adminOfWebProject, eventually, refusal, signUp, uniqueEmail, webSessions } from './support/web.js';

let admin: TestFirebase;
let stripe: FakeServer;
const web = webSessions();
const session = web.open;

beforeAll(async () => {
  admin = adminOfWebProject();
  stripe = await fakeStripe();
  await routeStandIn('v1', `${stripe.origin}/v1`);
  await session()
    .api.health({})
    .catch(() => session().api.health({}));
}, 180_000);
afterAll(async () => {
  await unrouteStandIn('v1').catch(() => undefined);
  await web.closeAll();
  await stripe?.close();
  await admin?.close();
});

/** POSTs a provider delivery to the functions emulator's webhook, signed with the run's secret. */
async function deliver(fn: 'stripeWebhook' | 'calWebhook', body: string): Promise<{ status: number; outcome: unknown }> {
  const hosts = emulatorHosts();
  const secrets = localSecrets();
  const headers: Record<string, string> =
    fn === 'stripeWebhook'
      ? { 'stripe-signature': stripeSignature(body, secrets.STRIPE_WEBHOOK_SECRET ?? '') }
      : { 'x-cal-signature-256': calSignature(body, secrets.CAL_WEBHOOK_SECRET ?? '') };
  const res = await fetch(`${hosts.functions}/${hosts.projectId}/us-central1/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    signal: AbortSignal.timeout(120_000),
  });
  const json = (await res.json().catch(() => ({}))) as { outcome?: unknown };
  return { status: res.status, outcome: json.outcome };
}

const cal = (trigger: string, payload: Record<string, unknown>, createdAt = new Date().toISOString()): string =>
  JSON.stringify({ triggerEvent: trigger, createdAt, payload });

describe('a guest buys, signs up and uses the package', () => {
  it(
    'guest checkout paid by Stripe (three deliveries), joined at sign-up; credits used and returned; a dispute; a refund revokes',
    { timeout: 600_000 },
    async () => {
      const offerId = await seedOffer(admin.db, { price_minor: 24_000, currency: 'USD', title: 'Growth 8 weeks' });
      const email = uniqueEmail('guest');
      const visitor = session();
      const input = {
        provider: 'stripe' as const,
        items: [{ kind: 'offer' as const, offer_id: offerId }],
        success_url: 'https://zhengrowth.com/ok',
        cancel_url: 'https://zhengrowth.com/no',
        customer_email: email,
        customer_name: 'Guest Buyer',
      };
      // The quote is what the checkout then charges, for the same input.
      const quote = await visitor.api.quoteCheckout(input);
      const res = await visitor.api.createCheckout(input);
      expect(quote).toMatchObject({
        subtotal_minor: res.subtotal_minor,
        discount_minor: res.discount_minor,
        tax_minor: res.tax_minor,
        total_minor: res.total_minor,
      });
      expect(res).toMatchObject({
        status: 'pending',
        total_minor: 24_000,
        currency: 'USD',
      });
      expect(res.stripe?.url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
      const sent = stripe.requests.filter((r) => r.path === '/v1/checkout/sessions');
      expect(sent.at(-1)?.form).toMatchObject({ customer_email: email, client_reference_id: res.order_id });

      // Stripe repeats the event, sometimes at once: applied once.
      const paid = sessionCompleted(res);
      const outcomes = await Promise.all([deliver('stripeWebhook', paid), deliver('stripeWebhook', paid), deliver('stripeWebhook', paid)]);
      expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200]);
      expect(outcomes.map((o) => o.outcome).sort()).toEqual(['applied', 'duplicate', 'duplicate']);

      // The visitor signs up with the same address (verified): the order and its entitlement join the account.
      const buyer = session();
      const user = await signUp(buyer, admin, { email, roles: ['client'] });
      const order = await eventually(async () => {
        const o = await buyer.api.getOrder({ order_id: res.order_id }).catch(() => null);
        return o?.user_id === user.uid ? o : null;
      }, 'the guest order to join the account');
      expect(order).toMatchObject({ status: 'paid', paid_minor: 24_000, customer_email: email });
      const granted = (await buyer.api.listMyEntitlements({})).entitlements;
      expect(granted).toEqual([expect.objectContaining({ id: `${res.order_id}-1`, active: true, sessions_left: 4 })]);

      // Cal.com: a booking of a paid session type uses a credit (once, however often delivered); its cancellation gives it back.
      const eventTypeId = await seedSessionType(admin.db, { price_minor: 15_000, currency: 'USD' });
      const booking = calBooking({ uid: `cal-${res.order_id.toLowerCase()}`, email, eventTypeId });
      const created = cal('BOOKING_CREATED', booking);
      expect((await deliver('calWebhook', created)).status).toBe(200);
      expect((await deliver('calWebhook', created)).status).toBe(200);
      const left = async () => (await buyer.api.listMyEntitlements({})).entitlements[0]?.sessions_left;
      expect(await left()).toBe(3);
      expect((await deliver('calWebhook', cal('BOOKING_CANCELLED', booking, new Date(Date.now() + 1000).toISOString()))).status).toBe(200);
      expect(await left()).toBe(4);

      // A dispute opens and closes; the money state stays paid.
      const dispute = (status: string) =>
        stripeEvent('charge.dispute.created', {
          id: `du_${res.order_id}`,
          object: 'dispute',
          amount: 24_000,
          currency: 'usd',
          charge: `ch_${res.order_id}`,
          payment_intent: `pi_${res.order_id}`,
          reason: 'fraudulent',
          status,
        });
      expect((await deliver('stripeWebhook', dispute('needs_response'))).outcome).toBe('applied');
      expect(await buyer.api.getOrder({ order_id: res.order_id })).toMatchObject({
        status: 'paid',
        attention: `dispute du_${res.order_id} opened (fraudulent)`,
      });
      const closed = JSON.parse(dispute('lost')) as { type: string };
      closed.type = 'charge.dispute.closed';
      expect((await deliver('stripeWebhook', JSON.stringify(closed))).outcome).toBe('applied');
      expect((await buyer.api.getOrder({ order_id: res.order_id })).status).toBe('paid');

      // Refunded in full from Stripe's dashboard: the entitlement is revoked.
      expect((await deliver('stripeWebhook', chargeRefunded(res, 24_000))).outcome).toBe('applied');
      expect(await buyer.api.getOrder({ order_id: res.order_id })).toMatchObject({ status: 'refunded', refunded_minor: 24_000 });
      expect((await buyer.api.listMyEntitlements({})).entitlements[0]).toMatchObject({ active: false, sessions_left: 0 });
    },
  );
});

describe('after the sale', () => {
  it(
    'an admin refunds part of a paid order through the client: the provider is asked once per request; a buyer cannot refund',
    { timeout: 300_000 },
    async () => {
      const offerId = await seedOffer(admin.db, { price_minor: 12_000, currency: 'USD', title: 'Clarity session' });
      const buyer = session();
      await signUp(buyer, admin, { roles: ['client'] });
      const res = await buyer.api.createCheckout({
        provider: 'stripe',
        items: [{ kind: 'offer', offer_id: offerId }],
        success_url: 'https://zhengrowth.com/ok',
        cancel_url: 'https://zhengrowth.com/no',
      });
      expect((await deliver('stripeWebhook', sessionCompleted(res))).outcome).toBe('applied');
      expect((await refusal(buyer.api.refundOrder({ order_id: res.order_id }))).code).toBe('permission-denied');

      const boss = session();
      await signUp(boss, admin, { roles: ['admin'] });
      const refundsSent = () => stripe.requests.filter((r) => r.path === '/v1/refunds' && r.form.payment_intent === `pi_${res.order_id}`);
      const first = await boss.api.refundOrder({ order_id: res.order_id, amount_minor: 5_000, request_id: `part-${res.order_id}` });
      expect(first).toMatchObject({
        order_id: res.order_id,
        amount_minor: 5_000,
        refund: expect.objectContaining({ id: expect.any(String) as unknown }) as unknown,
      });
      const again = await boss.api.refundOrder({ order_id: res.order_id, amount_minor: 5_000, request_id: `part-${res.order_id}` });
      expect(again.request_key).toBe(first.request_key);
      expect(refundsSent().map((r) => r.form.amount)).toEqual(['5000']);
      expect((await refusal(boss.api.refundOrder({ order_id: res.order_id, amount_minor: 50_000 }))).code).toBe('failed-precondition');
    },
  );

  it('a guest manages a free registration from the e-mail’s link without signing in: view, cancel; a forged link is refused', async () => {
    const { eventId } = await seedEvent(admin.db, { capacity: 5, prices: [] });
    const visitor = session();
    const email = uniqueEmail('guest');
    const reg = await visitor.api.registerForEvent({ event_id: eventId, customer_email: email, customer_name: 'Lin' });
    expect(reg.registration.status).toBe('registered');
    const mail = await eventually(async () => {
      const q = await admin.db.collection('email_queue').where('to_email', '==', email).get();
      return q.docs.map((d) => d.data()).find((m) => m.template_slug === 'event_registration');
    }, 'the confirmation e-mail');
    const token = new URL((mail.variables as { manage_url: string }).manage_url).searchParams.get('token') ?? '';
    expect((await visitor.api.manageBooking({ token })).registration?.id).toBe(reg.registration.id);
    expect((await refusal(visitor.api.manageBooking({ token: `${token.slice(0, -2)}xx` }))).code).toBe('permission-denied');
    expect((await visitor.api.manageBooking({ token, action: 'cancel' })).registration?.status).toBe('cancelled');
  });
});
