import { refundOrder as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { refundOrder as handler } from '../payments/refund.js';
import { paymentDeps } from '../payments/wiring.js';
import { AIRWALLEX_API_KEY, AIRWALLEX_CLIENT_ID, paymentConfig, STRIPE_SECRET_KEY } from './config.js';

/** `refundOrder` (admins): refund all or part of a paid order through its provider; idempotent. */
export const refundOrder = validatedOnCall(
  contract,
  handler,
  { cors: true, secrets: [STRIPE_SECRET_KEY, AIRWALLEX_API_KEY, AIRWALLEX_CLIENT_ID], timeoutSeconds: 60 },
  () => paymentDeps(paymentConfig),
);
