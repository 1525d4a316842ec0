/**
 * The way out to Resend, through its official SDK. The queue item's id is the Idempotency-Key:
 * a retry of an e-mail Resend already accepted (a worker that crashed before it recorded the
 * answer) gets the first answer back and sends nothing twice. The answer is classified here, so
 * the sender decides on kinds, not on HTTP details.
 */
import type { Resend } from 'resend';

export interface OutgoingEmail {
  from: string;
  to: string;
  replyTo?: string | undefined;
  subject: string;
  html?: string;
  text: string;
  headers?: Record<string, string>;
  tags?: Array<{ name: string; value: string }>;
}

export type SendResult =
  | { kind: 'sent'; providerId: string; status: number }
  /** Worth another attempt: 429 (retryAfterMs from retry-after), 5xx, no answer, or a concurrent request with the same key. */
  | { kind: 'retry'; status: number | null; message: string; retryAfterMs: number | null }
  /** The provider refused the e-mail itself (4xx): another attempt would be refused too. */
  | { kind: 'rejected'; status: number; message: string };

export interface EmailGateway {
  send(email: OutgoingEmail, idempotencyKey: string): Promise<SendResult>;
}

/** retry-after in seconds or as an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, now: number): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

interface ResendError {
  message?: string;
  name?: string;
  statusCode?: number | null;
}

export function classify(error: ResendError, headers: Record<string, string> | null, now: number): SendResult {
  const status = typeof error.statusCode === 'number' ? error.statusCode : null;
  const message = `${error.name ?? 'error'}: ${error.message ?? 'no message'}`.slice(0, 1000);
  if (status === null || status === 429 || status >= 500) {
    return { kind: 'retry', status, message, retryAfterMs: status === 429 ? retryAfterMs(headers?.['retry-after'], now) : null };
  }
  // Resend answers 409 while another request with the same key is in flight: wait for it.
  if (status === 409 && error.name === 'concurrent_idempotent_requests') return { kind: 'retry', status, message, retryAfterMs: null };
  return { kind: 'rejected', status, message };
}

export interface ResendConfig {
  apiKey: string;
  /** API origin: https://api.resend.com, or a local stand-in in tests (RESEND_API_BASE). */
  apiBase: string;
  /** Abort a call that takes longer (the retry reuses the idempotency key). */
  timeoutMs?: number;
}

export function resendGateway(config: ResendConfig): EmailGateway {
  if (!config.apiKey) throw new Error('RESEND_API_KEY is not configured');
  // The SDK on first use: only a send needs it.
  let sdk: Promise<Resend> | undefined;
  const resend = (): Promise<Resend> =>
    (sdk ??= import('resend').then(({ Resend: Sdk }) => new Sdk(config.apiKey, { baseUrl: config.apiBase.replace(/\/+$/, '') })));
  const timeoutMs = config.timeoutMs ?? 15_000;
  return {
    async send(email, idempotencyKey) {
      const client = await resend();
      const res = await client.emails.send(
        {
          from: email.from,
          to: [email.to],
          subject: email.subject,
          text: email.text,
          ...(email.html ? { html: email.html } : {}),
          ...(email.replyTo ? { replyTo: email.replyTo } : {}),
          ...(email.headers ? { headers: email.headers } : {}),
          ...(email.tags ? { tags: email.tags } : {}),
        },
        { idempotencyKey, signal: AbortSignal.timeout(timeoutMs) },
      );
      if (res.error) return classify(res.error, res.headers, Date.now());
      return { kind: 'sent', providerId: res.data.id, status: 200 };
    },
  };
}
