import type { Random } from './random.js';

/**
 * Time in the demo data is integer microseconds since the Unix epoch: PostgreSQL keeps
 * microseconds, a JS Date only milliseconds, and the migration must not lose the difference.
 * Every instant is measured from the demo's "now", the start (UTC midnight) of the day the data
 * is made for: the demo lives (upcoming events, sessions next week) on whatever day it is
 * generated, and a seed reproduces the same rows for the same day.
 */
export type Micros = number;

export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
export const MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;
export const MICROS_PER_DAY = 24 * MICROS_PER_HOUR;

export interface Timeline {
  /** UTC midnight of the day the data is made for. */
  now: Micros;
  /** The demo's history: two years up to `now`. */
  historyStart: Micros;
}

/** The timeline of the data made on `day` (its UTC date; the time of day does not matter). */
export function timeline(day: Date): Timeline {
  if (Number.isNaN(day.getTime())) throw new RangeError('the demo day is not a valid date');
  const now = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()) * 1000;
  return { now, historyStart: now - 730 * MICROS_PER_DAY };
}

/**
 * A random instant in [from, to). Its sub-millisecond digits are never all zero, so a reader that
 * truncates to milliseconds is caught.
 */
export function randomTime(rng: Random, from: Micros, to: Micros): Micros {
  const t = from + Math.floor(rng.float() * Math.max(1, to - from));
  return t % 1000 === 0 ? t + rng.int(1, 999) : t;
}

/** A moment after `t`: between minSeconds and maxSeconds later, with microseconds. */
export function after(rng: Random, t: Micros, minSeconds: number, maxSeconds: number): Micros {
  return randomTime(rng, t + minSeconds * MICROS_PER_SECOND, t + maxSeconds * MICROS_PER_SECOND);
}

/** timestamptz text: "2025-03-01 12:34:56.123457+00". */
export function timestamptz(t: Micros): string {
  const ms = Math.floor(t / 1000);
  const micros = t - ms * 1000;
  const iso = new Date(ms).toISOString(); // 2025-03-01T12:34:56.123Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}${String(micros).padStart(3, '0')}+00`;
}

/** timestamptz text, or NULL. */
export function timestamptzOrNull(t: Micros | null): string | null {
  return t === null ? null : timestamptz(t);
}

/** date text: "2025-03-01". */
export function dateOnly(t: Micros): string {
  return new Date(Math.floor(t / 1000)).toISOString().slice(0, 10);
}
