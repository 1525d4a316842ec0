import { registerForEvent as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { registerForEvent as handler } from '../registrations/register.js';
import { paymentDeps } from '../payments/wiring.js';
import { paymentConfig, PAYMENT_SECRETS } from './payments-config.js';

/** `registerForEvent`: a seat at a free event, or the waitlist; guests too (public, rate-limited). */
export const registerForEvent = validatedOnCall(
  contract,
  handler,
  { cors: true, secrets: PAYMENT_SECRETS, timeoutSeconds: 60, rateLimit: { ip: { max: 20, per_seconds: 600 }, uid: { max: 20, per_seconds: 600 } } },
  () => paymentDeps(paymentConfig),
);
