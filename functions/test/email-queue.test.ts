/**
 * The e-mail queue against the real Firestore emulator and a local stand-in of Resend's API:
 * template and language choice, escaping, exactly-once under duplicate triggers, concurrent
 * workers and a crash after Resend accepted, retries (retry-after, backoff, the attempt limit),
 * immediate failures, suppression and the marketing headers.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailLogs, emailQueue, emailTemplateId, emailTemplates, type EmailQueueDoc } from '@zhengrowth/model';
import { put } from '@zhengrowth/devstack/testing';
import { onQueuedEmail } from '../src/messaging/email/triggers.js';
import { sweepEmailQueue } from '../src/messaging/email/sweep.js';
import { suppressionRef } from '../src/messaging/email/suppression.js';
import { verifyUnsubscribeToken } from '../src/messaging/email/unsubscribe-token.js';
import { queueEmail, type EmailRequest } from '../src/shared/outbox.js';
import { messagingEnv, RESEND_KEY, seedProfile, UNSUBSCRIBE_SECRET, type MessagingEnv } from './support/messaging.js';
import { uniq } from './support/env.js';

let env: MessagingEnv;
beforeAll(async () => {
  env = await messagingEnv('email-queue');
});
afterAll(async () => {
  await env?.close();
});

const SWEEP = { pageSize: 50, concurrency: 4, budgetMs: 30_000 };

async function enqueue(req: Partial<EmailRequest> & Pick<EmailRequest, 'to'>, id = uniq('mail-')): Promise<string> {
  await env.db.runTransaction((tx) => {
    queueEmail(
      tx,
      env.db,
      id,
      { template: 'order_confirmation', subject: 'Your order', text: 'Thank you.', variables: {}, ...req },
      Timestamp.fromDate(env.clock.now()),
    );
    return Promise.resolve();
  });
  return id;
}

const item = async (id: string): Promise<EmailQueueDoc | undefined> =>
  (
    await env.db
      .doc(emailQueue.docPath({ emailId: id }))
      .withConverter(emailQueue.converter)
      .get()
  ).data();

async function logsOf(id: string) {
  const snap = await env.db.collection(emailLogs.collectionPath({})).withConverter(emailLogs.converter).get();
  return snap.docs
    .map((d) => d.data())
    .filter((l) => l.queue_id === id)
    .sort((a, b) => (a.attempt ?? 0) - (b.attempt ?? 0));
}

const orderVars = (name: string | null) => ({
  order_id: 'o1',
  order_number: 'ZG-AB12-CD34-EF56',
  total: '22.50 USD',
  currency: 'USD',
  name,
  lines: '1 × Growth package',
});
const requestsFor = (to: string) => env.resend.requests.filter((r) => r.body.to.includes(to));

describe('sending a queued e-mail', () => {
  it('renders the template in the recipient’s language, escapes values in HTML, and sends it once with the queue id as Idempotency-Key', async () => {
    const to = `${uniq('mei')}@example.com`;
    await seedProfile(env.db, uniq('u'), { email: to, lang: 'zh-TW' });
    const id = await enqueue({ to, variables: orderVars('<b>Mei</b> & co') });
    expect(await onQueuedEmail({ params: { emailId: id } }, env.emailDeps())).toBe('sent');

    const [req] = requestsFor(to);
    expect(req?.idempotencyKey).toBe(id);
    expect(req?.authorization).toBe(`Bearer ${RESEND_KEY}`);
    expect(req?.body).toMatchObject({
      from: 'ZhenGrowth <hello@zhengrowth.test>',
      to: [to],
      reply_to: 'support@zhengrowth.test',
      subject: '您的 ZhenGrowth 訂單 ZG-AB12-CD34-EF56',
      tags: [
        { name: 'queue_id', value: id.replace(/[^A-Za-z0-9_-]/g, '_') },
        { name: 'category', value: 'transactional' },
      ],
    });
    expect(req?.body.html).toContain('&lt;b&gt;Mei&lt;/b&gt; &amp; co，感謝您的購買！');
    expect(req?.body.html).not.toContain('<b>Mei</b>');
    expect(req?.body.text).toContain('<b>Mei</b> & co，感謝您的購買！');
    expect(req?.body.text).toContain('1 × Growth package');
    expect(req?.body.headers).toBeUndefined();

    const done = await item(id);
    expect(done).toMatchObject({ status: 'sent', attempts: 1, error: null, provider_id: env.resend.deliveriesTo(to)[0]?.id, lang: 'zh-TW', lease_id: null });
    expect(done?.sent_at).toBeInstanceOf(Timestamp);
    const logs = await logsOf(id);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ status: 'sent', attempt: 1, http_status: 200, provider_id: done?.provider_id, to_email: to, subject: req?.body.subject });
    expect(logs[0]?.duration_ms).toBeGreaterThanOrEqual(0);
    // Kept for EMAIL_LOG_RETENTION_DAYS (180 here) after the attempt, then deleted by the TTL policy.
    expect((logs[0]?.expires_at?.toMillis() ?? 0) - env.clock.now().getTime()).toBeCloseTo(180 * 86_400_000, -5);
  });

  it('falls back zh-TW → zh-CN → en only where a language has no version; a migrated (language-less) row comes last; the item’s lang wins over the profile', async () => {
    const slug = uniq('fallback_').toLowerCase();
    const version = (lang: 'en' | 'zh-CN' | 'zh-TW', subject: string) =>
      put(env.db.doc(emailTemplates.docPath({ templateId: emailTemplateId(slug, lang) })).withConverter(emailTemplates.converter), {
        slug,
        name: slug,
        subject,
        body_html: `<p>${subject} {{name}}</p>`,
        body_text: null,
        variables: null,
        active: true,
        created_at: null,
        updated_at: null,
        lang,
        category: 'transactional',
      });
    await version('zh-CN', '简体');
    await version('en', 'English');
    const subjectFor = async (lang: 'en' | 'zh-CN' | 'zh-TW', tpl = slug): Promise<string | undefined> => {
      const to = `${uniq('fb')}@example.com`;
      const id = await enqueue({ to, template: tpl, variables: { name: 'Ann' }, lang });
      await onQueuedEmail({ params: { emailId: id } }, env.emailDeps());
      return requestsFor(to)[0]?.body.subject;
    };
    expect(await subjectFor('zh-TW')).toBe('简体');
    expect(await subjectFor('zh-CN')).toBe('简体');
    expect(await subjectFor('en')).toBe('English');
    await version('zh-TW', '繁體');
    expect(await subjectFor('zh-TW')).toBe('繁體');

    // A template that exists only as a migrated row (random id, no lang): every language gets it.
    const old = uniq('legacy_').toLowerCase();
    await put(env.db.doc(emailTemplates.docPath({ templateId: uniq('uuid-') })).withConverter(emailTemplates.converter), {
      slug: old,
      name: 'Legacy',
      subject: '{{greeting}}, {{name}}',
      body_html: '<p>{{greeting}}, {{name}}</p>',
      body_text: null,
      variables: { name: { required: true }, greeting: { default: 'Hi' } },
      active: true,
      created_at: null,
      updated_at: null,
    });
    expect(await subjectFor('zh-TW', old)).toBe('Hi, Ann');
  });

  it('fails an item whose template names a variable the item lacks, naming it, without calling Resend', async () => {
    const to = `${uniq('reset')}@example.com`;
    const id = await enqueue({ to, template: 'password_reset', variables: { name: 'Ann' }, lang: 'en' });
    expect(await onQueuedEmail({ params: { emailId: id } }, env.emailDeps())).toBe('failed');
    expect(requestsFor(to)).toHaveLength(0);
    expect(await item(id)).toMatchObject({ status: 'failed', error: 'missing template variable: link', attempts: 1 });
    expect((await logsOf(id)).map((l) => [l.status, l.error])).toEqual([['failed', 'missing template variable: link']]);
    // The same template with its variable goes out (so the failure was the variable).
    const ok = await enqueue({ to, template: 'password_reset', variables: { link: 'https://zhengrowth.com/reset?t=1' }, lang: 'en' });
    expect(await onQueuedEmail({ params: { emailId: ok } }, env.emailDeps())).toBe('sent');
    expect(requestsFor(to)[0]?.body.text).toContain('Choose a new password: https://zhengrowth.com/reset?t=1');
  });

  it('sends a literal item (subject and body, no template) with a text part made from its HTML', async () => {
    const to = `${uniq('lit')}@example.com`;
    const id = uniq('lit-');
    await put(env.db.doc(emailQueue.docPath({ emailId: id })).withConverter(emailQueue.converter), {
      to_email: to,
      template_slug: null,
      subject: 'Hello from the old queue',
      body_html: '<p>Line one</p><p>Visit <a href="https://zhengrowth.com">us</a></p>',
      body_text: null,
      variables: {},
      status: 'pending',
      scheduled_for: Timestamp.fromDate(env.clock.now()),
      sent_at: null,
      error: null,
      attempts: 0,
      created_at: Timestamp.fromDate(env.clock.now()),
    });
    expect(await onQueuedEmail({ params: { emailId: id } }, env.emailDeps())).toBe('sent');
    expect(requestsFor(to)[0]?.body).toMatchObject({ subject: 'Hello from the old queue', text: 'Line one\n\nVisit us (https://zhengrowth.com)' });
  });
});

describe('exactly once', () => {
  it('a trigger delivered twice, and five workers at once with the sweep, send one e-mail', async () => {
    const to = `${uniq('dup')}@example.com`;
    const id = await enqueue({ to, variables: orderVars('Ann'), lang: 'en' });
    const [sweep, ...outcomes] = await Promise.all([
      sweepEmailQueue(env.emailDeps(), SWEEP),
      ...Array.from({ length: 5 }, () => onQueuedEmail({ params: { emailId: id } }, env.emailDeps())),
    ]);
    // Whoever takes the lease first sends: one of the trigger deliveries, or the sweep.
    expect(outcomes.filter((o) => o === 'sent').length + (sweep?.sent ?? 0)).toBe(1);
    expect(await onQueuedEmail({ params: { emailId: id } }, env.emailDeps())).toBe('done');
    expect(requestsFor(to)).toHaveLength(1);
    expect(env.resend.deliveriesTo(to)).toHaveLength(1);
    expect(await item(id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('a worker that crashes after Resend accepted: the next one takes over the lease and reuses the key, and Resend sends nothing twice', async () => {
    const to = `${uniq('crash')}@example.com`;
    const id = await enqueue({ to, variables: orderVars(null), lang: 'en' });
    const crash = env.emailDeps({
      afterSend: () => Promise.reject(new Error('worker killed')),
    });
    await expect(onQueuedEmail({ params: { emailId: id } }, crash)).rejects.toThrow('worker killed');
    expect(await item(id)).toMatchObject({ status: 'sending', attempts: 1 });
    // Before the lease runs out nobody else may send it.
    expect(await onQueuedEmail({ params: { emailId: id } }, env.emailDeps())).toBe('held');
    env.clock.advance(61_000);
    const report = await sweepEmailQueue(env.emailDeps(), SWEEP);
    expect(report.sent).toBeGreaterThanOrEqual(1);
    const reqs = requestsFor(to);
    expect(reqs.map((r) => r.idempotencyKey)).toEqual([id, id]);
    expect(env.resend.deliveriesTo(to)).toHaveLength(1);
    const done = await item(id);
    expect(done).toMatchObject({ status: 'sent', attempts: 2, provider_id: env.resend.deliveriesTo(to)[0]?.id });
  });
});

describe('retries', () => {
  it('honours a 429’s retry-after: a short one in the same invocation, a long one through the sweep', async () => {
    const to = `${uniq('ra')}@example.com`;
    env.resend.script(to, { status: 429, retryAfter: 3 });
    const id = await enqueue({ to, variables: orderVars('Ann'), lang: 'en' });
    env.clock.sleeps.length = 0;
    expect(await onQueuedEmail({ params: { emailId: id } }, env.emailDeps())).toBe('sent');
    expect(env.clock.sleeps[0]).toBeGreaterThanOrEqual(3000);
    expect((await logsOf(id)).map((l) => [l.status, l.http_status])).toEqual([
      ['retry', 429],
      ['sent', 200],
    ]);

    const slow = `${uniq('ra-long')}@example.com`;
    env.resend.script(slow, { status: 429, retryAfter: 120 });
    const later = await enqueue({ to: slow, variables: orderVars('Ann'), lang: 'en' });
    const t0 = env.clock.now().getTime();
    expect(await onQueuedEmail({ params: { emailId: later } }, env.emailDeps())).toBe('retry_later');
    const waiting = await item(later);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
    expect(waiting?.scheduled_for?.toMillis()).toBeGreaterThanOrEqual(t0 + 120_000);
    env.clock.advance(60_000);
    await sweepEmailQueue(env.emailDeps(), SWEEP);
    expect(requestsFor(slow)).toHaveLength(1);
    env.clock.advance(90_000);
    await sweepEmailQueue(env.emailDeps(), SWEEP);
    expect(await item(later)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('backs off (longer each time, with jitter) on 5xx, and fails after the maximum of attempts with the last error', async () => {
    const to = `${uniq('5xx')}@example.com`;
    env.resend.script(to, { status: 500 }, { status: 503 }, { status: 500 });
    const id = await enqueue({ to, variables: orderVars('Ann'), lang: 'en' });
    env.clock.sleeps.length = 0;
    const deps = env.emailDeps({ retry: { maxAttempts: 3, baseMs: 1000, capMs: 60_000, inlineMaxMs: 10_000 }, random: () => 0.9 });
    expect(await onQueuedEmail({ params: { emailId: id } }, deps)).toBe('failed');
    expect(env.clock.sleeps).toEqual([950, 1900]);
    const failed = await item(id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3 });
    expect(failed?.error).toMatch(/^gave up after 3 attempts: internal_server_error/);
    expect((await logsOf(id)).map((l) => l.status)).toEqual(['retry', 'retry', 'failed']);
    expect(env.resend.deliveriesTo(to)).toHaveLength(0);
  });

  it('fails at once on another 4xx, with the provider’s message', async () => {
    const to = `${uniq('422')}@example.com`;
    env.resend.script(to, { status: 422, message: 'Invalid `to` field.' });
    const id = await enqueue({ to, variables: orderVars('Ann'), lang: 'en' });
    expect(await onQueuedEmail({ params: { emailId: id } }, env.emailDeps())).toBe('failed');
    expect(await item(id)).toMatchObject({ status: 'failed', attempts: 1, error: 'validation_error: Invalid `to` field.' });
    expect(requestsFor(to)).toHaveLength(1);
  });

  it('leaves an item scheduled for later to the sweep, which sends it when its time comes', async () => {
    const to = `${uniq('later')}@example.com`;
    const id = await enqueue({ to, variables: orderVars('Ann'), lang: 'en', scheduledFor: Timestamp.fromMillis(env.clock.now().getTime() + 10 * 60_000) });
    expect(await onQueuedEmail({ params: { emailId: id } }, env.emailDeps())).toBe('not_due');
    await sweepEmailQueue(env.emailDeps(), SWEEP);
    expect(requestsFor(to)).toHaveLength(0);
    env.clock.advance(10 * 60_000);
    await sweepEmailQueue(env.emailDeps(), SWEEP);
    expect(await item(id)).toMatchObject({ status: 'sent' });
  });
});

describe('suppression and marketing', () => {
  async function marketingTemplate(): Promise<string> {
    const slug = uniq('news_').toLowerCase();
    await put(env.db.doc(emailTemplates.docPath({ templateId: emailTemplateId(slug, 'en') })).withConverter(emailTemplates.converter), {
      slug,
      name: 'News',
      subject: 'This month at ZhenGrowth',
      body_html: '<p>News for {{name}}.</p><p><a href="{{unsubscribe_url}}">Unsubscribe</a></p>',
      body_text: 'News for {{name}}.\n\nUnsubscribe: {{unsubscribe_url}}',
      variables: null,
      active: true,
      created_at: null,
      updated_at: null,
      lang: 'en',
      category: 'marketing',
    });
    return slug;
  }

  it('marketing e-mails carry one-click List-Unsubscribe headers and a signed link to the address', async () => {
    const slug = await marketingTemplate();
    const to = `${uniq('news')}@example.com`;
    const id = await enqueue({ to, template: slug, variables: { name: 'Ann' }, lang: 'en' });
    expect(await onQueuedEmail({ params: { emailId: id } }, env.emailDeps())).toBe('sent');
    const req = requestsFor(to)[0];
    const link = /<(https:\/\/functions\.zhengrowth\.test\/unsubscribe\?token=[^>]+)>/.exec(req?.body.headers?.['List-Unsubscribe'] ?? '')?.[1];
    expect(link).toBeDefined();
    expect(req?.body.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(req?.body.text).toContain(`Unsubscribe: ${link}`);
    const token = decodeURIComponent(new URL(link as string).searchParams.get('token') ?? '');
    expect(verifyUnsubscribeToken(UNSUBSCRIBE_SECRET, token)).toEqual({ email: to, queueId: id });
    expect(await item(id)).toMatchObject({ category: 'marketing' });
  });

  it('skips a suppressed address without calling Resend: marketing suppression stops marketing only', async () => {
    const slug = await marketingTemplate();
    const to = `${uniq('unsub')}@Example.com`;
    await put(suppressionRef(env.db, to, 'marketing'), {
      email: to.toLowerCase(),
      scope: 'marketing',
      reason: 'unsubscribed',
      source: 'x',
      created_at: Timestamp.now(),
    });
    const news = await enqueue({ to, template: slug, variables: { name: 'Ann' }, lang: 'en' });
    const receipt = await enqueue({ to, variables: orderVars('Ann'), lang: 'en' });
    expect(await onQueuedEmail({ params: { emailId: news } }, env.emailDeps())).toBe('suppressed');
    expect(await onQueuedEmail({ params: { emailId: receipt } }, env.emailDeps())).toBe('sent');
    expect(requestsFor(to).map((r) => r.idempotencyKey)).toEqual([receipt]);
    expect(await item(news)).toMatchObject({ status: 'suppressed' });
    expect((await logsOf(news)).map((l) => l.status)).toEqual(['suppressed']);

    const bounced = `${uniq('hard')}@example.com`;
    await put(suppressionRef(env.db, bounced, 'all'), { email: bounced, scope: 'all', reason: 'bounced', source: 'msg_1', created_at: Timestamp.now() });
    const id = await enqueue({ to: bounced, variables: orderVars('Ann'), lang: 'en' });
    expect(await onQueuedEmail({ params: { emailId: id } }, env.emailDeps())).toBe('suppressed');
    expect(requestsFor(bounced)).toHaveLength(0);
  });
});
