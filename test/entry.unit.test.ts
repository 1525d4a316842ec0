/**
 * The deployed entry (functions/src/entry.ts, package.json "main") is generated from index.ts and
 * loads only the function FUNCTION_TARGET names — what each deployed service and each emulator
 * worker sets — and every function without it (what the deploy's discovery sees).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ENTRY_FILE, indexExports, renderEntry } from '../scripts/entry/render.js';

const root = path.resolve(import.meta.dirname, '..');
const functionsPackage = JSON.parse(fs.readFileSync(path.join(root, 'functions', 'package.json'), 'utf8')) as { main: string };

/** The values a deployed instance is given for the params without a default (the demo project's). */
const params = parseEnv(fs.readFileSync(path.join(root, 'functions', '.env.demo-zhengrowth'), 'utf8'));

/** Imports the entry in a fresh process as a deployed instance would (FUNCTION_TARGET: its function). */
function loadEntry(target: string | undefined, extra: Record<string, string> = {}) {
  const script = "const m = await import('./functions/src/entry.ts'); console.log(JSON.stringify(Object.keys(m).filter((k) => m[k] !== undefined)));";
  const env: NodeJS.ProcessEnv = { ...process.env, ...params, GCLOUD_PROJECT: 'demo-entry', ...extra };
  delete env.FUNCTION_TARGET;
  if (target) env.FUNCTION_TARGET = target;
  return spawnSync(process.execPath, ['--conditions=zg-source', '--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
}

/** The names the entry exports with a value. */
function loadedNames(target: string | undefined): string[] {
  const res = loadEntry(target);
  expect(res.status, res.stderr).toBe(0);
  return JSON.parse(res.stdout.trim().split('\n').at(-1) ?? '[]') as string[];
}

describe('the deployed entry', () => {
  it('is generated from index.ts (npm run gen:entry) and is the package main', async () => {
    expect(fs.readFileSync(ENTRY_FILE, 'utf8')).toBe(await renderEntry());
    expect(functionsPackage.main).toBe('lib/entry.js');
  });

  it('loads only the function FUNCTION_TARGET names, and every one without it', () => {
    const all = indexExports().map(([name]) => name);
    expect(loadedNames('health')).toEqual(['health']);
    expect(loadedNames('onAuthUserCreated')).toEqual(['onAuthUserCreated']);
    expect(loadedNames(undefined).sort()).toEqual(all.sort());
  }, 60_000);

  it("fails an instance's start on a bad param, naming it and its rule", () => {
    const res = loadEntry('health', { TAX_RATE_PERCENT: '250', EMAIL_LOG_RETENTION_DAYS: '-1' });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain('TAX_RATE_PERCENT: must be a percentage from 0 to 100 with at most 6 decimals ("8.25"), got "250"');
    expect(res.stderr).toContain('EMAIL_LOG_RETENTION_DAYS: must be a whole number of days from 1 to 3650, got "-1"');
    // A deploy that never gave a param without a default its value cannot start either.
    const unset = loadEntry('health', { LINKEDIN_CLIENT_ID: '' });
    expect(unset.status).not.toBe(0);
    expect(unset.stderr).toContain('LINKEDIN_CLIENT_ID: must be a non-empty value without spaces, got ""');
  }, 60_000);
});
