/**
 * Every parameter and secret of the functions, declared here and nowhere else (docs/configuration.md
 * is generated from them). The emulators read parameters from functions/.env* and secrets from
 * functions/.secret.local; deployed functions get them from the deploy's parameters and Secret
 * Manager. Numbers are `defineInt` and are read through `bounded`, which fails the function's first
 * request with the param's name and its rule: a bad value is never replaced by a default in silence.
 *
 * Declaring a param is cheap (an object); reading one (`.value()`) happens in the domains' deps
 * factories, per request, so a function pays only for what it reads.
 */
import { defineInt, defineSecret, defineString, type IntParam } from 'firebase-functions/params';

/** A whole number within its bounds, or an error that names the param and the rule. */
export function bounded(name: string, value: number, bounds: { min: number; max: number; unit?: string }): number {
  if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    const unit = bounds.unit ? ` ${bounds.unit}` : '';
    throw new Error(`${name} must be a whole number${unit ? ` of${unit}` : ''} from ${bounds.min} to ${bounds.max}, got ${String(value)}`);
  }
  return value;
}

/** Reads an int param through `bounded`. */
export const boundedParam = (param: IntParam, bounds: { min: number; max: number; unit?: string }): number => bounded(param.name, param.value(), bounds);

// ---- every function ------------------------------------------------------------------------------

/** Deploy region of every function (one place; functions do not set their own). */
export const FUNCTIONS_REGION = defineString('FUNCTIONS_REGION', { default: 'us-central1', description: 'Cloud Functions region' });

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
export const TRUSTED_PROXY_HOPS_BOUNDS = { min: 0, max: 5 } as const;

/** How long the ledger (deliveries) keeps a webhook delivery: Stripe retries for up to 3 days. */
export const WEBHOOK_LEDGER_RETENTION_DAYS = defineInt('WEBHOOK_LEDGER_RETENTION_DAYS', {
  default: 30,
  description: 'Days a webhook delivery stays in the exactly-once ledger before Firestore TTL deletes it (7 to 3650: longer than any provider retries)',
});

/** Retention of logs in days: at least a day, at most ten years. */
export const RETENTION_DAYS = { min: 1, max: 3650, unit: 'days' } as const;
/** The ledger keeps a delivery longer than any provider retries it (Stripe: 3 days). */
export const LEDGER_RETENTION_BOUNDS = { ...RETENTION_DAYS, min: 7 } as const;

// ---- payments, checkout and bookings ------------------------------------------------------------

export const STRIPE_SECRET_KEY = defineSecret('STRIPE_SECRET_KEY');
export const STRIPE_WEBHOOK_SECRET = defineSecret('STRIPE_WEBHOOK_SECRET');
export const AIRWALLEX_API_KEY = defineSecret('AIRWALLEX_API_KEY');
export const AIRWALLEX_CLIENT_ID = defineSecret('AIRWALLEX_CLIENT_ID');
export const AIRWALLEX_WEBHOOK_SECRET = defineSecret('AIRWALLEX_WEBHOOK_SECRET');
export const CAL_WEBHOOK_SECRET = defineSecret('CAL_WEBHOOK_SECRET');
/** Cal.com's API key (Settings → Developer → API keys): the event type sync reads with it. */
export const CAL_API_KEY = defineSecret('CAL_API_KEY');
export const CAL_API_BASE = defineString('CAL_API_BASE', {
  default: 'https://api.cal.com',
  description: 'Cal.com API origin, read by the event type sync (a local stand-in in tests)',
});
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
/** A decimal (a percentage such as 8.25), so a string: the checkout parses it exactly, never as a float. */
export const TAX_RATE_PERCENT = defineString('TAX_RATE_PERCENT', {
  default: '0',
  description: 'Tax added on top of the discounted subtotal, in percent ("8.25"); 0 when prices include tax',
});
export const CHECKOUT_TTL_MINUTES = defineInt('CHECKOUT_TTL_MINUTES', {
  default: 60,
  description: 'How long a checkout holds seats and coupon uses (30 to 1440 minutes; Stripe session expiry)',
});
/** Stripe expires a Checkout Session after 30 minutes at the earliest and 24 hours at the latest. */
export const CHECKOUT_TTL_BOUNDS = { min: 30, max: 1440, unit: 'minutes' } as const;

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

