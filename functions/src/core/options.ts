import { setGlobalOptions } from 'firebase-functions/v2';
import { defineString } from 'firebase-functions/params';

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
  description: 'JSON overrides of the rate limits per callable (see README, "Rate limits"); empty: the defaults',
});

setGlobalOptions({ region, maxInstances: 20 });
