import { createCheckout as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { createCheckout as handler } from '../checkout/create.js';
import { paymentDeps } from '../payments/wiring.js';
import { paymentConfig, PAYMENT_SECRETS } from './payments-config.js';

/**
 * `createCheckout`: price the items, reserve seats and coupon, create the order, open Stripe or
 * Airwallex checkout. Public (guests check out with customer_email), so rate-limited per IP and user.
 */
export const createCheckout = validatedOnCall(
  contract,
  handler,
  {
    cors: true,
    secrets: PAYMENT_SECRETS,
    timeoutSeconds: 60,
    memory: '256MiB',
    rateLimit: { ip: { max: 30, per_seconds: 600 }, uid: { max: 30, per_seconds: 600 } },
  },
  () => paymentDeps(paymentConfig),
);