// ---- receipts -------------------------------------------------------------------------------------

export const BUSINESS_NAME = defineString('BUSINESS_NAME', { default: 'ZhenGrowth', description: 'The seller on receipts' });
export const BUSINESS_ADDRESS = defineString('BUSINESS_ADDRESS', { default: '', description: 'The postal address on receipts' });
export const BUSINESS_TAX_ID = defineString('BUSINESS_TAX_ID', { default: '', description: 'The tax / VAT id on receipts (empty: not shown)' });
export const BUSINESS_EMAIL = defineString('BUSINESS_EMAIL', { default: 'support@zhengrowth.com', description: 'The contact address on receipts' });

// ---- messaging: e-mail (Resend) and web push -------------------------------------------------------

export const RESEND_API_KEY = defineSecret('RESEND_API_KEY');
export const RESEND_WEBHOOK_SECRET = defineSecret('RESEND_WEBHOOK_SECRET');
export const UNSUBSCRIBE_SECRET = defineSecret('UNSUBSCRIBE_SECRET');
export const VAPID_PUBLIC_KEY = defineSecret('VAPID_PUBLIC_KEY');
export const VAPID_PRIVATE_KEY = defineSecret('VAPID_PRIVATE_KEY');

export const RESEND_API_BASE = defineString('RESEND_API_BASE', {
  default: 'https://api.resend.com',
  description: 'Resend API origin (a local stand-in in tests)',
});
export const EMAIL_FROM = defineString('EMAIL_FROM', {
  default: 'ZhenGrowth <hello@zhengrowth.com>',
  description: 'Sender of every e-mail ("Name <address>" on a domain verified in Resend)',
});
export const EMAIL_REPLY_TO = defineString('EMAIL_REPLY_TO', { default: '', description: 'Reply-To of every e-mail (empty: none)' });
export const EMAIL_MAX_ATTEMPTS = defineInt('EMAIL_MAX_ATTEMPTS', {
  default: 10,
  description: 'Attempts per queued e-mail before it fails (1 to 50; 429 and 5xx are retried with backoff; other 4xx fail at once)',
});
export const EMAIL_MAX_ATTEMPTS_BOUNDS = { min: 1, max: 50 } as const;
export const EMAIL_LOG_RETENTION_DAYS = defineInt('EMAIL_LOG_RETENTION_DAYS', {
  default: 180,
  description: 'Days an e-mail attempt log (email_logs) is kept before Firestore TTL deletes it (1 to 3650)',
});
export const UNSUBSCRIBE_URL = defineString('UNSUBSCRIBE_URL', {
  default: '',
  description: 'Public URL of the unsubscribe function (empty: https://{region}-{project}.cloudfunctions.net/unsubscribe)',
});
export const VAPID_SUBJECT = defineString('VAPID_SUBJECT', {
  default: 'mailto:hello@zhengrowth.com',
  description: 'VAPID contact of the push sender (mailto: or https:)',
});

// ---- AI (Gemini) ------------------------------------------------------------------------------------

