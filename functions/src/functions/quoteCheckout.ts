import { quoteCheckout as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { quoteCheckout as handler } from '../checkout/quote.js';
import { paymentDeps } from '../payments/wiring.js';
import { paymentConfig, PAYMENT_SECRETS } from './payments-config.js';

/** `quoteCheckout`: createCheckout's totals for the same input, nothing reserved; public, rate-limited. */
export const quoteCheckout = validatedOnCall(
  contract,
  handler,
  { cors: true, secrets: PAYMENT_SECRETS, timeoutSeconds: 30, rateLimit: { ip: { max: 120, per_seconds: 600 }, uid: { max: 120, per_seconds: 600 } } },
  () => paymentDeps(paymentConfig),
);
