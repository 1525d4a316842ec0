/**
 * Local HTTP servers that stand in for the Stripe and Airwallex APIs: they answer like the real
 * ones (for the calls we make) and record every request, so tests can assert what was sent.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The body exactly as sent. */
  raw: string;
  /** Form fields (Stripe) flattened as the SDK encodes them: "line_items[0][price_data][unit_amount]". */
  form: Record<string, string>;
}

export interface FakeServer {
  origin: string;
  requests: RecordedRequest[];
  /** Make the next calls fail: 'down' answers 503 (not retried), 'refuse' answers 400. */
  failWith: 'down' | 'refuse' | null;
  close(): Promise<void>;
}

async function serve(handle: (req: RecordedRequest, res: http.ServerResponse, server: FakeServer) => void): Promise<FakeServer> {
  const fake: FakeServer = { origin: '', requests: [], failWith: null, close: () => Promise.resolve() };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const form: Record<string, string> = {};
      if ((req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) for (const [k, v] of new URLSearchParams(raw)) form[k] = v;
      const rec: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, form };
      fake.requests.push(rec);
      handle(rec, res, fake);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return fake;
}

function send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
}

/** Stripe: POST /v1/checkout/sessions and /v1/refunds; repeats an answer for a repeated Idempotency-Key. */
export async function fakeStripe(): Promise<FakeServer> {
  const byKey = new Map<string, string>();
  let n = 0;
  return serve((req, res, fake) => {
    if (fake.failWith) {
      const status = fake.failWith === 'down' ? 503 : 400;
      send(res, status, JSON.stringify({ error: { type: fake.failWith === 'down' ? 'api_error' : 'invalid_request_error', message: 'fake failure' } }), {
        'stripe-should-retry': 'false',
      });
      return;
    }
    const key = String(req.headers['idempotency-key'] ?? '');
    const seen = key ? byKey.get(`${req.path}\u0000${key}`) : undefined;
    if (seen) return send(res, 200, seen, { 'idempotent-replayed': 'true' });
    let body: string;
    if (req.method === 'POST' && req.path === '/v1/checkout/sessions') {
      const id = `cs_test_fake${++n}`;
      body = JSON.stringify({
        id,
        object: 'checkout.session',
        url: `https://checkout.stripe.test/c/pay/${id}`,
        client_reference_id: req.form.client_reference_id ?? null,
        metadata: { order_id: req.form['metadata[order_id]'] ?? null },
        payment_status: 'unpaid',
        status: 'open',
        currency: req.form['line_items[0][price_data][currency]'] ?? null,
      });
    } else if (req.method === 'POST' && req.path === '/v1/refunds') {
      body = JSON.stringify({
        id: `re_fake${++n}`,
        object: 'refund',
        amount: Number(req.form.amount),
        status: 'succeeded',
        payment_intent: req.form.payment_intent,
        currency: 'usd',
      });
    } else {
      return send(res, 404, JSON.stringify({ error: { type: 'invalid_request_error', message: `no route ${req.method} ${req.path}` } }));
    }
    if (key) byKey.set(`${req.path}\u0000${key}`, body);
    send(res, 200, body);
  });
}

/** Airwallex: login (x-client-id / x-api-key), payment intent and refund creation with a Bearer token. */
export async function fakeAirwallex(credentials: { clientId: string; apiKey: string }): Promise<FakeServer> {
  let n = 0;
  const token = 'fake-airwallex-token';
  const intentCurrency = new Map<string, string>();
  return serve((req, res, fake) => {
    if (fake.failWith) return send(res, fake.failWith === 'down' ? 503 : 400, JSON.stringify({ code: 'fake_failure' }));
    if (req.path === '/api/v1/authentication/login') {
      if (req.headers['x-client-id'] !== credentials.clientId || req.headers['x-api-key'] !== credentials.apiKey)
        return send(res, 401, '{"code":"unauthorized"}');
      return send(res, 201, JSON.stringify({ token, expires_at: new Date(Date.now() + 30 * 60_000).toISOString() }));
    }
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, '{"code":"unauthorized"}');
    // Echo the amount with its exact digits, as Airwallex does (a JSON number in major units).
    const amount = /"amount":(-?\d+(?:\.\d+)?)/.exec(req.raw)?.[1] ?? 'null';
    const json = JSON.parse(req.raw) as Record<string, unknown>;
    if (req.path === '/api/v1/pa/payment_intents/create') {
      const id = `int_fake${++n}`;
      intentCurrency.set(id, String(json.currency));
      return send(
        res,
        201,
        `{"id":${JSON.stringify(id)},"request_id":${JSON.stringify(json.request_id)},"amount":${amount},"currency":${JSON.stringify(json.currency)},"merchant_order_id":${JSON.stringify(json.merchant_order_id)},"status":"REQUIRES_PAYMENT_METHOD","client_secret":"${id}_secret"}`,
      );
    }
    if (req.path === '/api/v1/pa/refunds/create') {
      return send(
        res,
        201,
        `{"id":"rfd_fake${++n}","request_id":${JSON.stringify(json.request_id)},"payment_intent_id":${JSON.stringify(json.payment_intent_id)},"amount":${amount},"currency":${JSON.stringify(intentCurrency.get(String(json.payment_intent_id)) ?? 'USD')},"status":"RECEIVED"}`,
      );
    }
    send(res, 404, '{"code":"not_found"}');
  });
}
