/**
 * Decoders for PostgreSQL's text output of each column type. The migration reads every value as
 * text (`col::text`), so nothing is rounded on the way (node-postgres would turn timestamptz into a
 * millisecond Date), and decodes it here by the column's catalog type. A value that has no exact
 * Firestore form throws a Rejection with the reason; nothing is guessed.
 */

/** A row cannot be migrated as it is; `reason` says why (it ends up in the report and the rejects file). */
export class Rejection extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'Rejection';
  }
}

export function reject(reason: string): never {
  throw new Rejection(reason);
}

/** Seconds and nanoseconds since the Unix epoch: what a Firestore Timestamp holds. */
export interface Instant {
  seconds: number;
  nanoseconds: number;
}

/** Firestore Timestamps cover 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z. */
export const MIN_SECONDS = -62_135_596_800;
export const MAX_SECONDS = 253_402_300_799;

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
  return d <= days;
}

// DateStyle ISO: "2025-01-02 03:04:05.123456+00", offsets like "+05:30" or "-03:30:15", " BC" for
// years before 1 AD, five-digit years after 9999.
const TIMESTAMPTZ = /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)?( BC)?$/;

const DIGIT0 = 48;

function digits(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - DIGIT0;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * The common case, "YYYY-MM-DD HH:MM:SS[.ffffff]+00" (the session's time zone is UTC), without a
 * regular expression; anything else (another offset, BC, five-digit years…) → undefined.
 */
function fastUtc(text: string): Instant | undefined {
  const n = text.length;
  if (n < 22 || text.charCodeAt(n - 3) !== 43 /* + */ || text.charCodeAt(n - 2) !== 48 || text.charCodeAt(n - 1) !== 48) return undefined;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 32 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58)
    return undefined;
  const y = digits(text, 0, 4);
  const mo = digits(text, 5, 2);
  const d = digits(text, 8, 2);
  const h = digits(text, 11, 2);
  const mi = digits(text, 14, 2);
  const s = digits(text, 17, 2);
  if (y < 1 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return undefined;
  let nanos = 0;
  if (n > 22) {
    // ".f" to ".ffffff"
    const fracLen = n - 23;
    if (text.charCodeAt(19) !== 46 || fracLen < 1 || fracLen > 6) return undefined;
    const f = digits(text, 20, fracLen);
    if (f < 0) return undefined;
    nanos = f * 10 ** (9 - fracLen);
  }
  if (!validDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return undefined;
  return { seconds: daysFromCivil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s, nanoseconds: nanos };
}

/** timestamptz text → Instant with the microseconds kept; out of Firestore's range → Rejection. */
export function parseTimestamptz(text: string, column: string): Instant {
  const fast = fastUtc(text);
  if (fast) return fast;
  if (text === 'infinity' || text === '-infinity') reject(`${column} is '${text}', which no Firestore Timestamp can hold`);
  const m = TIMESTAMPTZ.exec(text);
  if (!m) reject(`${column} is not a timestamp PostgreSQL prints in ISO style: ${JSON.stringify(text)}`);
  if (m[12]) reject(`${column} ${text} is before year 1, outside Firestore's Timestamp range (0001-9999)`);
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (!validDate(y, mo, d) || h > 24 || mi > 59 || s > 60) reject(`${column} is not a valid timestamp: ${text}`);
  const offset = m[8] ? (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0)) : 0;
  const seconds = daysFromCivil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s - offset;
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) reject(`${column} ${text} is outside Firestore's Timestamp range (0001-01-01 to 9999-12-31 UTC)`);
  const micros = (m[7] ?? '').padEnd(6, '0');
  return { seconds, nanoseconds: Number(micros) * 1000 };
}

/** Instant → "2025-01-02T03:04:05.123456Z" (microseconds), for messages and checks. */
export function formatInstant(i: Instant): string {
  const days = Math.floor(i.seconds / 86_400);
  const secs = i.seconds - days * 86_400;
  // civil_from_days
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const mo = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (mo <= 2 ? 1 : 0);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const frac = String(Math.floor(i.nanoseconds / 1000)).padStart(6, '0');
  return `${p(y, 4)}-${p(mo)}-${p(d)}T${p(Math.floor(secs / 3600))}:${p(Math.floor((secs % 3600) / 60))}:${p(secs % 60)}.${frac}Z`;
}

/** date text → "YYYY-MM-DD"; infinity, BC and five-digit years → Rejection. */
export function parseDate(text: string, column: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) reject(`${column} ${JSON.stringify(text)} is not a date between 0001-01-01 and 9999-12-31`);
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  if (y < 1 || !validDate(y, m, d)) reject(`${column} ${text} is not a valid calendar date`);
  return text;
}

export function parseInteger(text: string, column: string): number {
  if (!/^-?\d+$/.test(text)) reject(`${column} is not an integer: ${JSON.stringify(text)}`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) reject(`${column} ${text} is beyond ±2^53, which Firestore's client libraries cannot hold exactly`);
  return n;
}

