import { currencyExponent, MoneyError } from '@zhengrowth/model';

const PERCENT = /^(\d{1,3})(?:\.(\d{1,6}))?$/;

/** "12.5" → { num: 125n, den: 1000n } (percent / 100 as an exact fraction), or a MoneyError. */
function percentFraction(percent: string): { num: bigint; den: bigint } {
  const m = PERCENT.exec(percent.trim());
  if (!m) throw new MoneyError(`not a percentage: ${JSON.stringify(percent)}`);
  const frac = m[2] ?? '';
  const num = BigInt((m[1] ?? '0') + frac);
  const den = 100n * 10n ** BigInt(frac.length);
  if (num > den) throw new MoneyError(`percentage above 100: ${percent}`);
  return { num, den };
}

/**
 * `percent` % of an amount in minor units, rounded half up to a whole minor unit — exact, on
 * integers (12.5 % of 999 cents is 124.875 → 125). Used for percent coupons and for tax.
 */
export function percentOf(amountMinor: number, percent: string): number {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) throw new MoneyError(`not a non-negative amount: ${amountMinor}`);
  const { num, den } = percentFraction(percent);
  const scaled = BigInt(amountMinor) * num;
  return Number((scaled * 2n + den) / (2n * den));
}

export function isValidPercent(percent: string): boolean {
  try {
    percentFraction(percent);
    return true;
  } catch {
    return false;
  }
}

/** The currency's exponent, or a MoneyError for a code this codebase does not know. */
export function exponentOf(currency: string): number {
  const e = currencyExponent(currency);
  if (e === null) throw new MoneyError(`unknown currency ${JSON.stringify(currency)}`);
  return e;
}
