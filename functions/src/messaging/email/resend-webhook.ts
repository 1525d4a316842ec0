/**
 * Resend's webhook: Svix signs each delivery (svix-id, svix-timestamp, svix-signature over the raw
 * body, 5-minute tolerance), verified with the `svix` library. Each delivery is applied once, by
 * its svix-id, in the same transaction as its effects (the one webhook frame, core/webhook-pipeline.ts).
 *
 * email.delivered, email.delivery_delayed, email.complained and email.bounced move the attempt's
 * log (found by Resend's email id) forward — never back: a late delivery_delayed does not hide a
 * bounce — and keep the event in its metadata. A hard bounce or a complaint puts the address on
 * the suppression list (scope all): the sender skips it from then on.
 */
import { Timestamp, type Transaction } from 'firebase-admin/firestore';
import { z } from 'zod';
import { emailLogs, emailLogsByProviderId, type EmailLogDoc, type JsonValue } from '@zhengrowth/model';
import { txMerge } from '../../core/firestore.js';
import { buildQuery } from '../../core/query.js';
import type { Effect, WebhookDeps, WebhookRequest, WebhookResponse } from '../../core/webhook-delivery.js';
import { jsonBody, runPipeline, type Envelope, type Rejected, type WebhookPipeline } from '../../core/webhook-pipeline.js';
import { normalizeEmail, suppressionRef, writeSuppression } from './suppression.js';

const HANDLED = ['email.delivered', 'email.delivery_delayed', 'email.complained', 'email.bounced'] as const;
type Handled = (typeof HANDLED)[number];

const event = z.looseObject({
  type: z.enum(HANDLED),
  created_at: z.string().optional(),
  data: z.looseObject({
    email_id: z.string().min(1),
    to: z.union([z.array(z.string()), z.string().transform((s) => [s])]).default([]),
    bounce: z.looseObject({ type: z.string().optional(), subType: z.string().optional(), message: z.string().optional() }).optional(),
  }),
});
const anyEvent = z.looseObject({ type: z.string().min(1) });

/** Precedence of what Resend reports about a sent e-mail. */
const RANK: Record<string, number> = { sent: 0, delivery_delayed: 1, delivered: 2, complained: 3, bounced: 4 };
const statusOf = (t: Handled): string => t.slice('email.'.length);

/** A hard bounce ("Permanent") or a complaint: the address must not get mail again. */
function suppressionReason(e: z.infer<typeof event>): 'bounced' | 'complained' | null {
  if (e.type === 'email.complained') return 'complained';
  if (e.type === 'email.bounced' && (e.data.bounce?.type ?? '').toLowerCase() === 'permanent') return 'bounced';
  return null;
}

/** Svix's headers and signature over the raw body (5-minute tolerance), then the body. */
async function verify(req: WebhookRequest, deps: WebhookDeps): Promise<{ body: unknown } | Rejected> {
  // The SDK on first use: loading it is much of this function's cold start.
  const { Webhook, WebhookVerificationError } = await import('svix');
  const headers = { 'svix-id': req.header('svix-id'), 'svix-timestamp': req.header('svix-timestamp'), 'svix-signature': req.header('svix-signature') };
  if (!headers['svix-id'] || !headers['svix-timestamp'] || !headers['svix-signature'])
    return { reject: 'missing svix-id, svix-timestamp or svix-signature header' };
  try {
    new Webhook(deps.secret).verify(req.rawBody.toString('utf8'), headers as Record<string, string>);
  } catch (err) {
    if (err instanceof WebhookVerificationError) {
      return { reject: /too old|too new/i.test(err.message) ? 'signature timestamp outside the 5-minute tolerance' : 'invalid svix-signature' };
    }
    throw err;
  }
  return jsonBody(req.rawBody);
}

/** The attempt Resend accepted, found before the transaction (a query in it would lock a range); then its update and any suppression. */
async function route(e: z.infer<typeof event>, deps: WebhookDeps, head: Envelope): Promise<(tx: Transaction) => Promise<Effect>> {
  const svixId = head.id;
  const logId = (await buildQuery(deps.db, emailLogsByProviderId, [e.data.email_id]).limit(1).get()).docs[0]?.id ?? null;
  const reason = suppressionReason(e);
  const recipients = [...new Set(e.data.to.map(normalizeEmail))];
  return async (tx) => {
    const logRef = logId ? deps.db.doc(emailLogs.docPath({ logId })).withConverter(emailLogs.converter) : null;
    const log = logRef ? (await tx.get(logRef)).data() : undefined;
    const listed = reason ? await tx.getAll(...recipients.map((r) => suppressionRef(deps.db, r, 'all'))) : [];
    const now = deps.now();
    if (logRef && log) txMerge(tx, logRef, logUpdate(log, e, svixId, now));
    listed.forEach((snap, i) => {
      if (!snap.exists && reason) writeSuppression(tx, deps.db, { email: recipients[i] as string, scope: 'all', reason, source: svixId }, now);
    });
    return { outcome: log || reason ? 'applied' : 'ignored', subject: e.data.email_id };
  };
}

/** Each delivery is known by its svix-id. */
export const resendWebhook: WebhookPipeline<z.infer<typeof event>> = {
  provider: 'resend',
  secretName: 'RESEND_WEBHOOK_SECRET',
  verify,
  envelope: (body, req) => {
    const head = anyEvent.safeParse(body);
    return head.success ? { id: req.header('svix-id') as string, type: head.data.type } : null;
  },
  notAnEvent: 'not a Resend event',
  handled: new Set<string>(HANDLED),
  events: event,
  route,
};

export const handleResendWebhook = (req: WebhookRequest, deps: WebhookDeps): Promise<WebhookResponse> => runPipeline(resendWebhook, req, deps);

function logUpdate(log: EmailLogDoc, e: z.infer<typeof event>, svixId: string, now: Date): Partial<EmailLogDoc> {
  const status = statusOf(e.type);
  // A later fact of the same rank (a hard bounce after a soft one) updates too; a lower one never.
  const forward = (RANK[status] ?? 0) >= (RANK[log.status] ?? -1);
  const meta = log.metadata !== null && typeof log.metadata === 'object' && !Array.isArray(log.metadata) ? log.metadata : {};
  const events = Array.isArray(meta.events) ? meta.events : [];
  const fact: JsonValue = {
    type: e.type,
    at: e.created_at ?? null,
    svix_id: svixId,
    ...(e.data.bounce ? { bounce_type: e.data.bounce.type ?? null, bounce_subtype: e.data.bounce.subType ?? null } : {}),
  };
  return {
    ...(forward ? { status } : {}),
    ...(e.type === 'email.bounced' && forward ? { error: `bounced (${e.data.bounce?.type ?? 'unknown'}): ${e.data.bounce?.message ?? ''}`.slice(0, 500) } : {}),
    metadata: { ...meta, events: [...events, fact].slice(-20) },
    updated_at: Timestamp.fromDate(now),
  };
}
