/** What the payment and booking functions read of the params (core/params.ts), and their options. */
import {
  AIRWALLEX_API_BASE,
  AIRWALLEX_API_KEY,
  AIRWALLEX_CLIENT_ID,
  CHECKOUT_REDIRECT_ORIGINS,
  CHECKOUT_TTL_MINUTES,
  GUEST_LINK_SECRET,
  PUBLIC_APP_URL,
  STRIPE_API_BASE,
  STRIPE_SECRET_KEY,
  TAX_RATE_PERCENT,
} from '../core/params.js';
import type { PaymentConfig } from '../payments/wiring.js';

/** What checkout and refunds read from the above, per request. */
export const paymentConfig: PaymentConfig = {
  stripeSecretKey: () => STRIPE_SECRET_KEY.value(),
  stripeApiBase: () => STRIPE_API_BASE.value(),
  airwallexApiBase: () => AIRWALLEX_API_BASE.value(),
  airwallexClientId: () => AIRWALLEX_CLIENT_ID.value(),
  airwallexApiKey: () => AIRWALLEX_API_KEY.value(),
  taxRatePercent: () => TAX_RATE_PERCENT.value(),
  checkoutTtlMinutes: () => CHECKOUT_TTL_MINUTES.value(),
  redirectOrigins: () => CHECKOUT_REDIRECT_ORIGINS.value(),
  guestLinkSecret: () => GUEST_LINK_SECRET.value(),
  appUrl: () => PUBLIC_APP_URL.value(),
};

/** The secrets every function built on paymentDeps needs at hand. */
export const PAYMENT_SECRETS = [STRIPE_SECRET_KEY, AIRWALLEX_API_KEY, AIRWALLEX_CLIENT_ID, GUEST_LINK_SECRET];

/** Limits of the webhook endpoints: public (the providers call them), short, small. */
export const WEBHOOK_OPTIONS = { invoker: 'public', timeoutSeconds: 60, memory: '256MiB' } as const;
