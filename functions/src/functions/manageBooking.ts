import { manageBooking as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { manageBooking as handler } from '../registrations/manage.js';
import { paymentDeps } from '../payments/wiring.js';
import { paymentConfig, PAYMENT_SECRETS } from './payments-config.js';

/** `manageBooking`: the signed manage link of a confirmation e-mail: view, or cancel a free registration (public, rate-limited). */
export const manageBooking = validatedOnCall(
  contract,
  handler,
  { cors: true, secrets: PAYMENT_SECRETS, timeoutSeconds: 60, rateLimit: { ip: { max: 30, per_seconds: 600 } } },
  () => paymentDeps(paymentConfig),
);
