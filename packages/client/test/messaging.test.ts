/**
 * The messaging callables through the real web SDK: a browser's push subscription saved (signed
 * in, and as a visitor), an admin broadcast that reaches it with its report, unsubscribing, and
 * marking the inbox read. The functions emulator accepts loopback push endpoints: a small local
 * push service here answers 201 and records what arrived (the payload's decryption and the VAPID
 * JWT are checked by the functions' own push tests).
 */
import { createECDH, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inbox, users } from '@zhengrowth/model';
import { ApiError } from '@zhengrowth/client';
import { put, type TestFirebase } from '@zhengrowth/devstack/testing';
import { adminOfWebProject, signUp, webSessions } from './support/web.js';

let admin: TestFirebase;
let server: http.Server;
let origin = '';
const received: Array<{ path: string; encoding: string | undefined; auth: string | undefined }> = [];
const web = webSessions();
const session = web.open;

beforeAll(async () => {
  admin = adminOfWebProject();
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push({ path: req.url ?? '', encoding: req.headers['content-encoding'], auth: req.headers.authorization });
      res.writeHead(201).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await session().api.health({});
}, 180_000);
afterAll(async () => {
  await web.closeAll();
  await admin?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

/** A subscription as a browser's PushSubscription.toJSON() gives it (a real P-256 key). */
function browserSubscription(): { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    endpoint: `${origin}/push/${randomBytes(6).toString('hex')}`,
    expirationTime: null,
    keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
  };
}

describe('messaging through the client', () => {
  it('subscribePush, then an admin broadcast to coaches reaches the browser once, with a report; unsubscribePush stops it', async () => {
    const coach = session();
    await signUp(coach, admin, { roles: ['coach'] });
    const sub = browserSubscription();
    const saved = await coach.api.subscribePush({ subscription: sub, user_agent: 'Vitest', lang: 'en' });
    expect(saved.created).toBe(true);
    expect((await coach.api.subscribePush({ subscription: sub })).created).toBe(false);
    // The profile the segment reads (roles) is the server's: users/{uid}.
    const uid = coach.user?.uid ?? '';
    await put(admin.db.doc(users.docPath({ uid })).withConverter(users.converter), {
      profile_id: null,
      email: coach.user?.email ?? null,
      name: 'Coach',
      avatar_url: null,
      lang: 'en',
      timezone: 'UTC',
      created_at: Timestamp.now(),
      updated_at: null,
      metadata: null,
      roles: ['coach'],
      role_grants: {},
    });

    const boss = session();
    await signUp(boss, admin, { roles: ['admin'] });
    const broadcastId = `web-${randomBytes(6).toString('hex')}`;
    const report = await boss.api.broadcastPush({
      segment: { kind: 'role', role: 'coach' },
      title: 'Coach meeting',
      body: 'Friday 10:00',
      broadcast_id: broadcastId,
    });
    expect(report).toMatchObject({ broadcast_id: broadcastId, duplicate: false });
    expect(report.sent).toBeGreaterThanOrEqual(1);
    const mine = received.filter((r) => sub.endpoint.endsWith(r.path));
    expect(mine).toHaveLength(1);
    expect(mine[0]?.encoding).toBe('aes128gcm');
    expect(mine[0]?.auth).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/);
    expect(
      await boss.api.broadcastPush({ segment: { kind: 'role', role: 'coach' }, title: 'Coach meeting', body: 'Friday 10:00', broadcast_id: broadcastId }),
    ).toEqual({
      ...report,
      duplicate: true,
    });

    expect(await coach.api.unsubscribePush({ endpoint: sub.endpoint })).toEqual({ removed: 1 });
    const err = await coach.api.broadcastPush({ segment: { kind: 'all' }, title: 'x', body: 'y' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('permission-denied');
  });

  it('a visitor subscribes without an account (subscribeAnonymousPush)', async () => {
    const visitor = session();
    const res = await visitor.api.subscribeAnonymousPush({ subscription: browserSubscription(), lang: 'zh-TW' });
    expect(res).toMatchObject({ created: true });
    expect(res.subscription_id).toMatch(/^[0-9a-f]{40}$/);
  });

  it('markInboxRead marks the given items, then all', async () => {
    const s = session();
    const me = await signUp(s, admin, { roles: ['client'] });
    for (const itemId of ['n1', 'n2', 'n3']) {
      await put(admin.db.doc(inbox.docPath({ uid: me.uid, itemId })).withConverter(inbox.converter), {
        user_id: me.uid,
        type: 'nudge',
        title: null,
        message: `note ${itemId}`,
        action_url: null,
        read: false,
        read_at: null,
        metadata: null,
        // Old enough not to be pushed (the trigger pushes new items only).
        created_at: Timestamp.fromMillis(Date.now() - 86_400_000),
        expires_at: null,
      });
    }
    expect(await s.api.markInboxRead({ ids: ['n1'] })).toEqual({ updated: 1 });
    expect(await s.api.markInboxRead({ all: true })).toEqual({ updated: 2 });
    const left = await admin.db
      .collection(inbox.collectionPath({ uid: me.uid }))
      .where('read', '==', false)
      .get();
    expect(left.size).toBe(0);
  });
});
