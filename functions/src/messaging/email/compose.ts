/**
 * What a leased queue item becomes: the e-mail to hand to Resend, or a verdict that ends it
 * without a call — failed (no template, a missing variable: never a blank in a customer's
 * e-mail), suppressed (the address bounced, complained, or unsubscribed from marketing), or
 * cancelled (what it announces changed: a reminder of a session that moved).
 */
import { usersByEmail, users, appLangOf, type AppLang, type EmailCategory, type EmailQueueDoc, type JsonValue } from '@zhengrowth/model';
import { buildQuery } from '../../core/query.js';
import type { EmailDeps } from './deps.js';
import type { OutgoingEmail } from './gateway.js';
import { escapeHtml, MissingVariablesError, render, textFromHtml, TemplateSyntaxError, type Variables } from './render.js';
import { suppressedBy } from './suppression.js';
import { TemplateNotFoundError, templateDefaults } from './template-store.js';
import { signUnsubscribeToken } from './unsubscribe-token.js';

export type Composed =
  | { kind: 'send'; email: OutgoingEmail; category: EmailCategory; lang: AppLang; templateId: string | null }
  | { kind: 'failed' | 'suppressed' | 'cancelled'; reason: string; category: EmailCategory | null; lang: AppLang | null };

/** The recipient's language: the item's, else their profile's (by user id or e-mail), else en. */
async function recipientLang(deps: EmailDeps, item: EmailQueueDoc): Promise<AppLang> {
  if (item.lang) return item.lang;
  const profile: unknown = item.user_id
    ? (await deps.db.doc(users.docPath({ uid: item.user_id })).get()).get('lang')
    : (await buildQuery(deps.db, usersByEmail, [item.to_email]).limit(1).get()).docs[0]?.get('lang');
  return appLangOf(typeof profile === 'string' ? profile : null) ?? 'en';
}

/** Whether the document a reminder is about still says what the reminder says. */
async function stillValid(deps: EmailDeps, item: EmailQueueDoc): Promise<string | null> {
  const v = item.valid_if;
  if (!v) return null;
  const snap = await deps.db.doc(v.path).get();
  if (!snap.exists) return `${v.path} no longer exists`;
  const at = snap.get(v.field) as { toMillis?: () => number } | undefined;
  if (typeof at?.toMillis !== 'function' || at.toMillis() !== v.at.toMillis()) return `${v.path} moved: ${v.field} is no longer ${v.at.toDate().toISOString()}`;
  const status = snap.get('status') as unknown;
  if (v.statuses && !v.statuses.includes(typeof status === 'string' ? status : '')) return `${v.path} is ${String(status)}`;
  return null;
}

const tagValue = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);

function marketingExtras(deps: EmailDeps, emailId: string, to: string): { url: string; headers: Record<string, string> } {
  const token = signUnsubscribeToken(deps.unsubscribe.secret, { email: to, queueId: emailId });
  const url = `${deps.unsubscribe.url}${deps.unsubscribe.url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
  return { url, headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } };
}

class EmptyEmailError extends Error {
  constructor() {
    super('the item has neither a template nor a body');
    this.name = 'EmptyEmailError';
  }
}

interface Content {
  subject: string;
  html: string | null;
  text: string;
  category: EmailCategory;
  templateId: string | null;
  headers?: Record<string, string>;
}

async function content(deps: EmailDeps, emailId: string, item: EmailQueueDoc, lang: AppLang): Promise<Content> {
  const given: Variables = item.variables !== null && typeof item.variables === 'object' && !Array.isArray(item.variables) ? item.variables : {};
  if (!item.template_slug) {
    const category = item.category ?? 'transactional';
    const extras = category === 'marketing' ? marketingExtras(deps, emailId, item.to_email) : null;
    const html = item.body_html ? item.body_html + (extras ? `\n<p><a href="${escapeHtml(extras.url)}">Unsubscribe</a></p>` : '') : null;
    const text = (item.body_text ?? (html ? textFromHtml(html) : '')) + (extras && !item.body_html ? `\n\nUnsubscribe: ${extras.url}` : '');
    if (!html && !text.trim()) throw new EmptyEmailError();
    return { subject: item.subject, html, text, category, templateId: null, ...(extras ? { headers: extras.headers } : {}) };
  }
  const picked = await deps.templates.pick(item.template_slug, lang);
  const category = picked.doc.category ?? 'transactional';
  const extras = category === 'marketing' ? marketingExtras(deps, emailId, item.to_email) : null;
  const vars: { [k: string]: JsonValue | undefined } = { ...templateDefaults(picked.doc), ...given, ...(extras ? { unsubscribe_url: extras.url } : {}) };
  const out = render({ subject: picked.doc.subject, html: picked.doc.body_html, text: picked.doc.body_text }, vars);
  // A marketing template that forgot its link still gets one: the law wants it in the body.
  const html =
    extras && !picked.doc.body_html.includes('unsubscribe_url') ? `${out.html}\n<p><a href="${escapeHtml(extras.url)}">Unsubscribe</a></p>` : out.html;
  return { subject: out.subject, html, text: out.text, category, templateId: picked.id, ...(extras ? { headers: extras.headers } : {}) };
}

export async function compose(deps: EmailDeps, emailId: string, item: EmailQueueDoc): Promise<Composed> {
  const invalid = await stillValid(deps, item);
  if (invalid) return { kind: 'cancelled', reason: invalid, category: item.category ?? null, lang: item.lang ?? null };
  const lang = await recipientLang(deps, item);
  let c: Content;
  try {
    c = await content(deps, emailId, item, lang);
  } catch (err) {
    // What the item or its template says is wrong: another attempt would fail the same way. (A
    // failed read of Firestore is not caught here: the attempt is retried.)
    if (err instanceof MissingVariablesError || err instanceof TemplateNotFoundError || err instanceof TemplateSyntaxError || err instanceof EmptyEmailError) {
      return { kind: 'failed', reason: err.message, category: null, lang };
    }
    throw err;
  }
  const hit = await suppressedBy(deps.db, deps.db, item.to_email, c.category);
  if (hit) return { kind: 'suppressed', reason: `${item.to_email} is suppressed (${hit.reason})`, category: c.category, lang };
  const email: OutgoingEmail = {
    from: deps.from,
    to: item.to_email,
    replyTo: deps.replyTo || undefined,
    subject: c.subject,
    ...(c.html ? { html: c.html } : {}),
    text: c.text,
    tags: [
      { name: 'queue_id', value: tagValue(emailId) },
      { name: 'category', value: c.category },
    ],
    ...(c.headers ? { headers: c.headers } : {}),
  };
  return { kind: 'send', email, category: c.category, lang, templateId: c.templateId };
}
