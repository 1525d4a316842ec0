/**
 * Web push against the Firestore emulator and a local push service that checks what a browser's
 * would: real P-256 subscription keys, the aes128gcm payload decrypted, the VAPID JWT verified.
 * Subscriptions (callables), the push of a new inbox item exactly once, gone subscriptions
 * removed, one retry for other failures, and admin broadcasts by segment with their report.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  anonymousPushSubscriptions,
  broadcastPush,
  inbox,
  pushDeliveries,
  pushSubscriptions,
  subscribeAnonymousPush,
  subscribePush,
  unsubscribePush,
  type PushReport,
} from '@zhengrowth/model';
import { put } from '@zhengrowth/devstack/testing';
import { runCallable, type CallableRequestLike } from '../src/core/callable.js';
import { inboxJobId, pushInboxItem } from '../src/messaging/push/inbox-push.js';
import { broadcast } from '../src/messaging/push/broadcast.js';
import { claimJob, finishJob, jobRef } from '../src/messaging/push/job.js';
import { subscribe, subscribeAnonymous, subscriptionIdOf, unsubscribe } from '../src/messaging/push/subscriptions.js';
import { asAuthData, uniq, type Auth } from './support/env.js';
import { messagingEnv, seedProfile, type MessagingEnv } from './support/messaging.js';
import type { TestSubscription } from './support/push-standin.js';

let env: MessagingEnv;
beforeAll(async () => {
  env = await messagingEnv('push');
});
afterAll(async () => {
  await env?.close();
});

const user = (roles: Array<'admin' | 'coach' | 'client'> = ['client']): Auth => ({
  uid: uniq('u'),
  token: { email: `${uniq('p')}@example.com`, email_verified: true, roles },
});
const req = (auth: Auth | null, data: unknown): CallableRequestLike => ({ data, auth: asAuthData(auth), rawRequest: { ip: '203.0.113.9' } as never });

/** What the browser sends: PushSubscription.toJSON(). */
const json = (s: TestSubscription) => ({ endpoint: s.endpoint, expirationTime: null, keys: s.keys });

async function subscribed(auth: Auth, lang?: 'en' | 'zh-CN' | 'zh-TW'): Promise<TestSubscription> {
  const s = env.push.subscription();
  await runCallable(subscribePush, subscribe, req(auth, { subscription: json(s), user_agent: 'Firefox', ...(lang ? { lang } : {}) }), env.pushDeps());
  return s;
}

async function newItem(uid: string, fields: { title?: string | null; message?: string; created?: Date; read?: boolean } = {}): Promise<string> {
  const itemId = uniq('item-');
  await put(env.db.doc(inbox.docPath({ uid, itemId })).withConverter(inbox.converter), {
    user_id: uid,
    type: 'booking',
    title: fields.title === undefined ? 'Session confirmed' : fields.title,
    message: fields.message ?? 'Your coaching session on Tuesday is confirmed.',
    action_url: 'https://app.zhengrowth.test/sessions',
    read: fields.read ?? false,
    read_at: null,
    metadata: null,
    created_at: Timestamp.fromDate(fields.created ?? env.clock.now()),
    expires_at: null,
  });
  return itemId;
}

