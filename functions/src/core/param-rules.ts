/**
 * The rule every parameter's value must keep, checked before any function serves: by the deploy
 * (`npm run params:check`, the functions' predeploy step, over functions/.env and
 * functions/.env.<project>) and again by each instance's cold start (the entry checks the values
 * it was deployed with). A bad value stops both with the param's name and its rule; nothing falls
 * back to a default in silence. Every declared param has a rule (a test holds it), and the
 * readers that bound their values per request (`bounded`) use the same bounds.
 */
import { declaredParams } from 'firebase-functions/params';
import { CHECKOUT_TTL_BOUNDS, EMAIL_MAX_ATTEMPTS_BOUNDS, LEDGER_RETENTION_BOUNDS, RETENTION_DAYS, TRUSTED_PROXY_HOPS_BOUNDS, AI_BOUNDS } from './params.js';

export interface ParamRule {
  /** The rule as an operator reads it in the error. */
  rule: string;
  ok: (value: string) => boolean;
}

const whole = (b: { min: number; max: number; unit?: string }): ParamRule => ({
  rule: `a whole number${b.unit ? ` of ${b.unit}` : ''} from ${b.min} to ${b.max}`,
  ok: (v) => /^-?\d+$/.test(v.trim()) && Number(v) >= b.min && Number(v) <= b.max,
});

function isUrl(v: string, protocols: readonly string[]): URL | undefined {
  try {
    const u = new URL(v);
    return protocols.includes(u.protocol) ? u : undefined;
  } catch {
    return undefined;
  }
}
const url: ParamRule = { rule: 'an http(s) URL', ok: (v) => isUrl(v, ['https:', 'http:']) !== undefined };
const origin: ParamRule = {
  rule: 'an http(s) origin (scheme, host and port only)',
  ok: (v) => {
    const u = isUrl(v, ['https:', 'http:']);
    return u !== undefined && u.origin === v.replace(/\/$/, '');
  },
};
const orEmpty = (r: ParamRule): ParamRule => ({ rule: `empty or ${r.rule}`, ok: (v) => v === '' || r.ok(v) });
const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const address: ParamRule = { rule: 'an e-mail address', ok: (v) => ADDRESS.test(v) };
const jsonObject: ParamRule = {
  rule: 'a JSON object',
  ok: (v) => {
    try {
      const parsed: unknown = JSON.parse(v);
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
    } catch {
      return false;
    }
  },
};
const token: ParamRule = { rule: 'a non-empty value without spaces', ok: (v) => /^\S+$/.test(v) };
const nonEmpty: ParamRule = { rule: 'a non-empty text', ok: (v) => v.trim() !== '' };
const anyText: ParamRule = { rule: 'any text', ok: () => true };
const days = whole(RETENTION_DAYS);

