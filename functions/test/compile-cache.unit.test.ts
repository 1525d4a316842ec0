/**
 * The deploy's build (gcp-build) compiles every module a function loads at its start into a V8
 * code cache, and a deployed instance (the entry, FUNCTION_TARGET set) reads it: the modules come
 * from the cache, not from a compile. Without a cache nothing is read or written. Runs the built
 * lib/ with this Node, as a deploy would.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const FUNCTIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const PARAMS = parseEnv(fs.readFileSync(path.join(FUNCTIONS, '.env.demo-zhengrowth'), 'utf8'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zg-compile-cache-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, args, {
    cwd: FUNCTIONS,
    env: { PATH: process.env.PATH, GCLOUD_PROJECT: 'demo-compile-cache', ...PARAMS, ...env },
    encoding: 'utf8',
  });
}

/** Loads the entry as a deployed instance of `health`; Node reports each cache entry it accepts. */
function startInstance(cacheDir: string) {
  const script = "await import('./lib/entry.js'); const m = await import('node:module'); console.log(JSON.stringify(m.getCompileCacheDir() ?? null));";
  const res = run(['--input-type=module', '-e', script], {
    ZG_COMPILE_CACHE_DIR: cacheDir,
    FUNCTION_TARGET: 'health',
    K_SERVICE: 'health',
    NODE_DEBUG_NATIVE: 'COMPILE_CACHE',
  });
  expect(res.status, res.stderr).toBe(0);
  return {
    dir: JSON.parse(res.stdout.trim().split('\n').at(-1) ?? 'null') as string | null,
    accepted: (res.stderr.match(/was accepted/g) ?? []).length,
    rejected: (res.stderr.match(/was rejected/g) ?? []).length,
  };
}

describe('the compile cache', () => {
  it("is made by the deploy's build and read by an instance's start", () => {
    const cache = path.join(tmp, 'built');
    const build = run(['lib/warm-compile-cache.js'], { ZG_COMPILE_CACHE_DIR: cache });
    expect(build.status, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/compile cache: \d+ entries/);
    const instance = startInstance(cache);
    expect(instance.dir?.startsWith(cache)).toBe(true);
    // The model, zod, the Admin SDK, the function's own code: hundreds of modules, none compiled again.
    expect(instance.accepted).toBeGreaterThan(300);
    expect(instance.rejected).toBe(0);
  }, 60_000);

  it('is neither read nor written where the build made none (development, the emulators)', () => {
    const none = path.join(tmp, 'none');
    const instance = startInstance(none);
    expect(instance.dir).toBeNull();
    expect(instance.accepted).toBe(0);
    expect(fs.existsSync(none)).toBe(false);
  }, 60_000);
});
