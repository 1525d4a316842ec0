/**
 * The two payment providers as checkout and refunds need them. Stripe goes through the official
 * SDK (pointed at STRIPE_API_BASE, a local fake in tests); Airwallex through fetch to
 * AIRWALLEX_API_BASE. Amounts come in as integer minor units; Airwallex gets major-unit decimals.
 */
import type Stripe from 'stripe';
import { z } from 'zod';
import { fromMinorUnits, toMinorUnits } from '@zhengrowth/model';
import { parseJsonNumbersAsText, RawDecimal, stringifyWithDecimals } from './json-exact.js';

export class ProviderError extends Error {
  constructor(
    readonly provider: 'stripe' | 'airwallex',
    message: string,
    /** The provider refused the request itself (4xx), as opposed to being unreachable or failing. */
    readonly rejected = false,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

export interface CheckoutLine {
  name: string;
  unitAmountMinor: number;
  quantity: number;
}

export interface StripeCheckoutRequest {
  orderId: string;
  orderNumber: string;
  currency: string;
  customerEmail: string;
  lines: CheckoutLine[];
  successUrl: string;
  cancelUrl: string;
  expiresAt: Date;
}

export interface RefundResult {
  id: string;
  status: string;
  amountMinor: number;
}

export interface StripeGateway {
  createCheckoutSession(req: StripeCheckoutRequest): Promise<{ id: string; url: string | null }>;
  refund(req: { orderId: string; paymentIntentId: string; amountMinor: number; currency: string; idempotencyKey: string }): Promise<RefundResult>;
}

export interface AirwallexGateway {
  createPaymentIntent(req: {
    orderId: string;
    orderNumber: string;
    amountMinor: number;
    currency: string;
    returnUrl: string;
  }): Promise<{ id: string; clientSecret: string; amount: string }>;
  refund(req: { orderId: string; paymentIntentId: string; amountMinor: number; currency: string; requestId: string }): Promise<RefundResult>;
}

/** "https://api.stripe.com" → the SDK's host/port/protocol options. */
function stripeEndpoint(apiBase: string): { host: string; port: number; protocol: 'http' | 'https' } {
  const u = new URL(apiBase);
  const protocol = u.protocol === 'http:' ? 'http' : 'https';
  return { host: u.hostname, port: u.port ? Number(u.port) : protocol === 'https' ? 443 : 80, protocol };
}

export function stripeGateway(config: { secretKey: string; apiBase: string }): StripeGateway {
  if (!config.secretKey) throw new ProviderError('stripe', 'STRIPE_SECRET_KEY is not set');
  // The SDK on first use: most functions that import this module never call Stripe in a request.
  let client: Promise<Stripe> | undefined;
  const stripe = (): Promise<Stripe> =>
    (client ??= import('stripe').then(
      ({ default: StripeSdk }) =>
        new StripeSdk(config.secretKey, { ...stripeEndpoint(config.apiBase), maxNetworkRetries: 2, timeout: 20_000, telemetry: false }),
    ));
  const wrap = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      const e = err as { type?: string; statusCode?: number; message?: string };
      const rejected = e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500 && e.statusCode !== 429;
      throw new ProviderError('stripe', `${what}: ${e.type ?? 'error'} ${e.statusCode ?? ''}`.trim(), rejected);
    }
  };
  return {
    createCheckoutSession: (req) =>
      wrap('checkout session', async () => {
        const session = await (
          await stripe()
        ).checkout.sessions.create(
          {
            mode: 'payment',
            client_reference_id: req.orderId,
            customer_email: req.customerEmail,
            line_items: req.lines.map((l) => ({
              quantity: l.quantity,
              price_data: { currency: req.currency.toLowerCase(), unit_amount: l.unitAmountMinor, product_data: { name: l.name } },
            })),
            metadata: { order_id: req.orderId, order_number: req.orderNumber },
            // So that PaymentIntent and Charge events (failures, refunds) name the order too.
            payment_intent_data: { metadata: { order_id: req.orderId, order_number: req.orderNumber } },
            success_url: req.successUrl,
            cancel_url: req.cancelUrl,
            expires_at: Math.floor(req.expiresAt.getTime() / 1000),
          },
          { idempotencyKey: req.orderId },
        );
        return { id: session.id, url: session.url ?? null };
      }),
    refund: (req) =>
      wrap('refund', async () => {
        const refund = await (
          await stripe()
        ).refunds.create(
          { payment_intent: req.paymentIntentId, amount: req.amountMinor, metadata: { order_id: req.orderId } },
          { idempotencyKey: req.idempotencyKey },
        );
        return { id: refund.id, status: refund.status ?? 'pending', amountMinor: refund.amount };
      }),
  };
}

