/**
 * resendWebhook and the unsubscribe endpoint, at the handler level against the Firestore
 * emulator: Svix signatures (bad, stale, missing), exactly-once by svix-id, delivery facts on the
 * attempt's log (never backwards), a hard bounce suppressing the address so that the sender skips
 * it next time, and unsubscribe tokens (forged, reused).
 */
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailLogs, emailQueue, deliveries } from '@zhengrowth/model';
import { handleResendWebhook } from '../src/messaging/email/resend-webhook.js';
import { suppressionRef } from '../src/messaging/email/suppression.js';
import { onQueuedEmail } from '../src/messaging/email/triggers.js';
import { handleUnsubscribe } from '../src/messaging/email/unsubscribe.js';
import { signUnsubscribeToken } from '../src/messaging/email/unsubscribe-token.js';
import { queueEmail } from '../src/shared/outbox.js';
import { runWebhook } from '../src/core/webhook-delivery.js';
import { uniq } from './support/env.js';
import { messagingEnv, RESEND_WEBHOOK_SECRET, svixHeaders, UNSUBSCRIBE_SECRET, type MessagingEnv } from './support/messaging.js';

let env: MessagingEnv;
beforeAll(async () => {
  env = await messagingEnv('resend-hook');
});
afterAll(async () => {
  await env?.close();
});

function deliver(body: string, headers: Record<string, string>) {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return runWebhook('resendWebhook', handleResendWebhook, { rawBody: Buffer.from(body), header: (h) => lower[h.toLowerCase()] }, env.webhookDeps());
}

const signed = (body: string, msgId = uniq('msg_'), at = new Date()) => deliver(body, svixHeaders(body, RESEND_WEBHOOK_SECRET, msgId, at));

function eventBody(type: string, emailId: string, to: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type,
    created_at: new Date().toISOString(),
    data: { email_id: emailId, from: 'ZhenGrowth <hello@zhengrowth.test>', to: [to], subject: 'Your order', created_at: new Date().toISOString(), ...extra },
  });
}

/** Queues and sends an order confirmation; returns the queue id and Resend's id. */
async function sent(to: string): Promise<{ id: string; providerId: string }> {
  const id = uniq('order-');
  await env.db.runTransaction((tx) => {
    queueEmail(
      tx,
      env.db,
      id,
      {
        to,
        template: 'order_confirmation',
        subject: 'Your order',
        text: 'Thanks',
        lang: 'en',
        variables: { order_id: 'o', order_number: 'ZG-1', total: '1.00 USD', currency: 'USD', name: null, lines: '1 × x' },
      },
      Timestamp.fromDate(env.clock.now()),
    );
    return Promise.resolve();
  });
  expect(await onQueuedEmail({ params: { emailId: id } }, env.emailDeps())).toBe('sent');
  const doc = (
    await env.db
      .doc(emailQueue.docPath({ emailId: id }))
      .withConverter(emailQueue.converter)
      .get()
  ).data();
  return { id, providerId: doc?.provider_id as string };
}

async function logOf(queueId: string) {
  const snap = await env.db.collection(emailLogs.collectionPath({})).withConverter(emailLogs.converter).get();
  return snap.docs.map((d) => d.data()).find((l) => l.queue_id === queueId && l.provider_id);
}

