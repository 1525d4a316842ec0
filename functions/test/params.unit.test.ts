/** Configuration has one home (core/params.ts) and one rule for numbers: in bounds, or an error that names the param. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bounded, CHECKOUT_TTL_BOUNDS, EMAIL_MAX_ATTEMPTS_BOUNDS, RETENTION_DAYS, TRUSTED_PROXY_HOPS_BOUNDS } from '../src/core/params.js';

const SRC = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('params', () => {
  it('every param and secret is declared in core/params.ts and nowhere else', () => {
    const elsewhere = sources(SRC)
      .filter((f) => path.relative(SRC, f) !== path.join('core', 'params.ts'))
      .filter((f) => /\bdefine(Secret|JsonSecret|String|Int|Boolean|List)\(/.test(fs.readFileSync(f, 'utf8')));
    expect(elsewhere.map((f) => path.relative(SRC, f))).toEqual([]);
  });

  it('a number outside its bounds fails with the param, the rule and the value; one inside passes', () => {
    expect(bounded('EMAIL_MAX_ATTEMPTS', 7, EMAIL_MAX_ATTEMPTS_BOUNDS)).toBe(7);
    for (const bad of [0, 51, 2.5, Number.NaN])
      expect(() => bounded('EMAIL_MAX_ATTEMPTS', bad, EMAIL_MAX_ATTEMPTS_BOUNDS)).toThrow(/^EMAIL_MAX_ATTEMPTS must be a whole number from 1 to 50, got/);
    expect(() => bounded('CHECKOUT_TTL_MINUTES', 10, CHECKOUT_TTL_BOUNDS)).toThrow(
      'CHECKOUT_TTL_MINUTES must be a whole number of minutes from 30 to 1440, got 10',
    );
    expect(() => bounded('AI_LOG_RETENTION_DAYS', 0, RETENTION_DAYS)).toThrow('AI_LOG_RETENTION_DAYS must be a whole number of days from 1 to 3650, got 0');
    expect(bounded('TRUSTED_PROXY_HOPS', 0, TRUSTED_PROXY_HOPS_BOUNDS)).toBe(0);
    expect(() => bounded('TRUSTED_PROXY_HOPS', 6, TRUSTED_PROXY_HOPS_BOUNDS)).toThrow(/TRUSTED_PROXY_HOPS/);
  });
});
