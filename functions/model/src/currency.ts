/**
 * ISO 4217 minor-unit exponents. Money is stored as integer minor units; converting needs the
 * currency's exponent, and an unknown currency is an error, never a guess.
 */
const EXPONENTS: Readonly<Record<string, number>> = {
  // Zero-decimal currencies.
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  // Three-decimal currencies.
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  // Four-decimal.
  CLF: 4,
  UYW: 4,
  // Two-decimal currencies (the rest of the active ISO 4217 list).
  AED: 2,
  AFN: 2,
  ALL: 2,
  AMD: 2,
  ANG: 2,
  AOA: 2,
  ARS: 2,
  AUD: 2,
  AWG: 2,
  AZN: 2,
  BAM: 2,
  BBD: 2,
  BDT: 2,
  BGN: 2,
  BMD: 2,
  BND: 2,
  BOB: 2,
  BRL: 2,
  BSD: 2,
  BTN: 2,
  BWP: 2,
  BYN: 2,
  BZD: 2,
  CAD: 2,
  CDF: 2,
  CHF: 2,
  CNY: 2,
  COP: 2,
  CRC: 2,
  CUP: 2,
  CVE: 2,
  CZK: 2,
  DKK: 2,
  DOP: 2,
  DZD: 2,
  EGP: 2,
  ERN: 2,
  ETB: 2,
  EUR: 2,
  FJD: 2,
  FKP: 2,
  GBP: 2,
  GEL: 2,
  GHS: 2,
  GIP: 2,
  GMD: 2,
  GTQ: 2,
  GYD: 2,
  HKD: 2,
  HNL: 2,
  HTG: 2,
  HUF: 2,
  IDR: 2,
  ILS: 2,
  INR: 2,
  IRR: 2,
  JMD: 2,
  KES: 2,
  KGS: 2,
  KHR: 2,
  KPW: 2,
  KYD: 2,
  KZT: 2,
  LAK: 2,
  LBP: 2,
  LKR: 2,
  LRD: 2,
  LSL: 2,
  MAD: 2,
  MDL: 2,
  MGA: 2,
  MKD: 2,
  MMK: 2,
  MNT: 2,
  MOP: 2,
  MRU: 2,
  MUR: 2,
  MVR: 2,
  MWK: 2,
  MXN: 2,
  MYR: 2,
  MZN: 2,
  NAD: 2,
  NGN: 2,
  NIO: 2,
  NOK: 2,
  NPR: 2,
  NZD: 2,
  PAB: 2,
  PEN: 2,
  PGK: 2,
  PHP: 2,
  PKR: 2,
  PLN: 2,
  QAR: 2,
  RON: 2,
  RSD: 2,
  RUB: 2,
  SAR: 2,
  SBD: 2,
  SCR: 2,
  SDG: 2,
  SEK: 2,
  SGD: 2,
  SHP: 2,
  SLE: 2,
  SOS: 2,
  SRD: 2,
  SSP: 2,
  STN: 2,
  SVC: 2,
  SYP: 2,
  SZL: 2,
  THB: 2,
  TJS: 2,
  TMT: 2,
  TOP: 2,
  TRY: 2,
  TTD: 2,
  TWD: 2,
  TZS: 2,
  UAH: 2,
  USD: 2,
  UYU: 2,
  UZS: 2,
  VES: 2,
  WST: 2,
  XCD: 2,
  YER: 2,
  ZAR: 2,
  ZMW: 2,
  ZWG: 2,
};

export class MoneyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoneyError';
  }
}

/** The currency's minor-unit exponent, or null when the code is not a known ISO 4217 currency. */
export function currencyExponent(code: string): number | null {
  const e = EXPONENTS[code.toUpperCase()];
  return e === undefined ? null : e;
}

export function isKnownCurrency(code: string): boolean {
  return currencyExponent(code) !== null;
}

/**
 * "49.99" USD → 4999; "5000" JPY → 5000. Exact: works on the decimal text, never through a float.
 * Throws MoneyError for an unknown currency, a malformed amount, more decimals than the currency
 * has (trailing zeros excepted) or a result JavaScript cannot hold exactly.
 */
export function toMinorUnits(amount: string | number, currency: string): number {
  const exp = currencyExponent(currency);
  if (exp === null) throw new MoneyError(`unknown currency ${JSON.stringify(currency)}`);
  const text = typeof amount === 'number' ? numberToPlainString(amount) : amount.trim();
  const m = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(text) ?? /^([+-]?)()\.(\d+)$/.exec(text);
  if (!m) throw new MoneyError(`not a decimal amount: ${JSON.stringify(text)}`);
  const sign = m[1] === '-' ? -1n : 1n;
  const whole = m[2] || '0';
  let frac = m[3] ?? '';
  const extra = frac.slice(exp);
  if (/[1-9]/.test(extra)) {
    throw new MoneyError(`${text} ${currency.toUpperCase()} has more than ${exp} decimal place(s): not a whole number of minor units`);
  }
  frac = frac.slice(0, exp).padEnd(exp, '0');
  const minor = sign * BigInt(whole + frac);
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new MoneyError(`${text} ${currency.toUpperCase()} is too large to hold exactly`);
  }
  return Number(minor === 0n ? 0n : minor); // never -0
}

/** 4999 USD → "49.99"; 5000 JPY → "5000". */
export function fromMinorUnits(minor: number, currency: string): string {
  const exp = currencyExponent(currency);
  if (exp === null) throw new MoneyError(`unknown currency ${JSON.stringify(currency)}`);
  if (!Number.isSafeInteger(minor)) throw new MoneyError(`minor units must be a safe integer, got ${minor}`);
  const neg = minor < 0;
  const digits = String(Math.abs(minor)).padStart(exp + 1, '0');
  const text = exp === 0 ? digits : `${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
  return neg ? `-${text}` : text;
}

function numberToPlainString(n: number): string {
  if (!Number.isFinite(n)) throw new MoneyError(`not a finite amount: ${n}`);
  // Shortest round-trip text; reject exponent forms rather than guessing their digits.
  const s = String(n);
  if (/e/i.test(s)) throw new MoneyError(`amount ${s} is not a plain decimal`);
  return s;
}
