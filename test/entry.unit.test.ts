/**
 * The deployed entry (functions/src/entry.ts, package.json "main") is generated from index.ts and
 * loads only the function FUNCTION_TARGET names — what each deployed service and each emulator
 * worker sets — and every function without it (what the deploy's discovery sees).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENTRY_FILE, indexExports, renderEntry } from '../scripts/entry/render.js';

const root = path.resolve(import.meta.dirname, '..');
const functionsPackage = JSON.parse(fs.readFileSync(path.join(root, 'functions', 'package.json'), 'utf8')) as { main: string };

/** The names the entry exports with a value, loaded in a fresh process as a deployed instance would. */
function loadedNames(target: string | undefined): string[] {
  const script = "const m = await import('./functions/src/entry.ts'); console.log(JSON.stringify(Object.keys(m).filter((k) => m[k] !== undefined)));";
  const env: NodeJS.ProcessEnv = { ...process.env, GCLOUD_PROJECT: 'demo-entry' };
  delete env.FUNCTION_TARGET;
  if (target) env.FUNCTION_TARGET = target;
  const res = spawnSync(process.execPath, ['--conditions=zg-source', '--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
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
});
