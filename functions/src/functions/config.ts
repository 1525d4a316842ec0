/**
 * Secrets and parameters of the payment and booking functions, declared once. The emulator reads
 * secrets from functions/.secret.local (see .secret.local.example) and parameters from
 * functions/.env*; deployed functions get them from Secret Manager and the deploy's parameters.
 */
import { defineSecret, defineString } from 'firebase-functions/params';
import type { PaymentConfig } from '../payments/wiring.js';

export const STRIPE_SECRET_KEY = defineSecret('STRIPE_SECRET_KEY');
export const STRIPE_WEBHOOK_SECRET = defineSecret('STRIPE_WEBHOOK_SECRET');
export const AIRWALLEX_API_KEY = defineSecret('AIRWALLEX_API_KEY');
export const AIRWALLEX_CLIENT_ID = defineSecret('AIRWALLEX_CLIENT_ID');
export const AIRWALLEX_WEBHOOK_SECRET = defineSecret('AIRWALLEX_WEBHOOK_SECRET');
export const CAL_WEBHOOK_SECRET = defineSecret('CAL_WEBHOOK_SECRET');
/** Signs manage links and check-in QR tokens (guests manage bookings without an account). */
export const GUEST_LINK_SECRET = defineSecret('GUEST_LINK_SECRET');

export const STRIPE_API_BASE = defineString('STRIPE_API_BASE', {
  default: 'https://api.stripe.com',
  description: 'Stripe API origin (a local fake in tests)',
});
export const AIRWALLEX_API_BASE = defineString('AIRWALLEX_API_BASE', {
  default: 'https://api.airwallex.com',
  description: 'Airwallex API origin (https://api-demo.airwallex.com for the sandbox)',
});
export const TAX_RATE_PERCENT = defineString('TAX_RATE_PERCENT', {
  default: '0',
  description: 'Tax added on top of the discounted subtotal, in percent ("8.25"); 0 when prices include tax',
});
export const CHECKOUT_TTL_MINUTES = defineString('CHECKOUT_TTL_MINUTES', {
  default: '60',
  description: 'How long a checkout holds seats and coupon uses (30 to 1440 minutes; Stripe session expiry)',
});

/**
 * No default: a deploy asks for the production origins, so a local origin (or any other) can never
 * be a return address of a real checkout by omission. The emulators read the demo project's
 * value from functions/.env.demo-zhengrowth.
 */
export const CHECKOUT_REDIRECT_ORIGINS = defineString('CHECKOUT_REDIRECT_ORIGINS', {
  description: 'Comma-separated origins of the web app: the only places checkout may send the buyer back to (success_url, cancel_url)',
});

export const PUBLIC_APP_URL = defineString('PUBLIC_APP_URL', {
  default: 'https://zhengrowth.com',
  description:
    'The web app: manage links (/manage?token=…) and the return pages of waitlist checkouts point here; its origin must be in CHECKOUT_REDIRECT_ORIGINS',
});

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