export const GEMINI_API_KEY = defineSecret('GEMINI_API_KEY');
export const GEMINI_MODEL = defineString('GEMINI_MODEL', { default: 'gemini-2.5-flash', description: 'Gemini model for suggestions, briefs and drafts' });
export const GEMINI_API_BASE = defineString('GEMINI_API_BASE', {
  default: 'https://generativelanguage.googleapis.com',
  description: 'Gemini API origin (a local stand-in in tests)',
});
export const AI_DAILY_QUOTA = defineInt('AI_DAILY_QUOTA', { default: 30, description: 'Model calls per user per 24 hours (cache hits are free; 1 to 10000)' });
export const AI_CACHE_TTL_HOURS = defineInt('AI_CACHE_TTL_HOURS', { default: 24, description: 'Hours AI suggestions are served from the cache (1 to 720)' });
export const AI_TIMEOUT_SECONDS = defineInt('AI_TIMEOUT_SECONDS', { default: 20, description: 'A model call is abandoned after this many seconds (1 to 300)' });
export const AI_BOUNDS = {
  dailyQuota: { min: 1, max: 10_000, unit: 'calls' },
  cacheTtlHours: { min: 1, max: 720, unit: 'hours' },
  timeoutSeconds: { min: 1, max: 300, unit: 'seconds' },
} as const;
export const AI_LOG_RETENTION_DAYS = defineInt('AI_LOG_RETENTION_DAYS', {
  default: 90,
  description: 'Days a model call log (ai_logs) is kept before Firestore TTL deletes it (1 to 3650)',
});
export const BLOG_URL_BASE = defineString('BLOG_URL_BASE', {
  default: 'https://zhengrowth.com/blog',
  description: 'Public URL of the blog; social drafts link to {base}/{slug}',
});

// ---- social publishing ------------------------------------------------------------------------------

export const LINKEDIN_CLIENT_SECRET = defineSecret('LINKEDIN_CLIENT_SECRET');
export const X_CLIENT_SECRET = defineSecret('X_CLIENT_SECRET');
/** "k2:<base64 32 bytes>,k1:<base64 32 bytes>": the first key seals new tokens, all keys open old ones. */
export const SOCIAL_TOKEN_KEYS = defineSecret('SOCIAL_TOKEN_KEYS');

/** Client ids have no default: a deploy asks for them (functions/.env.demo-zhengrowth holds fake ones for the emulators). */
export const LINKEDIN_CLIENT_ID = defineString('LINKEDIN_CLIENT_ID', { description: 'LinkedIn app client id (LinkedIn Developer Portal → Auth)' });
export const X_CLIENT_ID = defineString('X_CLIENT_ID', { description: 'X app OAuth 2.0 client id (X Developer Portal → Keys and tokens)' });
export const SOCIAL_OAUTH_REDIRECT_URL = defineString('SOCIAL_OAUTH_REDIRECT_URL', {
  description: "socialOAuthCallback's public URL, registered as the OAuth redirect URL with LinkedIn and X",
});
export const SOCIAL_CONNECT_RETURN_URL = defineString('SOCIAL_CONNECT_RETURN_URL', {
  default: 'https://zhengrowth.com/settings/social',
  description: 'The web app page the callback sends the user back to (?social=connected|cancelled|error&platform=…)',
});
export const SOCIAL_API_ORIGINS = defineString('SOCIAL_API_ORIGINS', {
  default: '',
  description: 'JSON overrides of the platforms\' origins, {"x":{"auth":"…","api":"…"}} (local stand-ins in tests); empty: the real ones',
});

// ---- accounts, analytics, backups ----------------------------------------------------------------

export const PASSWORD_RESET_CONTINUE_URL = defineString('PASSWORD_RESET_CONTINUE_URL', {
  default: '',
  description: 'Where the password-reset page sends the user afterwards (the web app’s sign-in page, on an authorized domain); empty: Firebase’s default page',
});

export const ANALYTICS_RETENTION_DAYS = defineInt('ANALYTICS_RETENTION_DAYS', {
  default: 395,
  description: 'Days raw analytics events are kept (the daily job deletes older ones; new events carry expires_at for the TTL policy). 1 to 3650.',
});

export const BACKUP_BUCKET = defineString('BACKUP_BUCKET', {
  default: '',
  description:
    'Cloud Storage bucket of the daily Firestore exports (firestore-exports/{YYYY-MM-DD}/); the service account needs the Cloud Datastore Import Export Admin role and write access to it',
});
export const BACKUP_RETENTION_DAYS = defineInt('BACKUP_RETENTION_DAYS', {
  default: 30,
  description: 'Days of daily exports kept (older export folders are deleted after a successful start). 1 to 3650.',
});
export const FIRESTORE_ADMIN_API_BASE = defineString('FIRESTORE_ADMIN_API_BASE', {
  default: '',
  description: "Firestore Admin API origin (empty: Google's; a local stand-in in tests)",
});
