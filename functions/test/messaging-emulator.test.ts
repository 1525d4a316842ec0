/**
 * Messaging end to end through the functions emulator: the email_queue trigger (sendQueuedEmail)
 * and the inbox trigger (pushInboxItem) fire on documents written to the emulator's project and
 * reach stand-ins started here — Resend through the run's stand-in proxy (RESEND_API_BASE points
 * at it), the push service directly (the emulator allows loopback endpoints) — with the secrets of
 * functions/.secret.local; resendWebhook and unsubscribe answer real HTTP.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailQueue, inbox, pushSubscriptions, type EmailQueueDoc } from '@zhengrowth/model';
import { emulatorHosts, put, routeStandIn, testFirebase, unrouteStandIn, type TestFirebase } from '@zhengrowth/devstack/testing';
import { suppressionRef } from '../src/messaging/email/suppression.js';
import { signUnsubscribeToken } from '../src/messaging/email/unsubscribe-token.js';
import { queueEmail } from '../src/shared/outbox.js';
import { subscriptionIdOf } from '../src/messaging/push/subscriptions.js';
import { loadEmailTemplates } from '../src/messaging/templates/index.js';
import { uniq } from './support/env.js';
import { svixHeaders } from './support/messaging.js';
import { startPushStandIn, type PushStandIn } from './support/push-standin.js';
import { startResendStandIn, type ResendStandIn } from './support/resend-standin.js';
import { localSecrets } from './support/signing.js';

let fb: TestFirebase;
let resend: ResendStandIn;
let push: PushStandIn;
let secrets: Record<string, string>;
let base: string;

beforeAll(async () => {
  const hosts = emulatorHosts();
  if (!hosts.functions) throw new Error('No functions emulator for this test: run it through vitest (the global setup starts one)');
  base = `${hosts.functions}/${hosts.projectId}/us-central1`;
  fb = testFirebase(hosts.projectId);
  [resend, push] = await Promise.all([startResendStandIn(), startPushStandIn()]);
  await routeStandIn('resend', resend.origin);
  await loadEmailTemplates(fb.db);
  secrets = localSecrets();
});
afterAll(async () => {
  await unrouteStandIn('resend').catch(() => undefined);
  await Promise.all([resend?.close(), push?.close()]);
  await fb?.close();
});

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 150_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('in the functions emulator', () => {
  it('a queued e-mail is sent by the trigger through Resend’s stand-in, and Resend’s webhook (Svix-signed) records its delivery', async () => {
    const id = uniq('e2e-');
    const to = `${uniq('e2e')}@example.com`;
    await fb.db.runTransaction((tx) => {
      queueEmail(tx, fb.db, id, { to, template: 'welcome', subject: 'Welcome', text: 'Welcome', lang: 'zh-CN', variables: { name: '小明' } }, Timestamp.now());
      return Promise.resolve();
    });
    const ref = fb.db.doc(emailQueue.docPath({ emailId: id })).withConverter(emailQueue.converter);
    const done = await until<EmailQueueDoc>('the trigger to send the e-mail', async () => {
      const d = (await ref.get()).data();
      return d && d.status !== 'pending' && d.status !== 'sending' ? d : undefined;
    });
    expect(done).toMatchObject({ status: 'sent', attempts: 1 });
    const req = resend.requests.find((r) => r.idempotencyKey === id);
    expect(req?.authorization).toBe(`Bearer ${secrets.RESEND_API_KEY}`);
    expect(req?.body).toMatchObject({ to: [to], subject: '欢迎加入 ZhenGrowth' });
    expect(req?.body.text).toContain('小明，欢迎加入！');
    expect(resend.deliveriesTo(to)).toHaveLength(1);

    const body = JSON.stringify({
      type: 'email.bounced',
      created_at: new Date().toISOString(),
      data: { email_id: done.provider_id, to: [to], subject: 'x', bounce: { type: 'Permanent', subType: 'General', message: 'no such user' } },
    });
    const post = (headers: Record<string, string>) =>
      fetch(`${base}/resendWebhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal: AbortSignal.timeout(150_000),
      });
    const secret = secrets.RESEND_WEBHOOK_SECRET as string;
    const stale = await post(svixHeaders(body, secret, uniq('msg_'), new Date(Date.now() - 6 * 60_000)));
    expect(stale.status).toBe(400);
    const msgId = uniq('msg_');
    const ok = await post(svixHeaders(body, secret, msgId));
    expect([ok.status, await ok.json()]).toEqual([200, { received: true, outcome: 'applied', type: 'email.bounced' }]);
    const again = await post(svixHeaders(body, secret, msgId));
    expect(await again.json()).toMatchObject({ outcome: 'duplicate' });
    expect((await suppressionRef(fb.db, to, 'all').get()).get('reason')).toBe('bounced');
  }, 300_000);

  it('a new inbox item is pushed by the trigger: the payload decrypts and the JWT verifies under the VAPID key of .secret.local', async () => {
    const uid = uniq('u');
    const s = push.subscription();
    await put(fb.db.doc(pushSubscriptions.docPath({ uid, subscriptionId: subscriptionIdOf(s.endpoint) })).withConverter(pushSubscriptions.converter), {
      user_id: uid,
      endpoint: s.endpoint,
      p256dh: s.keys.p256dh,
      auth: s.keys.auth,
      user_agent: null,
      active: true,
      created_at: Timestamp.now(),
      last_used_at: null,
    });
    const itemId = uniq('item-');
    await put(fb.db.doc(inbox.docPath({ uid, itemId })).withConverter(inbox.converter), {
      user_id: uid,
      type: 'booking',
      title: 'Session confirmed',
      message: 'See you on Tuesday.',
      action_url: null,
      read: false,
      read_at: null,
      metadata: null,
      created_at: Timestamp.now(),
      expires_at: null,
    });
    const [got] = await until('the push', () => Promise.resolve(push.receivedBy(s.id).length ? push.receivedBy(s.id) : undefined));
    expect(got?.problem).toBeNull();
    expect(got?.vapidKey).toBe(secrets.VAPID_PUBLIC_KEY);
    expect(got?.payload).toMatchObject({ title: 'Session confirmed', body: 'See you on Tuesday.', tag: `inbox:${itemId}` });
  }, 300_000);

  it('unsubscribe: GET asks, POST unsubscribes from marketing, a forged token is refused', async () => {
    const to = `${uniq('leave')}@example.com`;
    const token = signUnsubscribeToken(secrets.UNSUBSCRIBE_SECRET as string, { email: to, queueId: 'news-e2e' });
    const url = `${base}/unsubscribe?token=${encodeURIComponent(token)}`;
    const get = await fetch(url, { signal: AbortSignal.timeout(150_000) });
    expect(get.status).toBe(200);
    expect(await get.text()).toContain('<form method="post">');
    const oneClick = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      signal: AbortSignal.timeout(150_000),
    });
    expect(oneClick.status).toBe(200);
    expect((await suppressionRef(fb.db, to, 'marketing').get()).get('source')).toBe('news-e2e');
    const forged = signUnsubscribeToken('guessed', { email: `${uniq('v')}@example.com`, queueId: 'x' });
    const refused = await fetch(`${base}/unsubscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(forged)}`,
      signal: AbortSignal.timeout(150_000),
    });
    expect(refused.status).toBe(400);
  }, 300_000);
});