describe('subscriptions', () => {
  it('subscribePush keeps one document per endpoint and user: the same endpoint again updates it', async () => {
    const me = user();
    const s = env.push.subscription();
    const first = await runCallable(subscribePush, subscribe, req(me, { subscription: json(s), user_agent: 'Firefox' }), env.pushDeps());
    expect(first).toEqual({ subscription_id: subscriptionIdOf(s.endpoint), created: true });
    const fresh = env.push.subscription();
    const again = await runCallable(
      subscribePush,
      subscribe,
      req(me, { subscription: { endpoint: s.endpoint, expirationTime: null, keys: fresh.keys } }),
      env.pushDeps(),
    );
    expect(again).toEqual({ subscription_id: first.subscription_id, created: false });
    const docs = await env.db
      .collection(pushSubscriptions.collectionPath({ uid: me.uid }))
      .withConverter(pushSubscriptions.converter)
      .get();
    expect(docs.docs.map((d) => d.data())).toEqual([
      expect.objectContaining({ user_id: me.uid, endpoint: s.endpoint, p256dh: fresh.keys.p256dh, auth: fresh.keys.auth, user_agent: 'Firefox', active: true }),
    ]);
    expect(await runCallable(unsubscribePush, unsubscribe, req(me, { endpoint: s.endpoint }), env.pushDeps())).toEqual({ removed: 1 });
    expect((await env.db.collection(pushSubscriptions.collectionPath({ uid: me.uid })).get()).size).toBe(0);
  });

  it('updates a migrated subscription (random id) of the same endpoint in place, and takes over a visitor’s anonymous one', async () => {
    const me = user();
    const s = env.push.subscription();
    await runCallable(subscribeAnonymousPush, subscribeAnonymous, req(null, { subscription: json(s), lang: 'zh-TW' }), env.pushDeps());
    expect((await env.db.doc(anonymousPushSubscriptions.docPath({ subscriptionId: subscriptionIdOf(s.endpoint) })).get()).get('lang')).toBe('zh-TW');
    await put(env.db.doc(pushSubscriptions.docPath({ uid: me.uid, subscriptionId: 'migrated-uuid' })).withConverter(pushSubscriptions.converter), {
      user_id: me.uid,
      endpoint: s.endpoint,
      p256dh: 'old',
      auth: 'old',
      user_agent: null,
      active: false,
      created_at: null,
      last_used_at: null,
    });
    expect(await runCallable(subscribePush, subscribe, req(me, { subscription: json(s) }), env.pushDeps())).toEqual({
      subscription_id: 'migrated-uuid',
      created: false,
    });
    const docs = await env.db.collection(pushSubscriptions.collectionPath({ uid: me.uid })).get();
    expect(docs.docs.map((d) => [d.id, d.get('p256dh') as string, d.get('active') as boolean])).toEqual([['migrated-uuid', s.keys.p256dh, true]]);
    expect((await env.db.doc(anonymousPushSubscriptions.docPath({ subscriptionId: subscriptionIdOf(s.endpoint) })).get()).exists).toBe(false);
  });

  it('refuses endpoints that are not a push service’s https URL (our own network, plain http) outside the emulator', async () => {
    const me = user();
    const s = env.push.subscription();
    const prod = env.pushDeps({ allowLoopbackEndpoints: false });
    for (const endpoint of [
      s.endpoint,
      'https://127.0.0.1/push/x',
      'https://10.1.2.3/push/x',
      'https://[::1]/push',
      'http://fcm.googleapis.com/fcm/send/x',
      'https://localhost/x',
    ]) {
      await expect(runCallable(subscribePush, subscribe, req(me, { subscription: { ...json(s), endpoint } }), prod)).rejects.toMatchObject({
        code: 'invalid-argument',
      });
    }
    await expect(
      runCallable(subscribePush, subscribe, req(me, { subscription: { ...json(s), keys: { ...s.keys, auth: 'short' } } }), prod),
    ).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/^subscription\.keys\.auth/) as unknown,
    });
    const ok = await runCallable(
      subscribePush,
      subscribe,
      req(me, { subscription: { ...json(s), endpoint: 'https://fcm.googleapis.com/fcm/send/abc' } }),
      prod,
    );
    expect(ok.created).toBe(true);
    await expect(runCallable(subscribePush, subscribe, req(null, { subscription: json(s) }), env.pushDeps())).rejects.toMatchObject({
      code: 'unauthenticated',
    });
  });
});

