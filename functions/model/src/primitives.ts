import { z } from 'zod';
import type { JsonValue } from './json-encoding.js';

/**
 * A Firestore Timestamp from either SDK (firebase-admin or the web SDK): the model stays free of
 * server-only imports, so it checks the shape rather than the class.
 */
export interface TimestampLike {
  readonly seconds: number;
  readonly nanoseconds: number;
  toDate(): Date;
  toMillis(): number;
}

export function isTimestampLike(v: unknown): v is TimestampLike {
  if (typeof v !== 'object' || v === null) return false;
  const t = v as Partial<TimestampLike>;
  return (
    typeof t.seconds === 'number' &&
    typeof t.nanoseconds === 'number' &&
    Number.isInteger(t.nanoseconds) &&
    t.nanoseconds >= 0 &&
    t.nanoseconds < 1e9 &&
    typeof t.toDate === 'function' &&
    typeof t.toMillis === 'function'
  );
}

/** Time is a Firestore Timestamp (UTC). Metadata `zgType` feeds the generated model document. */
export const timestamp = z.custom<TimestampLike>(isTimestampLike, { message: 'expected a Firestore Timestamp' }).meta({ zgType: 'timestamp' });

/** A calendar date without a time zone (PostgreSQL `date`), as "YYYY-MM-DD". */
export const dateString = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .meta({ zgType: 'date_string' });

/** A Firebase Auth uid (a migrated Supabase user keeps its uuid as uid). */
export const uid = z.string().min(1).max(128).meta({ zgType: 'uid' });

/** A document or row identifier (uuid for rows that came from Supabase). */
export const id = z.string().min(1).max(1500);

/** An integer that JavaScript holds exactly. */
export const int = z.int();

/** Money: integer minor units of the row's currency (cents for USD, yen for JPY). Never a float. */
export const moneyMinor = z.int().meta({ zgType: 'money_minor' });

/** ISO 4217 alphabetic code, upper case. */
export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code such as USD')
  .meta({ zgType: 'currency' });

/**
 * A PostgreSQL `numeric` that is not money (a rate, a percentage, a score): its exact decimal text
 * as PostgreSQL prints it ("12.50", "-0.125", "NaN", "Infinity"), so no digit is lost to a double.
 */
export const decimalString = z
  .string()
  .regex(/^(-?\d+(\.\d+)?|NaN|-?Infinity)$/, 'expected an exact decimal such as "12.50"')
  .meta({ zgType: 'decimal_string' });

/** Deeper than Firestore's 20 levels is no stored JSON (and a cyclic object ends here). */
const MAX_JSON_DEPTH = 64;

/** A string, a finite number, a boolean, null, or an array or plain object of JSON values. */
export function isJsonValue(v: unknown, depth = 0): v is JsonValue {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v);
    case 'object': {
      if (v === null) return true;
      if (depth >= MAX_JSON_DEPTH) return false;
      if (Array.isArray(v)) {
        for (const item of v) if (!isJsonValue(item, depth + 1)) return false;
        return true;
      }
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key of Object.keys(v)) if (!isJsonValue((v as Record<string, unknown>)[key], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

/**
 * Any JSON value (a jsonb column), as Firestore holds it (see docs/firestore-model.md on encoding).
 * Checked by one plain function rather than zod's recursive z.json(): a recursive schema makes zod
 * track cycles through every object of every document that holds one, which was a fifth of the
 * migration's pre-flight; what is accepted is the same.
 */
export const json = z
  .custom<JsonValue>((v) => isJsonValue(v), { message: 'expected a JSON value (string, finite number, boolean, null, array or plain object of them)' })
  .meta({ zgType: 'json' });

/** text[] */
export const stringArray = z.array(z.string());

export const email = z.string().min(3).max(320);

export const APP_ROLES = ['admin', 'coach', 'client'] as const;
/** The Supabase `app_role` enum; also the `roles` custom claim of Firebase Auth users. */
export const appRole = z.enum(APP_ROLES);
export type AppRole = z.infer<typeof appRole>;

/** The languages the app speaks (profiles, e-mail templates, AI answers, i18n). */
export const APP_LANGS = ['en', 'zh-CN', 'zh-TW'] as const;
export const appLang = z.enum(APP_LANGS);
export type AppLang = z.infer<typeof appLang>;

/** A locale hint ("zh-Hant-TW", "zh_cn", "en-GB") as the app language it means; null when none fits. */
export function appLangOf(hint: string | null | undefined): AppLang | null {
  if (!hint) return null;
  const h = hint.trim().replace(/_/g, '-').toLowerCase();
  if (h === 'zh-tw' || h === 'zh-hk' || h === 'zh-mo' || h.startsWith('zh-hant')) return 'zh-TW';
  if (h === 'zh' || h.startsWith('zh-')) return 'zh-CN';
  if (h === 'en' || h.startsWith('en-')) return 'en';
  return null;
}

/** Whether a name is an IANA time zone this runtime knows ("Asia/Taipei"; not "GMT+8" offsets or abbreviations). */
export function isIanaTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name) || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name, checked against the runtime's zone database. */
export const ianaTimeZone = z.string().refine(isIanaTimeZone, { message: 'expected an IANA time zone such as "Asia/Taipei"' });