export function parseBoolean(text: string, column: string): boolean {
  if (text === 'true' || text === 't') return true;
  if (text === 'false' || text === 'f') return false;
  return reject(`${column} is not a boolean: ${JSON.stringify(text)}`);
}

const NUMERIC = /^(-?\d+(\.\d+)?|NaN|-?Infinity)$/;

/** numeric text, kept exactly as PostgreSQL prints it ("12.50", "NaN"). */
export function parseDecimal(text: string, column: string): string {
  if (!NUMERIC.test(text)) reject(`${column} is not a decimal: ${JSON.stringify(text)}`);
  return text;
}

export function parseFloat8(text: string, column: string): number {
  if (text === 'NaN') return Number.NaN;
  if (text === 'Infinity') return Number.POSITIVE_INFINITY;
  if (text === '-Infinity') return Number.NEGATIVE_INFINITY;
  const n = Number(text);
  if (text.trim() === '' || Number.isNaN(n)) reject(`${column} is not a number: ${JSON.stringify(text)}`);
  return n;
}

/**
 * A one-dimensional text[] literal as PostgreSQL prints it: `{a,"b c","with \"quote\""}`.
 * NULL elements, more dimensions and explicit bounds (`[0:1]={…}`) have no lossless Firestore form.
 */
export function parseTextArray(text: string, column: string): string[] {
  if (text.startsWith('[')) reject(`${column} is an array with explicit bounds (${text.slice(0, text.indexOf('=') + 1)}), which a Firestore array cannot keep`);
  if (!text.startsWith('{') || !text.endsWith('}')) reject(`${column} is not an array literal: ${JSON.stringify(text.slice(0, 80))}`);
  const out: string[] = [];
  let i = 1;
  const end = text.length - 1;
  if (i === end) return out;
  for (;;) {
    const c = text[i];
    if (c === '{') reject(`${column} is a multi-dimensional array, which Firestore cannot hold (no array directly in an array)`);
    if (c === '"') {
      let s = '';
      i++;
      for (;;) {
        if (i >= end) reject(`${column} has an unterminated quoted element`);
        const ch = text[i] as string;
        if (ch === '\\') {
          s += text[i + 1] ?? '';
          i += 2;
        } else if (ch === '"') {
          i++;
          break;
        } else {
          s += ch;
          i++;
        }
      }
      out.push(s);
    } else {
      let j = i;
      while (j < end && text[j] !== ',') j++;
      const raw = text.slice(i, j);
      if (/^null$/i.test(raw))
        reject(`${column} has a NULL element (element ${out.length + 1}), which a Firestore array of strings cannot hold apart from "NULL"`);
      if (raw.includes('\\') || raw.includes('"')) reject(`${column} has an element PostgreSQL would have quoted: ${JSON.stringify(raw)}`);
      out.push(raw);
      i = j;
    }
    if (i === end) return out;
    if (text[i] !== ',') reject(`${column} is not a well-formed array literal near position ${i}`);
    i++;
  }
}

/**
 * Decimal digits and exponent of a decimal literal, normalised (no leading or trailing zeros), so
 * that two spellings of one value compare equal. Zero is ['', 0] whatever its sign.
 */
function normalizeDecimal(text: string): [sign: string, digits: string, exponent: number] {
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return ['?', text, 0];
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  let digits = int + frac;
  let exponent = Number(m[4] ?? 0) + int.length; // value = 0.digits × 10^exponent
  const lead = /^0*/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(lead);
  exponent -= lead;
  digits = digits.replace(/0+$/, '');
  if (digits === '') return ['', '', 0];
  return [m[1] ?? '', digits, exponent];
}

/** True when a JSON number literal is held exactly by the double JavaScript parses it into. */
export function jsonNumberIsExact(literal: string): boolean {
  if (/^-?\d{1,15}$/.test(literal)) return true;
  const n = Number(literal);
  if (!Number.isFinite(n)) return false;
  const a = normalizeDecimal(literal);
  const b = normalizeDecimal(String(n));
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
}

const NUMBER_TOKEN = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Checks every number of a jsonb text: one a double cannot hold exactly (integers beyond 2^53,
 * more significant digits than a double keeps, magnitudes beyond its range) is refused, since
 * Firestore would store a different value.
 */
export function checkJsonNumbers(text: string, column: string): void {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i += 2;
        else if (d === 34) break;
        else i++;
      }
      i++;
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      NUMBER_TOKEN.lastIndex = i;
      const m = NUMBER_TOKEN.exec(text);
      if (!m) return reject(`${column} is not valid JSON near position ${i}`);
      const literal = m[0];
      if (!jsonNumberIsExact(literal)) {
        reject(
          `${column} holds the JSON number ${literal.length > 40 ? `${literal.slice(0, 40)}…` : literal}, which a double (Firestore's number) cannot hold exactly`,
        );
      }
      i += literal.length;
    } else i++;
  }
}
