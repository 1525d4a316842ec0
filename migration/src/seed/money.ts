import { currencyExponent, fromMinorUnits } from '@zhengrowth/model';
import type { Random } from './random.js';

/**
 * Currencies of the demo data, chosen to cover every minor-unit exponent the migration must get
 * right: 2 (most), 0 (JPY, KRW: an amount is a whole number of yen/won) and 3 (KWD: fils).
 * Rates are rough units per US dollar, only so that prices look plausible.
 */
export const DEMO_CURRENCIES = {
  USD: 1,
  EUR: 0.92,
  GBP: 0.79,
  CNY: 7.2,
  TWD: 32,
  HKD: 7.8,
  JPY: 150,
  KRW: 1350,
  KWD: 0.307,
} as const;
export type DemoCurrency = keyof typeof DEMO_CURRENCIES;
export const CURRENCY_CODES = Object.keys(DEMO_CURRENCIES) as DemoCurrency[];

function exponent(currency: DemoCurrency): number {
  const e = currencyExponent(currency);
  if (e === null) throw new Error(`not an ISO 4217 currency: ${currency}`);
  return e;
}

/** Mostly dollars, then the currencies of the platform's markets, the odd ones rarer. */
export function pickCurrency(rng: Random): DemoCurrency {
  return rng.weighted<DemoCurrency>([
    ['USD', 40],
    ['CNY', 14],
    ['TWD', 12],
    ['EUR', 8],
    ['HKD', 7],
    ['GBP', 5],
    ['JPY', 7],
    ['KRW', 3],
    ['KWD', 4],
  ]);
}

/**
 * A price of about `usd` dollars in `currency`, as integer minor units: rounded to what a price
 * list would show (whole yen to the hundred, won to the thousand), while KWD keeps all three
 * decimals so that the third digit is exercised.
 */
export function priceMinor(usd: number, currency: DemoCurrency): number {
  const exp = exponent(currency);
  const raw = usd * DEMO_CURRENCIES[currency] * 10 ** exp;
  if (currency === 'JPY') return Math.max(100, Math.round(raw / 100) * 100);
  if (currency === 'KRW') return Math.max(1000, Math.round(raw / 1000) * 1000);
  if (currency === 'KWD') return Math.max(1, Math.round(raw));
  // Two-decimal prices end in .00, .50 or .99 like real price lists (taxes and totals computed
  // from them end in anything).
  const whole = Math.max(100, Math.floor(raw / 100) * 100);
  return whole + ([0, 50, 99][Math.round(raw) % 3] ?? 0);
}

/** The numeric column's text for minor units of a currency: 4999 USD → "49.99", 5000 JPY → "5000". */
export function amountText(minor: number, currency: DemoCurrency): string {
  return fromMinorUnits(minor, currency);
}

/** A price of about `usd` dollars in `currency`, as the numeric column's text. */
export function price(usd: number, currency: DemoCurrency): string {
  return amountText(priceMinor(usd, currency), currency);
}
