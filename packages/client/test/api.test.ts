/**
 * The typed API through the real web SDK, as the web app calls it: signed in through the Auth
 * emulator, callables in the functions emulator. Every refusal is an ApiError with the HttpsError
 * code and a message that names what was wrong.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API, orders } from '@zhengrowth/model';
import { Timestamp } from 'firebase-admin/firestore';
import { put, type TestFirebase } from '@zhengrowth/devstack/testing';
import { adminOfWebProject, refusal, signUp, webSessions } from './support/web.js';

// signUp with roles calls ensureProfile, and each callable's first request starts a worker in the
// functions emulator: on two loaded cores a test takes minutes.
vi.setConfig({ testTimeout: 240_000 });

let admin: TestFirebase;
const web = webSessions();
const session = web.open;

beforeAll(async () => {
  admin = adminOfWebProject();
  // Warm the functions emulator: its first request starts a worker process.
  await session().api.health({});
}, 180_000);
afterAll(async () => {
  await web.closeAll();
  await admin?.close();
});

describe('the typed client', () => {
  it('health: signed out, then signed in with the roles of the claim', async () => {
    const s = session();
    expect(await s.api.health({})).toMatchObject({ ok: true, firestore: 'reachable', caller: null });
    const user = await signUp(s, admin, { roles: ['client', 'coach'] });
    const signedIn = await s.api.health({});
    expect(signedIn.caller).toEqual({ uid: user.uid, roles: ['client', 'coach'] });
    expect(Date.parse(signedIn.time)).not.toBeNaN();
  });

  it('every callable that is not public refuses a signed-out caller with unauthenticated, whatever the input', async () => {
    const s = session();
    const minimal: Record<string, unknown> = {
      createCheckout: {
        provider: 'stripe',
        items: [{ kind: 'offer', offer_id: 'x' }],
        success_url: 'https://zhengrowth.com/ok',
        cancel_url: 'https://zhengrowth.com/no',
      },
      getOrder: { order_id: 'x' },
      listOrders: {},
      refundOrder: { order_id: 'x' },
      getSuggestions: { kind: 'goals' },
      getClientBrief: { client_uid: 'x' },
      generateSocialDrafts: { slug: 'x', platforms: ['x'] },
      startSocialConnect: { platform: 'x' },
      scheduleSocialPost: { post_id: 'x', scheduled_for: '2030-01-01T00:00:00Z' },
      cancelSocialPost: { post_id: 'x' },
      disconnectSocialAccount: { account_id: 'x' },
      getSocialAnalytics: { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' },
      subscribePush: { subscription: { endpoint: 'https://fcm.googleapis.com/fcm/send/x', keys: { p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) } } },
      unsubscribePush: { endpoint: 'https://fcm.googleapis.com/fcm/send/x' },
      broadcastPush: { segment: { kind: 'all' }, title: 'x', body: 'y' },
      markInboxRead: { all: true },
      ensureProfile: {},
      setUserRoles: { uid: 'x', roles: ['client'] },
      assignCoach: { client_uid: 'x', coach_uid: null },
      listUsers: {},
      exportMyData: {},
      deleteMyAccount: { confirm: 'DELETE' },
      deleteUser: { uid: 'x' },
    };
    // Eight at a time: each callable's first request starts a worker of its own in the functions
    // emulator, and starting all of them at once starves the emulator's delivery of other test
    // files' Firestore triggers (seen as a trigger event that never ran).
    const closed = Object.values(API).filter((c) => c.access !== 'public');
    // The frame refuses before it reads the input: a callable without an entry here gets {} and
    // a malformed input too, and the answer is still unauthenticated.
    const inputOf = (name: string): unknown => minimal[name] ?? {};
    for (const c of closed)
      if (minimal[c.name] !== undefined) expect(c.input.safeParse(inputOf(c.name)).success, `the minimal input of ${c.name} is valid`).toBe(true);
    const call = (c: (typeof closed)[number], input: unknown) =>
      refusal((s.api as unknown as Record<string, (i: unknown) => Promise<unknown>>)[c.name]!(input));
    const errors: Awaited<ReturnType<typeof call>>[] = [];
    for (let i = 0; i < closed.length; i += 8) errors.push(...(await Promise.all(closed.slice(i, i + 8).map((c) => call(c, inputOf(c.name))))));
    closed.forEach((c, i) => {
      expect([c.name, errors[i]?.code]).toEqual([c.name, 'unauthenticated']);
      expect(errors[i]?.callable).toBe(c.name);
    });
    const malformed = await Promise.all(closed.slice(0, 8).map((c) => call(c, [{ not: 'an input' }])));
    expect(malformed.map((e) => e.code)).toEqual(closed.slice(0, 8).map(() => 'unauthenticated'));
  }, 240_000);

  it('bad input is invalid-argument naming the field, and nothing else is said', async () => {
    const s = session();
    await signUp(s, admin, { roles: ['client'] });
    const err = await refusal(s.api.getOrder({ order_id: 'a/b' }));
    expect(err.code).toBe('invalid-argument');
    expect(err.message).toMatch(/^order_id: must be a document id/);
    const extra = await refusal(s.api.health({ verbose: true } as never));
    expect(extra.code).toBe('invalid-argument');
    expect(extra.message).toMatch(/verbose/);
  });

  it("checkout sends the buyer back only to the app's origins (CHECKOUT_REDIRECT_ORIGINS, no default outside the emulators)", async () => {
    const s = session();
    const err = await refusal(
      s.api.createCheckout({
        provider: 'stripe',
        items: [{ kind: 'offer', offer_id: 'x' }],
        success_url: 'https://evil.example/ok',
        cancel_url: 'https://zhengrowth.com/no',
        customer_email: 'guest@example.com',
        customer_name: 'Guest',
      }),
    );
    expect(err.code).toBe('invalid-argument');
    expect(err.message).toMatch(/^success_url: https:\/\/evil\.example is not one of the app's origins/);
  });

  it("getOrder: the buyer's own order as the contract types it; someone else's is not-found; admins only list", async () => {
    const buyer = session();
    const other = session();
    const me = await signUp(buyer, admin, { roles: ['client'] });
    await signUp(other, admin, { roles: ['client'] });
    const orderId = `WEB${Date.now().toString(36).toUpperCase()}`;
    await put(admin.db.doc(orders.docPath({ orderId })).withConverter(orders.converter), {
      order_number: 'ZG-2025-000001',
      user_id: me.uid,
      customer_email: me.email ?? '',
      customer_name: null,
      // A migrated order: its own item shape, amounts in major units, a status of the old system.
      items: [{ offer_id: 'o1', title: 'Growth package', quantity: 2, unit_amount: '49.99', currency: 'USD' }],
      subtotal_minor: 9998,
      tax_minor: 0,
      total_minor: 9998,
      currency: 'USD',
      payment_provider: 'stripe',
      payment_id: 'pi_1',
      status: 'completed',
      metadata: null,
      created_at: Timestamp.fromDate(new Date('2025-03-01T10:00:00Z')),
      updated_at: null,
    });
    const view = await buyer.api.getOrder({ order_id: orderId });
    expect(view).toMatchObject({ id: orderId, status: 'paid', status_text: null, total_minor: 9998, created_at: '2025-03-01T10:00:00.000Z' });
    expect(view.items).toEqual([
      { kind: 'legacy', ref_id: 'o1', title: 'Growth package', quantity: 2, unit_amount_minor: 4999, amount_minor: 9998, currency: 'USD' },
    ]);
    expect((await refusal(other.api.getOrder({ order_id: orderId }))).code).toBe('not-found');
    expect((await refusal(buyer.api.listOrders({}))).code).toBe('permission-denied');
  });
});
