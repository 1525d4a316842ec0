/**
 * Configuration has one home (core/params.ts), one rule per param (core/param-rules.ts), checked
 * before a deploy (params:check) and at each cold start, and one rule for numbers read per request:
 * in bounds, or an error that names the param.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { declaredParams } from 'firebase-functions/params';
import { assertParams, PARAM_RULES, paramProblems } from '../src/core/param-rules.js';
import { bounded, CHECKOUT_TTL_BOUNDS, EMAIL_MAX_ATTEMPTS_BOUNDS, RETENTION_DAYS, TRUSTED_PROXY_HOPS_BOUNDS } from '../src/core/params.js';

const FUNCTIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(FUNCTIONS, 'src');
/** What the emulators run with: the demo project's values of the params that have no default. */
const DEMO = parseEnv(fs.readFileSync(path.join(FUNCTIONS, '.env.demo-zhengrowth'), 'utf8'));

/** Runs the deploy's check (npm run params:check) over a folder holding `files`. */
function paramsCheck(files: Record<string, string>, project = 'zg-prod'): { status: number | null; out: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zg-params-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const res = spawnSync(process.execPath, ['--conditions=zg-source', '--import', 'tsx', path.join(SRC, 'params-check.ts')], {
    cwd: FUNCTIONS,
    env: { PATH: process.env.PATH, RESOURCE_DIR: dir, PROJECT_DIR: dir, GCLOUD_PROJECT: project },
    encoding: 'utf8',
  });
  return { status: res.status, out: res.stdout + res.stderr };
}

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

  it('every param has a rule, and every default and the demo project keep them', () => {
    const names = declaredParams.map((p) => p.name);
    expect(names.length).toBeGreaterThan(30);
    for (const name of Object.keys(PARAM_RULES)) expect(names, `${name} has a rule but is not a param`).toContain(name);
    expect(paramProblems(DEMO)).toEqual([]);
    // Without the demo's values, only the params with no default are missing (the deploy asks for them).
    expect(paramProblems({}).every((p) => /has no value and no default/.test(p))).toBe(true);
    expect(paramProblems({}, { requireAll: false })).toEqual([]);
  });

  it('a bad value is named with its rule: a negative TTL, a tax rate of 250, a retention of 0, a flag that is not true/false, an origin with a path', () => {
    const bad = {
      ...DEMO,
      CHECKOUT_TTL_MINUTES: '-5',
      TAX_RATE_PERCENT: '250',
      EMAIL_LOG_RETENTION_DAYS: '0',
      APP_CHECK_ENFORCE: 'yes',
      CHECKOUT_REDIRECT_ORIGINS: 'https://zhengrowth.com/checkout',
      RATE_LIMITS: '[1,2]',
      STRIPE_API_BASE: 'ftp://api.stripe.com',
      AI_TIMEOUT_SECONDS: '2.5',
    };
    expect(paramProblems(bad)).toEqual([
      'APP_CHECK_ENFORCE: must be "true" or "false", got "yes"',
      'RATE_LIMITS: must be empty or a JSON object, got "[1,2]"',
      'STRIPE_API_BASE: must be an http(s) URL, got "ftp://api.stripe.com"',
      'TAX_RATE_PERCENT: must be a percentage from 0 to 100 with at most 6 decimals ("8.25"), got "250"',
      'CHECKOUT_TTL_MINUTES: must be a whole number of minutes from 30 to 1440, got "-5"',
      'CHECKOUT_REDIRECT_ORIGINS: must be comma-separated http(s) origins (scheme, host and port only), at least one, got "https://zhengrowth.com/checkout"',
      'EMAIL_LOG_RETENTION_DAYS: must be a whole number of days from 1 to 3650, got "0"',
      'AI_TIMEOUT_SECONDS: must be a whole number of seconds from 1 to 300, got "2.5"',
    ]);
    expect(() => assertParams({ ...DEMO, TAX_RATE_PERCENT: '8.25', CHECKOUT_TTL_MINUTES: '1440' })).not.toThrow();
    expect(() => assertParams({ ...DEMO, TAX_RATE_PERCENT: '100.5' })).toThrow(/TAX_RATE_PERCENT: must be a percentage from 0 to 100/);
  });

  it('the deploy fails on a bad value in the files it reads, naming the param and its rule', () => {
    const good = paramsCheck({ '.env': 'TAX_RATE_PERCENT=8.25\n', '.env.zg-prod': 'CHECKOUT_TTL_MINUTES=90\n' });
    expect(good.status, good.out).toBe(0);
    const badProject = paramsCheck({ '.env': 'TAX_RATE_PERCENT=8.25\n', '.env.zg-prod': 'TAX_RATE_PERCENT=250\nBACKUP_RETENTION_DAYS=-1\n' });
    expect(badProject.status).toBe(1);
    expect(badProject.out).toContain('TAX_RATE_PERCENT: must be a percentage from 0 to 100');
    expect(badProject.out).toContain('BACKUP_RETENTION_DAYS: must be a whole number of days from 1 to 3650, got "-1"');
    // .env.<alias> (the alias .firebaserc gives the project) is read as firebase deploy reads it.
    const badAlias = paramsCheck({ '.firebaserc': JSON.stringify({ projects: { prod: 'zg-prod' } }), '.env.prod': 'APP_CHECK_ENFORCE=on\n' });
    expect(badAlias.status).toBe(1);
    expect(badAlias.out).toContain('APP_CHECK_ENFORCE: must be "true" or "false", got "on"');
    // A rate limit override of the wrong shape is refused with its path, before any function runs.
    const badLimits = paramsCheck({ '.env': 'RATE_LIMITS={"track":{"ip":{"max":0,"per_seconds":60}}}\n' });
    expect(badLimits.status).toBe(1);
    expect(badLimits.out).toMatch(/RATE_LIMITS: track\.ip\.max: /);
    // Another project's file is not this deploy's business.
    expect(paramsCheck({ '.env.zg-staging': 'TAX_RATE_PERCENT=250\n' }).status).toBe(0);
  }, 60_000);
});
