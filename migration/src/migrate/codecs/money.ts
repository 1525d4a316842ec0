/** Amounts: decimal text and the row's currency → integer minor units, or a rejection with the reason. */
import { isKnownCurrency, MoneyError, toMinorUnits } from '@zhengrowth/model';
import { reject } from './pgtext.js';

/** An amount in integer minor units of its currency; NULL or unknown currencies, NaN and excess decimals are rejected. */
export function money(amount: string, currency: string | null, col: string, currencyCol: string): number {
  if (currency === null) reject(`${currencyCol} is NULL for the amount ${col} ${amount}: the currency of an amount is never guessed`);
  if (amount === 'NaN' || /Infinity/.test(amount)) reject(`${col} is ${amount}, which is no amount of money`);
  if (!isKnownCurrency(currency)) reject(`${currencyCol} ${JSON.stringify(currency)} is not an ISO 4217 currency, so ${col} ${amount} has no known minor unit`);
  try {
    return toMinorUnits(amount, currency);
  } catch (err) {
    if (err instanceof MoneyError) return reject(`${col}: ${err.message}`);
    throw err;
  }
}
