/**
 * A local stand-in of Resend's API (POST /emails), for tests and the e-mail benchmark. Like Resend
 * it remembers Idempotency-Keys: a repeated key with the same request answers the first e-mail's
 * id and delivers nothing more; with a different request it answers 409. It records every request
 * and every delivery, and answers what a test asks for: scripted answers per recipient (429 with a
 * retry-after, 500, 422…) or random 429s and 500s at given rates (the benchmark).
 */
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ResendRequest {
  at: number;
  idempotencyKey: string | null;
  authorization: string | null;
  body: ResendEmailBody;
  status: number;
}

export interface ResendEmailBody {
  from: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  reply_to?: string | string[];
  headers?: Record<string, string>;
  tags?: Array<{ name: string; value: string }>;
}

export interface Delivery {
  id: string;
  at: number;
  idempotencyKey: string | null;
  body: ResendEmailBody;
}

export interface Answer {
  status: number;
  /** retry-after header, in seconds. */
  retryAfter?: number;
  name?: string;
  message?: string;
}

export interface ResendStandIn {
  origin: string;
  requests: ResendRequest[];
  deliveries: Delivery[];
  /** Answers to give, in order, to the next requests for a recipient (before anything is accepted). */
  script(to: string, ...answers: Answer[]): void;
  /** Random failures for every request not scripted (the benchmark: 10 % 429, 5 % 500). */
  randomFailures: { p429: number; p500: number; retryAfterSeconds: number; random: () => number } | null;
  /** Requests answered with a replayed id (same Idempotency-Key, same request). */
  replays: number;
  deliveriesTo(to: string): Delivery[];
  close(): Promise<void>;
}

const NAMES: Record<number, string> = {
  400: 'validation_error',
  422: 'validation_error',
  429: 'rate_limit_exceeded',
  500: 'internal_server_error',
  503: 'application_error',
};

export async function startResendStandIn(): Promise<ResendStandIn> {
  const scripts = new Map<string, Answer[]>();
  const keys = new Map<string, { hash: string; id: string }>();
  const standIn: ResendStandIn = {
    origin: '',
    requests: [],
    deliveries: [],
    script: (to, ...answers) => scripts.set(to.toLowerCase(), [...(scripts.get(to.toLowerCase()) ?? []), ...answers]),
    randomFailures: null,
    replays: 0,
    deliveriesTo: (to) => standIn.deliveries.filter((d) => d.body.to.map((t) => t.toLowerCase()).includes(to.toLowerCase())),
    close: () => Promise.resolve(),
  };
  const answer = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const fail = (res: http.ServerResponse, a: Answer): void =>
    answer(
      res,
      a.status,
      { statusCode: a.status, name: a.name ?? NAMES[a.status] ?? 'application_error', message: a.message ?? `stand-in answered ${a.status}` },
      a.retryAfter !== undefined ? { 'retry-after': String(a.retryAfter) } : {},
    );
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      if (req.method !== 'POST' || req.url !== '/emails') return answer(res, 404, { statusCode: 404, name: 'not_found', message: 'not found' });
      let body: ResendEmailBody;
      try {
        body = JSON.parse(raw) as ResendEmailBody;
      } catch {
        return answer(res, 422, { statusCode: 422, name: 'validation_error', message: 'invalid JSON' });
      }
      const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
      const rec: ResendRequest = { at: Date.now(), idempotencyKey: key, authorization: req.headers.authorization ?? null, body, status: 0 };
      standIn.requests.push(rec);
      const to = (body.to ?? [])[0]?.toLowerCase() ?? '';
      const scripted = scripts.get(to);
      const forced = scripted?.shift();
      const rf = standIn.randomFailures;
      const roll = rf ? rf.random() : 1;
      const planned: Answer | undefined =
        forced ?? (rf && roll < rf.p429 ? { status: 429, retryAfter: rf.retryAfterSeconds } : rf && roll < rf.p429 + rf.p500 ? { status: 500 } : undefined);
      if (planned && planned.status >= 400) {
        rec.status = planned.status;
        return fail(res, planned);
      }
      const hash = createHash('sha256').update(raw).digest('hex');
      const seen = key ? keys.get(key) : undefined;
      if (seen) {
        if (seen.hash !== hash) {
          rec.status = 409;
          return answer(res, 409, { statusCode: 409, name: 'invalid_idempotent_request', message: 'same idempotency key, different request' });
        }
        standIn.replays += 1;
        rec.status = 200;
        return answer(res, 200, { id: seen.id });
      }
      const id = randomUUID();
      if (key) keys.set(key, { hash, id });
      standIn.deliveries.push({ id, at: Date.now(), idempotencyKey: key, body });
      rec.status = 200;
      answer(res, 200, { id });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  standIn.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return standIn;
}
