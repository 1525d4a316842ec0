import { setGlobalOptions } from 'firebase-functions/v2';
import { defineInt, defineString } from 'firebase-functions/params';

/** Deploy region of every function (one place; functions do not set their own). */
export const region = defineString('FUNCTIONS_REGION', { default: 'us-central1', description: 'Cloud Functions region' });

/** Public callables refuse requests without a valid App Check token when "true" (off for the emulators). */
export const APP_CHECK_ENFORCE = defineString('APP_CHECK_ENFORCE', {
  default: 'false',
  description: 'true: public callables require a valid App Check token (set up App Check for the web app first)',
});

/** Overrides of the callables' rate limits by name, as JSON: {"requestPasswordReset":{"ip":{"max":5,"per_seconds":3600}}}. */
export const RATE_LIMITS = defineString('RATE_LIMITS', {
  default: '',
  description: 'JSON overrides of the rate limits per callable (see docs/commerce.md); empty: the defaults',
});

/**
 * Proxies of ours in front of every function: Google's front end, which appends the address it saw
 * to X-Forwarded-For (core/client-ip.ts). 0 in the emulators (functions/.env.demo-zhengrowth).
 */
export const TRUSTED_PROXY_HOPS = defineInt('TRUSTED_PROXY_HOPS', {
  default: 1,
  description:
    "Proxies of ours in front of the functions (1: Google's front end); the caller's address is that many entries from the end of X-Forwarded-For (0 to 5)",
});

export function trustedProxyHops(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 5) throw new Error(`TRUSTED_PROXY_HOPS must be a whole number from 0 to 5, got ${String(value)}`);
  return value;
}

/** How long the webhook ledger (webhook_events) keeps a delivery: Stripe retries for up to 3 days. */
export const WEBHOOK_LEDGER_RETENTION_DAYS = defineInt('WEBHOOK_LEDGER_RETENTION_DAYS', {
  default: 30,
  description: 'Days a webhook delivery stays in the exactly-once ledger before Firestore TTL deletes it (7 to 3650: longer than any provider retries)',
});

setGlobalOptions({ region, maxInstances: 20 });
