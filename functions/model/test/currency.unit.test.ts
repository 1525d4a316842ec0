import { MoneyError, currencyExponent, fromMinorUnits, toMinorUnits } from '@zhengrowth/model';
import { describe, expect, it } from 'vitest';

describe('money in minor units', () => {
  it.each([
    ['49.99', 'USD', 4999],
    ['49.9', 'usd', 4990],
    ['49', 'USD', 4900],
    ['0.10', 'EUR', 10],
    ['.5', 'GBP', 50],
    ['-12.34', 'USD', -1234],
    ['5000', 'JPY', 5000],
    ['5000.00', 'JPY', 5000],
    ['1.234', 'KWD', 1234],
    ['1.2340', 'KWD', 1234],
    ['0.00', 'USD', 0],
    ['-0.00', 'USD', 0],
    ['90071992547409.91', 'USD', 9007199254740991],
  ])('%s %s → %i', (amount, currency, minor) => {
    expect(toMinorUnits(amount, currency)).toBe(minor);
    expect(Object.is(toMinorUnits(amount, currency), -0)).toBe(false);
  });

  it.each([
    ['49.999', 'USD', /more than 2 decimal/],
    ['5000.5', 'JPY', /more than 0 decimal/],
    ['12', 'XXX', /unknown currency/],
    ['12', '', /unknown currency/],
    ['1e3', 'USD', /not a decimal/],
    ['NaN', 'USD', /not a decimal/],
    ['12,50', 'EUR', /not a decimal/],
    ['90071992547409.92', 'USD', /too large/],
  ])('%s %s is refused', (amount, currency, msg) => {
    expect(() => toMinorUnits(amount, currency)).toThrow(MoneyError);
    expect(() => toMinorUnits(amount, currency)).toThrow(msg);
  });

  it('never goes through a float', () => {
    // 0.1 + 0.2 style errors: 1.15 * 100 = 114.99999999999999 in binary floating point.
    expect(toMinorUnits('1.15', 'USD')).toBe(115);
    expect(toMinorUnits('4.35', 'USD')).toBe(435);
    expect(toMinorUnits(1.15, 'USD')).toBe(115);
  });

  it('formats minor units back to decimal text', () => {
    expect(fromMinorUnits(4999, 'USD')).toBe('49.99');
    expect(fromMinorUnits(5, 'USD')).toBe('0.05');
    expect(fromMinorUnits(-5, 'USD')).toBe('-0.05');
    expect(fromMinorUnits(5000, 'JPY')).toBe('5000');
    expect(fromMinorUnits(1234, 'KWD')).toBe('1.234');
    expect(() => fromMinorUnits(1.5, 'USD')).toThrow(MoneyError);
  });

  it('knows the exponents of zero- and three-decimal currencies', () => {
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('krw')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('ABC')).toBeNull();
  });
});