describe('Svix signatures', () => {
  it('refuses a bad, a stale and a missing signature with 400, writing nothing', async () => {
    const to = `${uniq('sig')}@example.com`;
    const { providerId } = await sent(to);
    const body = eventBody('email.bounced', providerId, to, { bounce: { type: 'Permanent', subType: 'General', message: 'no such user' } });
    const other = `whsec_${Buffer.from('not the secret').toString('base64')}`;
    expect(await deliver(body, svixHeaders(body, other, 'msg_bad'))).toEqual({ status: 400, body: { received: false, error: 'invalid svix-signature' } });
    const stale = await signed(body, 'msg_stale', new Date(Date.now() - 10 * 60_000));
    expect(stale).toEqual({ status: 400, body: { received: false, error: 'signature timestamp outside the 5-minute tolerance' } });
    expect((await deliver(body, {})).status).toBe(400);
    // The body altered after signing.
    const h = svixHeaders(body, RESEND_WEBHOOK_SECRET, 'msg_altered');
    expect((await deliver(body.replace('Permanent', 'Transient'), h)).status).toBe(400);
    expect((await suppressionRef(env.db, to, 'all').get()).exists).toBe(false);
    expect((await env.db.doc(deliveries.docPath({ deliveryId: 'resend:msg_stale' })).get()).exists).toBe(false);
  });

  it('answers 400 for malformed JSON, 200 (recorded, no effect) for an event it does not act on', async () => {
    expect(await signed('{"type": "email.delivered", ')).toEqual({ status: 400, body: { received: false, error: 'malformed JSON' } });
    const res = await signed(JSON.stringify({ type: 'email.opened', created_at: new Date().toISOString(), data: { email_id: 'x' } }), 'msg_opened');
    expect(res).toEqual({ status: 200, body: { received: true, outcome: 'ignored', type: 'email.opened' } });
    const recorded = (
      await env.db
        .doc(deliveries.docPath({ deliveryId: 'resend:msg_opened' }))
        .withConverter(deliveries.converter)
        .get()
    ).data();
    expect(recorded?.outcome).toBe('ignored');
    // The ledger keeps a delivery for WEBHOOK_LEDGER_RETENTION_DAYS (30 here), then the TTL policy deletes it.
    expect((recorded?.expires_at?.toMillis() ?? 0) - (recorded?.received_at.toMillis() ?? 0)).toBe(30 * 86_400_000);
  });
});

describe('delivery facts', () => {
  it('moves the log forward (delivered, then a late delivery_delayed does not move it back), once per svix-id', async () => {
    const to = `${uniq('dl')}@example.com`;
    const { id, providerId } = await sent(to);
    const delivered = eventBody('email.delivered', providerId, to);
    const first = await signed(delivered, 'msg_dl_1');
    expect(first).toEqual({ status: 200, body: { received: true, outcome: 'applied', type: 'email.delivered' } });
    const again = await Promise.all([signed(delivered, 'msg_dl_1'), signed(delivered, 'msg_dl_1')]);
    expect(again.map((r) => r.body.outcome)).toEqual(['duplicate', 'duplicate']);
    expect((await signed(eventBody('email.delivery_delayed', providerId, to), 'msg_dl_2')).body.outcome).toBe('applied');
    const log = await logOf(id);
    expect(log?.status).toBe('delivered');
    const events = (log?.metadata as { events: Array<{ type: string; svix_id: string }> }).events;
    expect(events.map((e) => [e.type, e.svix_id])).toEqual([
      ['email.delivered', 'msg_dl_1'],
      ['email.delivery_delayed', 'msg_dl_2'],
    ]);
  });

  it('a hard bounce suppresses the address, and the next e-mail to it is skipped without calling Resend; a soft bounce does not', async () => {
    const to = `${uniq('Bounce')}@Example.com`;
    const { id, providerId } = await sent(to);
    const soft = await signed(eventBody('email.bounced', providerId, to, { bounce: { type: 'Transient', subType: 'MailboxFull', message: 'full' } }));
    expect(soft.body.outcome).toBe('applied');
    expect((await suppressionRef(env.db, to, 'all').get()).exists).toBe(false);
    const hard = await signed(
      eventBody('email.bounced', providerId, to, { bounce: { type: 'Permanent', subType: 'General', message: 'no such user' } }),
      'msg_hard',
    );
    expect(hard.body.outcome).toBe('applied');
    expect((await suppressionRef(env.db, to, 'all').get()).data()).toMatchObject({
      email: to.toLowerCase(),
      scope: 'all',
      reason: 'bounced',
      source: 'msg_hard',
    });
    const log = await logOf(id);
    expect(log).toMatchObject({ status: 'bounced' });
    expect(log?.error).toMatch(/^bounced \(Permanent\): no such user/);

    const before = env.resend.requests.length;
    const next = uniq('order-');
    await env.db.runTransaction((tx) => {
      queueEmail(
        tx,
        env.db,
        next,
        { to: to.toLowerCase(), template: 'welcome', subject: 'Welcome', text: 'Welcome', lang: 'en', variables: {} },
        Timestamp.fromDate(env.clock.now()),
      );
      return Promise.resolve();
    });
    expect(await onQueuedEmail({ params: { emailId: next } }, env.emailDeps())).toBe('suppressed');
    expect(env.resend.requests.length).toBe(before);
  });

  it('a complaint suppresses the address too', async () => {
    const to = `${uniq('spam')}@example.com`;
    const { providerId } = await sent(to);
    expect((await signed(eventBody('email.complained', providerId, to), 'msg_complaint')).body.outcome).toBe('applied');
    expect((await suppressionRef(env.db, to, 'all').get()).get('reason')).toBe('complained');
  });
});

