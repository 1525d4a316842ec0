import { webhookOnRequest } from '../core/webhook.js';
import { handleStripeWebhook } from '../webhooks/stripe.js';
import { STRIPE_WEBHOOK_SECRET } from '../core/params.js';
import { WEBHOOK_OPTIONS } from './payments-config.js';

/** `stripeWebhook`: Stripe events (Stripe-Signature over the raw body), applied to orders exactly once. */
export const stripeWebhook = webhookOnRequest('stripeWebhook', { ...WEBHOOK_OPTIONS, secrets: [STRIPE_WEBHOOK_SECRET] }, handleStripeWebhook, () =>
  STRIPE_WEBHOOK_SECRET.value(),
);
