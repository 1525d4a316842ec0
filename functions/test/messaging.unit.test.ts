/** The pure parts of messaging: the template language, retry timing, Resend's answers, tokens, local times, the shipped templates. */
import { describe, expect, it } from 'vitest';
import { APP_LANGS } from '@zhengrowth/model';
import { classify, retryAfterMs } from '../src/messaging/email/gateway.js';
import { MissingVariablesError, render, TemplateSyntaxError, textFromHtml, variablesOf } from '../src/messaging/email/render.js';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from '../src/messaging/email/retry.js';
import { fallbackChain } from '../src/messaging/email/template-store.js';
import { signUnsubscribeToken, verifyUnsubscribeToken } from '../src/messaging/email/unsubscribe-token.js';
import { localTime } from '../src/messaging/local-time.js';
import { SHIPPED_TEMPLATES } from '../src/messaging/templates/index.js';

describe('the template language', () => {
  it('fills values, escapes them in HTML (line breaks become <br>), keeps them raw in text, and keeps the subject on one line', () => {
    const out = render(
      { subject: 'Hi {{name}}', html: '<p>{{name}} said: {{quote}}</p>', text: '{{name}} said: {{quote}}' },
      { name: 'Ann\nO’Neil', quote: '<script>alert("x")</script> & \'q\'' },
    );
    expect(out.subject).toBe('Hi Ann O’Neil');
    expect(out.html).toBe('<p>Ann<br>\nO’Neil said: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</p>');
    expect(out.text).toBe('Ann\nO’Neil said: <script>alert("x")</script> & \'q\'');
  });

  it('shows {{#x}} sections when x is truthy, {{^x}} when not; reads nested values', () => {
    const t = {
      subject: '{{#moved}}Moved{{/moved}}{{^moved}}Confirmed{{/moved}}',
      html: '{{#name}}Hi {{name}}{{/name}}{{^name}}Hi{{/name}} #{{order.number}}',
      text: null,
    };
    expect(render(t, { moved: true, name: null, order: { number: 7 } })).toMatchObject({ subject: 'Moved', html: 'Hi #7', text: 'Hi #7' });
    expect(render(t, { moved: false, name: 'Ann', order: { number: 7 } })).toMatchObject({ subject: 'Confirmed', html: 'Hi Ann #7' });
  });

  it('names every missing variable: absent anywhere, or null where a value is printed', () => {
    const t = { subject: '{{a}}', html: '{{#b}}x{{/b}} {{c.d}}', text: '{{e}}' };
    const err = (() => {
      try {
        render(t, { a: null, e: 'ok' });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(MissingVariablesError);
    expect((err as MissingVariablesError).names).toEqual(['a', 'b', 'c.d']);
    expect((err as Error).message).toBe('missing template variables: a, b, c.d');
  });

  it('refuses unbalanced sections, lists the variables a template uses', () => {
    expect(() => render({ subject: '{{#a}}x', html: '', text: '' }, { a: 1 })).toThrow(TemplateSyntaxError);
    expect(() => render({ subject: 'x{{/a}}', html: '', text: '' }, { a: 1 })).toThrow(TemplateSyntaxError);
    expect(variablesOf('{{#a}}{{b}}{{/a}} {{^c}}{{a}}{{/c}}')).toEqual(['a', 'b', 'c']);
  });

  it('makes a readable text part from HTML', () => {
    expect(
      textFromHtml(
        '<style>p{}</style><h1>Title</h1><p>One<br>two &amp; <a href="https://x.test/a">link</a></p><p><a href="https://x.test">https://x.test</a></p>',
      ),
    ).toBe('Title\n\nOne\ntwo & link (https://x.test/a)\n\nhttps://x.test');
  });
});

describe('retry timing and Resend’s answers', () => {
  it('backs off exponentially with equal jitter, capped, and never sooner than retry-after', () => {
    const p = { ...DEFAULT_RETRY_POLICY, baseMs: 1000, capMs: 8000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(p, n, null, () => 0))).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
    expect([1, 2, 3].map((n) => retryDelayMs(p, n, null, () => 1))).toEqual([1000, 2000, 4000]);
    for (const r of [0, 0.3, 0.99]) expect(retryDelayMs(p, 1, 30_000, () => r)).toBeGreaterThanOrEqual(30_000);
    expect(retryDelayMs(p, 1, 30_000, () => 1)).toBe(36_000);
  });

  it('reads retry-after in seconds or as an HTTP date', () => {
    expect(retryAfterMs('2', 0)).toBe(2000);
    expect(retryAfterMs('0.5', 0)).toBe(500);
    expect(retryAfterMs(new Date(61_000).toUTCString(), 1000)).toBe(60_000);
    expect(retryAfterMs('soon', 0)).toBeNull();
    expect(retryAfterMs(undefined, 0)).toBeNull();
  });

  it('retries 429, 5xx, no answer and a concurrent request with the same key; fails other 4xx', () => {
    expect(classify({ statusCode: 429, name: 'rate_limit_exceeded', message: 'slow down' }, { 'retry-after': '3' }, 0)).toEqual({
      kind: 'retry',
      status: 429,
      message: 'rate_limit_exceeded: slow down',
      retryAfterMs: 3000,
    });
    expect(classify({ statusCode: 503, name: 'application_error', message: 'x' }, null, 0)).toMatchObject({ kind: 'retry', retryAfterMs: null });
    expect(classify({ statusCode: null, name: 'application_error', message: 'Unable to fetch data.' }, null, 0)).toMatchObject({ kind: 'retry', status: null });
    expect(classify({ statusCode: 409, name: 'concurrent_idempotent_requests', message: 'x' }, null, 0)).toMatchObject({ kind: 'retry' });
    expect(classify({ statusCode: 409, name: 'invalid_idempotent_request', message: 'x' }, null, 0)).toMatchObject({ kind: 'rejected', status: 409 });
    expect(classify({ statusCode: 422, name: 'validation_error', message: 'Invalid `to` field.' }, null, 0)).toEqual({
      kind: 'rejected',
      status: 422,
      message: 'validation_error: Invalid `to` field.',
    });
  });
});

describe('languages, tokens and times', () => {
  it('falls back zh-TW → zh-CN → en, zh-CN → en', () => {
    expect(fallbackChain('zh-TW')).toEqual(['zh-TW', 'zh-CN', 'en']);
    expect(fallbackChain('zh-CN')).toEqual(['zh-CN', 'en']);
    expect(fallbackChain('en')).toEqual(['en']);
  });

  it('unsubscribe tokens verify only under their secret and unaltered', () => {
    const token = signUnsubscribeToken('s3cret', { email: 'ann@example.com', queueId: 'news-1' });
    expect(signUnsubscribeToken('s3cret', { email: 'ann@example.com', queueId: 'news-1' })).toBe(token);
    expect(verifyUnsubscribeToken('s3cret', token)).toEqual({ email: 'ann@example.com', queueId: 'news-1' });
    expect(verifyUnsubscribeToken('other', token)).toBeNull();
    expect(verifyUnsubscribeToken('s3cret', `${token}x`)).toBeNull();
    expect(verifyUnsubscribeToken('s3cret', token.replace(/^v1\.[^.]/, 'v1.A'))).toBeNull();
    expect(verifyUnsubscribeToken('s3cret', 'garbage')).toBeNull();
  });

  it('says a time in the reader’s language and time zone', () => {
    const t = new Date('2026-03-03T01:30:00Z');
    // ICU versions differ on the comma after the weekday.
    expect(localTime(t, 'en', 'Asia/Taipei')).toMatch(/^Tuesday,? 3 March 2026 at 09:30 GMT\+8$/);
    expect(localTime(t, 'zh-CN', 'Asia/Shanghai')).toContain('2026年3月3日星期二');
    expect(localTime(t, 'zh-TW', 'Asia/Taipei')).toContain('09:30');
    expect(localTime(t, 'en', 'Not/AZone')).toMatch(/^Tuesday,? 3 March 2026 at 01:30 UTC$/);
  });
});

describe('the shipped templates', () => {
  /** What the callers put on the queue item (payments/state.ts, webhooks/cal.ts, accounts, reminders, shared/email-consent.ts). */
  const CALLER_VARIABLES: Record<string, Record<string, unknown>> = {
    order_confirmation: { order_id: 'o1', order_number: 'ZG-1', total: '22.50 USD', currency: 'USD', name: null, lines: '1 × Growth package' },
    booking_confirmation: { cal_uid: 'u1', start_time: '2026-03-03T01:30:00.000Z', when: '2026-03-03 01:30 UTC', meeting_url: null, name: null, moved: false },
    password_reset: { link: 'https://zhengrowth.com/reset?x=1', name: 'Ann' },
    welcome: {},
    session_reminder: { name: null, when: 'Tuesday', soon: true, time_zone: 'UTC' },
    event_reminder: { name: null, event_title: 'Workshop', when: 'Tuesday', location: null },
    lead_confirmation: { name: 'Lin', link: 'https://zhengrowth.com/confirm-email?token=x.y' },
  };

  it.each(SHIPPED_TEMPLATES.flatMap((t) => APP_LANGS.map((lang) => [t.slug, lang, t] as const)))(
    '%s in %s renders with what its callers send',
    (slug, lang, t) => {
      const v = t.versions[lang];
      const out = render({ subject: v.subject, html: v.html, text: v.text }, { ...t.defaults, ...CALLER_VARIABLES[slug] } as never);
      expect(out.subject.length).toBeGreaterThan(3);
      expect(out.html).toContain(`<html lang="`);
      expect(out.text).not.toMatch(/\{\{|\}\}/);
    },
  );

  it('ships every template in every language', () => {
    expect(SHIPPED_TEMPLATES.map((t) => t.slug).sort()).toEqual(
      ['booking_confirmation', 'event_reminder', 'lead_confirmation', 'order_confirmation', 'password_reset', 'session_reminder', 'welcome'].sort(),
    );
    for (const t of SHIPPED_TEMPLATES) expect(Object.keys(t.versions).sort()).toEqual([...APP_LANGS].sort());
  });
});