const airwallexToken = z.object({ token: z.string().min(1), expires_at: z.string().optional() });
const airwallexIntent = z.object({ id: z.string().min(1), client_secret: z.string().min(1) });
const airwallexRefund = z.object({ id: z.string().min(1), status: z.string(), amount: z.string(), currency: z.string() });

/** Bearer tokens by API base and client id, reused until shortly before they expire. */
export type AirwallexTokenCache = Map<string, { token: string; until: number }>;

/** The process's cache: a warm function instance logs in once, not per request. */
const processTokenCache: AirwallexTokenCache = new Map();

export function airwallexGateway(config: {
  apiBase: string;
  clientId: string;
  apiKey: string;
  now?: () => Date;
  /** Tests pass their own, so that what a login sends can be seen whatever ran before. */
  tokenCache?: AirwallexTokenCache;
}): AirwallexGateway {
  const tokenCache = config.tokenCache ?? processTokenCache;
  if (!config.clientId || !config.apiKey) throw new ProviderError('airwallex', 'AIRWALLEX_CLIENT_ID / AIRWALLEX_API_KEY are not set');
  const base = config.apiBase.replace(/\/+$/, '');
  const now = config.now ?? (() => new Date());
  const cacheKey = `${base}\u0000${config.clientId}`;

  const send = async (path: string, headers: Record<string, string>, body: string): Promise<{ status: number; json: unknown }> => {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal: AbortSignal.timeout(20_000),
      });
    } catch (err) {
      throw new ProviderError('airwallex', `${path}: ${(err as Error).name}`);
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? parseJsonNumbersAsText(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, json };
  };

  const token = async (fresh: boolean): Promise<string> => {
    const cached = tokenCache.get(cacheKey);
    if (!fresh && cached && cached.until > now().getTime()) return cached.token;
    const res = await send('/api/v1/authentication/login', { 'x-client-id': config.clientId, 'x-api-key': config.apiKey }, '{}');
    const parsed = airwallexToken.safeParse(res.json);
    if (res.status >= 300 || !parsed.success) throw new ProviderError('airwallex', `login: HTTP ${res.status}`, res.status >= 400 && res.status < 500);
    const expires = parsed.data.expires_at ? Date.parse(parsed.data.expires_at) : NaN;
    const until = Number.isFinite(expires) ? expires - 60_000 : now().getTime() + 10 * 60_000;
    tokenCache.set(cacheKey, { token: parsed.data.token, until });
    return parsed.data.token;
  };

  const authed = async (path: string, payload: unknown): Promise<unknown> => {
    const body = stringifyWithDecimals(payload);
    let res = await send(path, { authorization: `Bearer ${await token(false)}` }, body);
    if (res.status === 401) res = await send(path, { authorization: `Bearer ${await token(true)}` }, body);
    if (res.status >= 300) throw new ProviderError('airwallex', `${path}: HTTP ${res.status}`, res.status >= 400 && res.status < 500 && res.status !== 429);
    return res.json;
  };

  return {
    async createPaymentIntent(req) {
      const amount = fromMinorUnits(req.amountMinor, req.currency);
      const json = await authed('/api/v1/pa/payment_intents/create', {
        request_id: req.orderId,
        amount: new RawDecimal(amount),
        currency: req.currency,
        merchant_order_id: req.orderId,
        metadata: { order_id: req.orderId, order_number: req.orderNumber },
        return_url: req.returnUrl,
      });
      const parsed = airwallexIntent.safeParse(json);
      if (!parsed.success) throw new ProviderError('airwallex', 'payment intent: unexpected response');
      return { id: parsed.data.id, clientSecret: parsed.data.client_secret, amount };
    },
    async refund(req) {
      const json = await authed('/api/v1/pa/refunds/create', {
        request_id: req.requestId,
        payment_intent_id: req.paymentIntentId,
        amount: new RawDecimal(fromMinorUnits(req.amountMinor, req.currency)),
        reason: 'requested by an administrator',
        metadata: { order_id: req.orderId },
      });
      const parsed = airwallexRefund.safeParse(json);
      if (!parsed.success) throw new ProviderError('airwallex', 'refund: unexpected response');
      return { id: parsed.data.id, status: parsed.data.status.toLowerCase(), amountMinor: toMinorUnits(parsed.data.amount, parsed.data.currency) };
    },
  };
}
