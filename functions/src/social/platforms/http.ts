/**
 * The platforms' HTTP calls (neither LinkedIn nor X has a maintained official Node SDK for these
 * endpoints): fetch with a timeout, JSON in and out, and failures sorted by what the caller must do.
 */
export type FailureKind =
  /** 401: the token is no good; the account needs reconnecting (or a refresh). */
  | 'auth'
  /** 429 / 503: refused, nothing happened; retry later. */
  | 'retry'
  /** No answer or a 500/502/504: the request may or may not have taken effect. */
  | 'uncertain'
  /** X refused a post as a duplicate of a recent one (an earlier attempt may have made it). */
  | 'duplicate'
  /** Any other refusal: retrying will not help. */
  | 'refused';

export class PlatformError extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly status: number | null,
    /** A short code for records and logs (`http_400`, `timeout`), never a token or the platform's free text. */
    readonly code: string,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(`platform call failed: ${kind} (${code})`);
    this.name = 'PlatformError';
  }
}

export interface HttpCall {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  /** JSON (an object) or a form (URLSearchParams). */
  body?: object | URLSearchParams;
  timeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  json: unknown;
}

function retryAfter(headers: Headers, now: number): number | null {
  const ra = headers.get('retry-after');
  if (ra && /^\d+$/.test(ra)) return Number(ra);
  const reset = headers.get('x-rate-limit-reset'); // X: epoch seconds
  if (reset && /^\d+$/.test(reset)) return Math.max(1, Number(reset) - Math.floor(now / 1000));
  return null;
}

function failureOf(status: number, headers: Headers, json: unknown): PlatformError {
  if (status === 401) return new PlatformError('auth', status, 'http_401');
  if (status === 429 || status === 503) return new PlatformError('retry', status, `http_${status}`, retryAfter(headers, Date.now()));
  if (status >= 500) return new PlatformError('uncertain', status, `http_${status}`);
  const detail = typeof json === 'object' && json !== null ? JSON.stringify(json) : '';
  if (status === 403 && /duplicate content/i.test(detail)) return new PlatformError('duplicate', status, 'duplicate');
  const oauthError =
    typeof json === 'object' && json !== null && typeof (json as { error?: unknown }).error === 'string' ? (json as { error: string }).error : null;
  return new PlatformError('refused', status, oauthError && /^[a-z_]{1,40}$/.test(oauthError) ? `http_${status}_${oauthError}` : `http_${status}`);
}

export async function callPlatform(call: HttpCall): Promise<HttpAnswer> {
  const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
  let body: string | undefined;
  if (call.body instanceof URLSearchParams) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = call.body.toString();
  } else if (call.body) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(call.body);
  }
  let res: Response;
  let text: string;
  try {
    res = await fetch(call.url, { method: call.method, headers, body, signal: AbortSignal.timeout(call.timeoutMs) });
    text = await res.text();
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    throw new PlatformError('uncertain', null, name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network');
  }
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) throw failureOf(res.status, res.headers, json);
  return { status: res.status, headers: res.headers, json };
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