describe('unsubscribe', () => {
  const deps = () => ({ db: env.db, now: env.clock.now, secret: UNSUBSCRIBE_SECRET });

  it('GET shows a confirmation (a link scanner unsubscribes nobody); POST unsubscribes from marketing once; a reused token changes nothing', async () => {
    const to = `${uniq('leave')}@example.com`;
    const token = signUnsubscribeToken(UNSUBSCRIBE_SECRET, { email: to, queueId: 'news-1' });
    const page = await handleUnsubscribe({ method: 'GET', token }, deps());
    expect(page).toMatchObject({ status: 200, outcome: 'confirm' });
    expect(page.html).toContain('<form method="post">');
    expect((await suppressionRef(env.db, to, 'marketing').get()).exists).toBe(false);

    expect(await handleUnsubscribe({ method: 'POST', token }, deps())).toMatchObject({ status: 200, outcome: 'unsubscribed' });
    const rec = (await suppressionRef(env.db, to, 'marketing').get()).data();
    expect(rec).toMatchObject({ email: to, scope: 'marketing', reason: 'unsubscribed', source: 'news-1' });
    const reused = await Promise.all([handleUnsubscribe({ method: 'POST', token }, deps()), handleUnsubscribe({ method: 'POST', token }, deps())]);
    expect(reused.map((r) => r.outcome)).toEqual(['already', 'already']);
    expect((await suppressionRef(env.db, to, 'marketing').get()).data()?.created_at.toMillis()).toBe(rec?.created_at.toMillis());
    // Marketing only: receipts and password resets are not stopped.
    expect((await suppressionRef(env.db, to, 'all').get()).exists).toBe(false);
  });

  it('refuses a forged or altered token with 400 and writes nothing', async () => {
    const victim = `${uniq('victim')}@example.com`;
    const forged = signUnsubscribeToken('a guessed secret', { email: victim, queueId: 'q' });
    expect(await handleUnsubscribe({ method: 'POST', token: forged }, deps())).toMatchObject({ status: 400 });
    const genuine = signUnsubscribeToken(UNSUBSCRIBE_SECRET, { email: `${uniq('me')}@example.com`, queueId: 'q' });
    const [v, body, sig] = genuine.split('.') as [string, string, string];
    const swapped = `${v}.${Buffer.from(JSON.stringify({ e: victim, q: 'q' })).toString('base64url')}.${sig}`;
    expect(await handleUnsubscribe({ method: 'POST', token: swapped }, deps())).toMatchObject({ status: 400 });
    expect(await handleUnsubscribe({ method: 'POST', token: `${v}.${body}` }, deps())).toMatchObject({ status: 400 });
    expect(await handleUnsubscribe({ method: 'POST', token: undefined }, deps())).toMatchObject({ status: 400 });
    expect((await suppressionRef(env.db, victim, 'marketing').get()).exists).toBe(false);
  });
});