describe('pushing a new inbox item', () => {
  it('pushes a payload that decrypts to the item, signed with our VAPID key, to every subscription of the user', async () => {
    const me = user();
    await seedProfile(env.db, me.uid, { email: String(me.token.email), lang: 'zh-CN' });
    const [a, b] = [await subscribed(me), await subscribed(me)];
    const itemId = await newItem(me.uid);
    const out = await pushInboxItem({ params: { uid: me.uid, itemId } }, env.pushDeps());
    expect(out).toEqual({ pushed: { targeted: 2, sent: 2, gone: 0, failed: 0 } });
    for (const s of [a, b]) {
      const [got] = env.push.receivedBy(s.id);
      expect(got?.problem).toBeNull();
      expect(got?.payload).toEqual({
        title: 'Session confirmed',
        body: 'Your coaching session on Tuesday is confirmed.',
        url: 'https://app.zhengrowth.test/sessions',
        tag: `inbox:${itemId}`,
        lang: 'zh-CN',
      });
      expect(got?.vapidKey).toBe(env.vapid.publicKey);
      expect(got?.claims).toMatchObject({ aud: env.push.origin, sub: 'mailto:push@zhengrowth.test' });
      expect(got?.claims?.exp).toBeGreaterThan(Date.now() / 1000);
      expect(got?.topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const doc = await env.db.doc(pushSubscriptions.docPath({ uid: me.uid, subscriptionId: subscriptionIdOf(s.endpoint) })).get();
      expect(doc.get('last_used_at')).toBeInstanceOf(Timestamp);
    }
    const job = (
      await env.db
        .doc(pushDeliveries.docPath({ deliveryId: inboxJobId(me.uid, itemId) }))
        .withConverter(pushDeliveries.converter)
        .get()
    ).data();
    expect(job).toMatchObject({ kind: 'inbox', status: 'done', targeted: 2, sent: 2, gone: 0, failed: 0, attempts: 1 });
  });

  it('pushes an item once however often (and however concurrently) its trigger fires', async () => {
    const me = user();
    const s = await subscribed(me);
    const itemId = await newItem(me.uid, { title: null });
    const outs = await Promise.all(Array.from({ length: 4 }, () => pushInboxItem({ params: { uid: me.uid, itemId } }, env.pushDeps())));
    expect(outs.filter((o) => 'pushed' in o)).toHaveLength(1);
    expect(await pushInboxItem({ params: { uid: me.uid, itemId } }, env.pushDeps())).toEqual({ skipped: 'done' });
    expect(env.push.receivedBy(s.id)).toHaveLength(1);
    // No title: the localized fallback (no profile: English).
    expect(env.push.receivedBy(s.id)[0]?.payload?.title).toBe('ZhenGrowth');
  });

  it('a worker whose lease ran out and was taken over can no longer mark the job done', async () => {
    const me = user();
    const s = await subscribed(me);
    const itemId = await newItem(me.uid);
    const ref = jobRef(env.pushDeps(), inboxJobId(me.uid, itemId));
    const fields = { kind: 'inbox', user_id: me.uid, item_id: itemId, segment: null } as const;
    // The first worker claims the job, then stalls past its lease.
    const first = await claimJob(env.pushDeps(), ref, fields);
    if (first.kind !== 'claimed') throw new Error(`not claimed: ${first.kind}`);
    expect(await claimJob(env.pushDeps(), ref, fields)).toEqual({ kind: 'held' });
    env.clock.advance(60_001);
    // The trigger's next delivery takes over and does the work.
    expect(await pushInboxItem({ params: { uid: me.uid, itemId } }, env.pushDeps())).toEqual({ pushed: { targeted: 1, sent: 1, gone: 0, failed: 0 } });
    // The first worker wakes up: its record is refused and the new holder's stands.
    expect(await finishJob(env.pushDeps(), ref, first.lease, { targeted: 9, sent: 0, gone: 0, failed: 9 })).toBe(false);
    expect((await ref.get()).data()).toMatchObject({ status: 'done', attempts: 2, targeted: 1, sent: 1, failed: 0, lease_id: null });
    expect(env.push.receivedBy(s.id)).toHaveLength(1);
  });

  it('deletes a subscription the push service says is gone (404, 410), retries other failures once', async () => {
    const me = user();
    const [gone410, gone404, flaky, down] = [await subscribed(me), await subscribed(me), await subscribed(me), await subscribed(me)];
    env.push.script(gone410.id, 410);
    env.push.script(gone404.id, 404);
    env.push.script(flaky.id, 500);
    env.push.script(down.id, 503, 502);
    const out = await pushInboxItem({ params: { uid: me.uid, itemId: await newItem(me.uid) } }, env.pushDeps());
    expect(out).toEqual({ pushed: { targeted: 4, sent: 1, gone: 2, failed: 1 } });
    const left = (await env.db.collection(pushSubscriptions.collectionPath({ uid: me.uid })).get()).docs.map((d) => d.get('endpoint') as string).sort();
    expect(left).toEqual([flaky.endpoint, down.endpoint].sort());
    expect(env.push.receivedBy(flaky.id).map((r) => r.status)).toEqual([500, 201]);
    expect(env.push.receivedBy(down.id).map((r) => r.status)).toEqual([503, 502]);
    expect(env.push.receivedBy(gone410.id)).toHaveLength(1);
  });

  it('does not push history: an item older than the freshness window, or already read', async () => {
    const me = user();
    const s = await subscribed(me);
    const old = await newItem(me.uid, { created: new Date(env.clock.now().getTime() - 2 * 3_600_000) });
    expect(await pushInboxItem({ params: { uid: me.uid, itemId: old } }, env.pushDeps())).toEqual({ skipped: 'stale' });
    const read = await newItem(me.uid, { read: true });
    expect(await pushInboxItem({ params: { uid: me.uid, itemId: read } }, env.pushDeps())).toEqual({ skipped: 'read' });
    expect(env.push.receivedBy(s.id)).toHaveLength(0);
  });
});

describe('broadcastPush', () => {
  it('reaches a segment (a role; a language, visitors included), reports sent / gone / failed, and sends a broadcast id once', async () => {
    const [coachZh, clientZh, clientEn, admin] = [user(['coach']), user(['client']), user(['client']), user(['admin'])];
    await seedProfile(env.db, coachZh.uid, { email: 'c@example.com', lang: 'zh-TW', roles: ['coach'] });
    await seedProfile(env.db, clientZh.uid, { email: 'z@example.com', lang: 'zh_tw', roles: ['client'] });
    await seedProfile(env.db, clientEn.uid, { email: 'e@example.com', lang: 'en', roles: ['client'] });
    const sCoach = await subscribed(coachZh);
    const sZh = await subscribed(clientZh);
    const sEn = await subscribed(clientEn);
    const visitorZh = env.push.subscription();
    const visitorEn = env.push.subscription();
    await runCallable(subscribeAnonymousPush, subscribeAnonymous, req(null, { subscription: json(visitorZh), lang: 'zh-TW' }), env.pushDeps());
    await runCallable(subscribeAnonymousPush, subscribeAnonymous, req(null, { subscription: json(visitorEn), lang: 'en' }), env.pushDeps());
    env.push.script(sZh.id, 410);

    const call = (data: Record<string, unknown>, who: Auth = admin): Promise<PushReport> =>
      runCallable(
        broadcastPush,
        broadcast,
        req(who, { title: '新課程', body: '本週新課程上線', url: 'https://app.zhengrowth.test/lessons', ...data }),
        env.pushDeps(),
      );

    const coaches = await call({ segment: { kind: 'role', role: 'coach' }, broadcast_id: uniq('bc-coaches-') });
    expect(coaches).toMatchObject({ sent: 1, gone: 0, failed: 0, duplicate: false });
    expect(coaches.targeted).toBeGreaterThanOrEqual(1);
    expect(env.push.receivedBy(sCoach.id)).toHaveLength(1);
    expect(env.push.receivedBy(sEn.id)).toHaveLength(0);
    expect(env.push.receivedBy(visitorZh.id)).toHaveLength(0);

    const id = uniq('bc-zh-');
    const zh = await call({ segment: { kind: 'language', lang: 'zh-TW' }, broadcast_id: id });
    expect(zh).toEqual({ broadcast_id: id, targeted: 3, sent: 2, gone: 1, failed: 0, duplicate: false });
    expect(env.push.receivedBy(visitorZh.id)[0]?.payload).toMatchObject({ title: '新課程', body: '本週新課程上線', lang: 'zh-TW', tag: `broadcast:${id}` });
    expect(env.push.receivedBy(visitorEn.id)).toHaveLength(0);
    expect(env.push.receivedBy(sEn.id)).toHaveLength(0);
    expect((await env.db.collection(pushSubscriptions.collectionPath({ uid: clientZh.uid })).get()).size).toBe(0);

    const repeat = await call({ segment: { kind: 'language', lang: 'zh-TW' }, broadcast_id: id });
    expect(repeat).toEqual({ ...zh, duplicate: true });
    expect(env.push.receivedBy(sCoach.id)).toHaveLength(2);

    await expect(call({ segment: { kind: 'all' } }, clientEn)).rejects.toMatchObject({ code: 'permission-denied' });
  });
});
