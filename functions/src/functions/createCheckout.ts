import { createCheckout as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { createCheckout as handler } from '../checkout/create.js';
import { paymentDeps } from '../payments/wiring.js';
import { AIRWALLEX_API_KEY, AIRWALLEX_CLIENT_ID, paymentConfig, STRIPE_SECRET_KEY } from './config.js';

/** `createCheckout`: price the items, reserve seats and coupon, create the order, open Stripe or Airwallex checkout. */
export const createCheckout = validatedOnCall(
  contract,
  handler,
  { cors: true, secrets: [STRIPE_SECRET_KEY, AIRWALLEX_API_KEY, AIRWALLEX_CLIENT_ID], timeoutSeconds: 60, memory: '256MiB' },
  () => paymentDeps(paymentConfig),
);
