/**
 * Sending one queued e-mail: lease it, compose it, hand it to Resend (Idempotency-Key = the queue
 * item's id), and record the attempt — an email_logs record per attempt and, while the lease is
 * still ours, the item's new state: sent, failed, suppressed, cancelled, or back to pending with
 * the time of its next attempt. A short wait (a 429's retry-after of a second) is spent here and
 * the item leased again; a longer one is left to the every-minute sweep.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions/logger';
import { emailLogs, type EmailLogDoc, type EmailQueueDoc } from '@zhengrowth/model';
import { txMerge, txSet, runTx } from '../../core/firestore.js';
import { expiresAfter } from '../../core/retention.js';
import { holds, leaseOf, RELEASED } from '../../core/lease.js';
import { compose, type Composed } from './compose.js';
import type { EmailDeps } from './deps.js';
import type { SendResult } from './gateway.js';
import { takeLease, type Lease, type LeaseRefusal } from './lease.js';
import { retryDelayMs } from './retry.js';

export type EmailOutcome = 'sent' | 'failed' | 'suppressed' | 'cancelled' | 'retry_later' | LeaseRefusal;

interface AttemptResult {
  /** What the item becomes. */
  status: 'sent' | 'failed' | 'suppressed' | 'cancelled' | 'pending';
  /** What the log says of this attempt. */
  logStatus: 'sent' | 'retry' | 'failed' | 'suppressed' | 'cancelled';
  error: string | null;
  providerId: string | null;
  httpStatus: number | null;
  durationMs: number | null;
  /** pending: when to try again. */
  retryInMs: number | null;
  composed: Composed | null;
}

function outcomeOf(deps: EmailDeps, lease: Lease, res: SendResult, composed: Composed, durationMs: number): AttemptResult {
  const base = { composed, durationMs, httpStatus: res.status };
  if (res.kind === 'sent') return { ...base, status: 'sent', logStatus: 'sent', error: null, providerId: res.providerId, retryInMs: null };
  if (res.kind === 'rejected') return { ...base, status: 'failed', logStatus: 'failed', error: res.message, providerId: null, retryInMs: null };
  if (lease.attempt >= deps.retry.maxAttempts) {
    return {
      ...base,
      status: 'failed',
      logStatus: 'failed',
      error: `gave up after ${lease.attempt} attempts: ${res.message}`,
      providerId: null,
      retryInMs: null,
    };
  }
  const wait = retryDelayMs(deps.retry, lease.attempt, res.retryAfterMs, deps.random);
  return { ...base, status: 'pending', logStatus: 'retry', error: res.message, providerId: null, retryInMs: wait };
}

async function attempt(deps: EmailDeps, lease: Lease): Promise<AttemptResult> {
  const composed = await compose(deps, lease.emailId, lease.item);
  if (composed.kind !== 'send') {
    return {
      status: composed.kind,
      logStatus: composed.kind,
      error: composed.reason,
      providerId: null,
      httpStatus: null,
      durationMs: null,
      retryInMs: null,
      composed,
    };
  }
  const t0 = Date.now();
  const res = await deps.gateway().send(composed.email, lease.emailId);
  const result = outcomeOf(deps, lease, res, composed, Date.now() - t0);
  if (deps.afterSend) await deps.afterSend(lease.emailId);
  return result;
}

/** The attempt's log record and, if the lease is still ours, the item's new state: one transaction. */
async function record(deps: EmailDeps, lease: Lease, r: AttemptResult): Promise<boolean> {
  const now = deps.now();
  const at = Timestamp.fromDate(now);
  const logRef = deps.db.doc(emailLogs.docPath({ logId: `${lease.emailId}~${lease.leaseId}` })).withConverter(emailLogs.converter);
  const c = r.composed;
  const log: EmailLogDoc = {
    queue_id: lease.emailId,
    to_email: lease.item.to_email,
    subject: c?.kind === 'send' ? c.email.subject : lease.item.subject,
    status: r.logStatus,
    provider_id: r.providerId,
    error: r.error,
    metadata: {
      idempotency_key: lease.emailId,
      template_id: c?.kind === 'send' ? c.templateId : null,
      category: c?.category ?? null,
      lang: c?.lang ?? null,
      retry_in_ms: r.retryInMs,
      events: [],
    },
    sent_at: Timestamp.fromDate(lease.startedAt),
    attempt: lease.attempt,
    duration_ms: r.durationMs,
    http_status: r.httpStatus,
    updated_at: null,
    expires_at: expiresAfter(now, deps.logRetentionDays),
  };
  return runTx(deps.db, async (tx) => {
    const cur = (await tx.get(lease.ref)).data();
    txSet(tx, logRef, log);
    if (cur?.status !== 'sending' || !holds(leaseOf(cur), lease.leaseId)) return false;
    const update: Partial<EmailQueueDoc> = {
      status: r.status,
      error: r.error,
      ...RELEASED,
      updated_at: at,
      ...(c?.lang ? { lang: c.lang } : {}),
      ...(c?.category ? { category: c.category } : {}),
    };
    if (r.status === 'sent') Object.assign(update, { sent_at: at, provider_id: r.providerId });
    if (r.status === 'pending') update.scheduled_for = Timestamp.fromMillis(now.getTime() + (r.retryInMs ?? 0));
    txMerge(tx, lease.ref, update);
    return true;
  });
}

/**
 * Sends the item if it is due and free. Retries in place while the next wait is short; returns
 * what became of it (or why it was not taken: not due yet, held by another worker, done).
 */
export async function processEmail(deps: EmailDeps, emailId: string): Promise<EmailOutcome> {
  for (;;) {
    const lease = await takeLease(deps, emailId);
    if (typeof lease === 'string') return lease;
    const r = await attempt(deps, lease);
    const ours = await record(deps, lease, r);
    if (!ours) {
      logger.warn('e-mail attempt finished after its lease was taken over', { emailId, attempt: lease.attempt, status: r.logStatus });
      return 'held';
    }
    // The error's kind only: a provider's message may quote the address.
    if (r.status === 'failed') logger.warn('e-mail failed', { emailId, attempt: lease.attempt, kind: (r.error ?? '').split(':')[0], http: r.httpStatus });
    if (r.status !== 'pending') return r.status;
    if ((r.retryInMs ?? Infinity) > deps.retry.inlineMaxMs) return 'retry_later';
    await deps.sleep(r.retryInMs ?? 0);
  }
}
