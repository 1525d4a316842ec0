/**
 * Opening the provider's side of a pending order: a Stripe Checkout Session (its URL) or an
 * Airwallex payment intent (its client secret). Shared by createCheckout and the waitlist
 * promotion, which e-mails the Stripe link.
 */
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { logger } from 'firebase-functions/logger';
import { fromMinorUnits, type OrderDoc } from '@zhengrowth/model';
import { mergeDoc, runTx } from '../core/firestore.js';
import type { PaymentDeps } from '../payments/deps.js';
import { orderItems, orderRef } from '../shared/orders.js';
import { ProviderError } from '../payments/providers.js';
import { applyOrderFacts } from '../payments/state.js';
import { stripeLines } from './pricing.js';

export type PaymentHandle =
  | { provider: 'stripe'; stripe: { session_id: string; url: string | null } }
  | { provider: 'airwallex'; airwallex: { intent_id: string; client_secret: string; amount: string; currency: string } };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What a pending order already holds from its provider (a retried call finds it). */
export function existingPayment(order: OrderDoc): PaymentHandle | null {
  if (!order.payment_id) return null;
  if (order.payment_provider === 'stripe') return { provider: 'stripe', stripe: { session_id: order.payment_id, url: order.checkout_url ?? null } };
  const secret = isRecord(order.metadata) ? order.metadata.airwallex_client_secret : undefined;
  if (order.payment_provider === 'airwallex' && typeof secret === 'string') {
    return {
      provider: 'airwallex',
      airwallex: { intent_id: order.payment_id, client_secret: secret, amount: fromMinorUnits(order.total_minor, order.currency), currency: order.currency },
    };
  }
  return null;
}

function sendableError(err: ProviderError): HttpsError {
  return err.rejected
    ? new HttpsError('failed-precondition', `the payment provider refused the checkout (${err.provider})`)
    : new HttpsError('unavailable', `the payment provider (${err.provider}) is not reachable; please try again`);
}

/**
 * Opens the provider's checkout for a pending order and records it on the order. A provider that
 * refuses or cannot be reached fails the order (its seats and coupon use go back) and the caller
 * gets an HttpsError it may show.
 */
export async function openPayment(
  deps: PaymentDeps,
  db: Firestore,
  orderId: string,
  order: OrderDoc,
  urls: { success_url: string; cancel_url: string },
): Promise<PaymentHandle> {
  const provider = (order.payment_provider ?? 'stripe') as 'stripe' | 'airwallex';
  const ref = orderRef(db, orderId);
  try {
    if (provider === 'stripe') {
      const session = await deps.stripe().createCheckoutSession({
        orderId,
        orderNumber: order.order_number,
        currency: order.currency,
        customerEmail: order.customer_email,
        lines: stripeLines(order.order_number, orderItems(order), {
          subtotal_minor: order.subtotal_minor,
          discount_minor: order.discount_minor ?? 0,
          tax_minor: order.tax_minor ?? 0,
          total_minor: order.total_minor,
        }),
        successUrl: urls.success_url,
        cancelUrl: urls.cancel_url,
        expiresAt: order.expires_at?.toDate() ?? new Date(deps.now().getTime() + 3_600_000),
      });
      await mergeDoc(ref, { payment_id: session.id, checkout_url: session.url, updated_at: Timestamp.fromDate(deps.now()) });
      return { provider, stripe: { session_id: session.id, url: session.url } };
    }
    const intent = await deps.airwallex().createPaymentIntent({
      orderId,
      orderNumber: order.order_number,
      amountMinor: order.total_minor,
      currency: order.currency,
      returnUrl: urls.success_url,
    });
    await mergeDoc(ref, {
      payment_id: intent.id,
      payment_intent_id: intent.id,
      metadata: { ...(isRecord(order.metadata) ? order.metadata : {}), airwallex_client_secret: intent.clientSecret },
      updated_at: Timestamp.fromDate(deps.now()),
    });
    return {
      provider,
      airwallex: {
        intent_id: intent.id,
        client_secret: intent.clientSecret,
        amount: fromMinorUnits(order.total_minor, order.currency),
        currency: order.currency,
      },
    };
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    logger.warn('checkout provider call failed; releasing the order', { order_id: orderId, provider: err.provider, error: err.message });
    await runTx(db, (tx) => applyOrderFacts(tx, db, orderId, [{ kind: 'failed', provider, reason: 'checkout_not_created' }], deps.now()));
    throw sendableError(err);
  }
}