export const PARAM_RULES: Record<string, ParamRule> = {
  FUNCTIONS_REGION: { rule: 'a Cloud Functions region such as us-central1', ok: (v) => /^[a-z]+(-[a-z]+)+\d+$/.test(v) },
  APP_CHECK_ENFORCE: { rule: '"true" or "false"', ok: (v) => v === 'true' || v === 'false' },
  RATE_LIMITS: orEmpty(jsonObject),
  TRUSTED_PROXY_HOPS: whole(TRUSTED_PROXY_HOPS_BOUNDS),
  WEBHOOK_LEDGER_RETENTION_DAYS: whole(LEDGER_RETENTION_BOUNDS),
  CAL_API_BASE: url,
  STRIPE_API_BASE: url,
  AIRWALLEX_API_BASE: url,
  TAX_RATE_PERCENT: {
    rule: 'a percentage from 0 to 100 with at most 6 decimals ("8.25")',
    ok: (v) => /^\d{1,3}(\.\d{1,6})?$/.test(v.trim()) && Number(v) <= 100,
  },
  CHECKOUT_TTL_MINUTES: whole(CHECKOUT_TTL_BOUNDS),
  CHECKOUT_REDIRECT_ORIGINS: {
    rule: 'comma-separated http(s) origins (scheme, host and port only), at least one',
    ok: (v) => v.split(',').every((o) => origin.ok(o.trim())),
  },
  PUBLIC_APP_URL: url,
  BUSINESS_NAME: nonEmpty,
  BUSINESS_ADDRESS: anyText,
  BUSINESS_TAX_ID: anyText,
  BUSINESS_EMAIL: address,
  RESEND_API_BASE: url,
  EMAIL_FROM: {
    rule: 'an e-mail address, or "Name <address>"',
    ok: (v) => ADDRESS.test(v) || /^[^<>]+ <[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>$/.test(v),
  },
  EMAIL_REPLY_TO: orEmpty(address),
  EMAIL_MAX_ATTEMPTS: whole(EMAIL_MAX_ATTEMPTS_BOUNDS),
  EMAIL_LOG_RETENTION_DAYS: days,
  UNSUBSCRIBE_URL: orEmpty(url),
  VAPID_SUBJECT: {
    rule: 'a mailto: address or an https: URL',
    ok: (v) => (v.startsWith('mailto:') ? ADDRESS.test(v.slice(7)) : isUrl(v, ['https:']) !== undefined),
  },
  GEMINI_MODEL: { rule: 'a model name such as gemini-2.5-flash', ok: (v) => /^[a-z0-9][a-z0-9.-]*$/.test(v) },
  GEMINI_API_BASE: url,
  AI_DAILY_QUOTA: whole(AI_BOUNDS.dailyQuota),
  AI_CACHE_TTL_HOURS: whole(AI_BOUNDS.cacheTtlHours),
  AI_TIMEOUT_SECONDS: whole(AI_BOUNDS.timeoutSeconds),
  AI_LOG_RETENTION_DAYS: days,
  BLOG_URL_BASE: url,
  LINKEDIN_CLIENT_ID: token,
  X_CLIENT_ID: token,
  SOCIAL_OAUTH_REDIRECT_URL: url,
  SOCIAL_CONNECT_RETURN_URL: url,
  SOCIAL_API_ORIGINS: orEmpty(jsonObject),
  PASSWORD_RESET_CONTINUE_URL: orEmpty(url),
  ANALYTICS_RETENTION_DAYS: days,
  BACKUP_BUCKET: orEmpty({ rule: 'a Cloud Storage bucket name', ok: (v) => /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/.test(v) }),
  BACKUP_RETENTION_DAYS: days,
  FIRESTORE_ADMIN_API_BASE: orEmpty(url),
};

/** A param's value as the deploy gives it: the environment's, else its default (secrets are not params' business here). */
export function valuesOf(env: Readonly<Record<string, string | undefined>>): Array<{ name: string; value: string | undefined }> {
  return declaredParams.flatMap((p) => {
    if (!('toSpec' in p) || typeof p.toSpec !== 'function') return [];
    const spec = (p.toSpec as () => { type: string; default?: string | number | boolean }).call(p);
    // Secrets live in Secret Manager; the deploy checks that they exist.
    if (spec.type === 'secret') return [];
    return [{ name: p.name, value: env[p.name] ?? (spec.default === undefined ? undefined : String(spec.default)) }];
  });
}

/**
 * "NAME: must be RULE, got VALUE" for every param whose value breaks its rule, or that has no rule.
 * A param with no value and no default is a problem at a cold start; before a deploy it is not
 * (`firebase deploy` asks for it), unless `requireAll`.
 */
export function paramProblems(env: Readonly<Record<string, string | undefined>>, { requireAll = true } = {}): string[] {
  return valuesOf(env).flatMap(({ name, value }) => {
    const r = PARAM_RULES[name];
    if (!r) return [`${name}: has no rule (core/param-rules.ts)`];
    if (value === undefined) return requireAll ? [`${name}: has no value and no default; must be ${r.rule}`] : [];
    return r.ok(value) ? [] : [`${name}: must be ${r.rule}, got ${JSON.stringify(value)}`];
  });
}

/** Throws one error naming every bad param and its rule. */
export function assertParams(env: Readonly<Record<string, string | undefined>>): void {
  const problems = paramProblems(env);
  if (problems.length) throw new Error(`bad parameters:\n  ${problems.join('\n  ')}`);
}
