/**
 * `npm run bench:coldstart`: what a new instance of each deployed function pays before its first
 * request. For every export of the entry (functions/lib/entry.js, the package's main), a fresh
 * Node process imports it with FUNCTION_TARGET and K_SERVICE set to the function's name, as Cloud
 * Run does; the baseline is a bare v2 callable (firebase-functions/v2/https and an initialised
 * firebase-admin Firestore), the median of loads spread through the same run. Each load is timed from
 * the process's start (performance.now(), Node's own start-up included in both) and its resident
 * memory read when the import is done. Each function is loaded as deployed — after the deploy's
 * build step (gcp-build) made its compile cache (compile-cache.ts) — and without that cache (as in
 * the emulators); the bare callable without and with a compile cache of its own. Prints a table
 * and the median, 90th percentile and worst ratios. Figures only: nothing here asserts a speed.
 * Build first (`npm run build`): it measures what a deploy would upload.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { fileURLToPath } from 'node:url';
import { median, percentile } from '@zhengrowth/devstack';

const FUNCTIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Loads per function (the median is kept): one load on a 2-core machine varies by ±20 %. */
const RUNS = 5;
/** A bare load after every this many function loads, so that drift in the machine's speed reaches both sides of the ratio. */
const BASELINE_EVERY = 3;

interface Load {
  ms: number;
  mb: number;
  names: string[];
}

/** The params the emulators run with (functions/.env.demo-zhengrowth): a cold start checks them. */
const PARAMS = parseEnv(fs.readFileSync(path.join(FUNCTIONS_DIR, '.env.demo-zhengrowth'), 'utf8')) as Record<string, string>;

/** Runs `body` (an ES module) in a fresh Node process in the functions folder; it reports its load. */
function load(body: string, env: Record<string, string>): Load {
  const script = `${body}\nconsole.log(JSON.stringify({ ms: performance.now(), mb: process.memoryUsage().rss / 1048576, names }));`;
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: FUNCTIONS_DIR,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', GCLOUD_PROJECT: 'demo-coldstart', ...PARAMS, ...env },
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`a load failed: ${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').at(-1) ?? '{}') as Load;
}

const BARE = `
import { onCall } from 'firebase-functions/v2/https';
import { initializeApp } from 'firebase-admin/app';
import { getFirestore } from 'firebase-admin/firestore';
initializeApp();
getFirestore();
export const bare = onCall(() => ({ ok: true }));
const names = ['bare'];`;

const entry = (): string => `
const m = await import('./lib/entry.js');
const names = Object.keys(m).filter((k) => m[k] !== undefined);`;

/** Runs the deploy's build step (gcp-build: warm-compile-cache.ts) into a folder of its own. */
function buildCompileCache(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zg-compile-cache-'));
  const res = spawnSync(process.execPath, ['lib/warm-compile-cache.js'], {
    cwd: FUNCTIONS_DIR,
    env: { ...process.env, ZG_COMPILE_CACHE_DIR: dir },
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`gcp-build failed: ${res.stderr}`);
  return dir;
}

const med = (loads: Load[], key: 'ms' | 'mb'): number => median(loads.map((l) => l[key]));

function main(): void {
  const all = load(entry(), {}).names;
  const cache = buildCompileCache();
  const bareCache = fs.mkdtempSync(path.join(os.tmpdir(), 'zg-bare-cache-'));
  try {
    const bare: Load[] = [];
    const bareCached: Load[] = [];
    const asBuilt = { ZG_COMPILE_CACHE_DIR: cache };
    load(BARE, { NODE_COMPILE_CACHE: bareCache }); // fills the bare callable's own cache
    const loadsOf = (name: string, env: Record<string, string>): Load[] =>
      Array.from({ length: RUNS }, (_, i) => {
        if (i % BASELINE_EVERY === 0 && env === asBuilt) {
          bare.push(load(BARE, { FUNCTION_TARGET: 'bare', K_SERVICE: 'bare' }));
          bareCached.push(load(BARE, { FUNCTION_TARGET: 'bare', K_SERVICE: 'bare', NODE_COMPILE_CACHE: bareCache }));
        }
        const l = load(entry(), { FUNCTION_TARGET: name, K_SERVICE: name, ...env });
        if (l.names.length !== 1 || l.names[0] !== name) throw new Error(`${name}: the entry loaded ${l.names.join(', ')}`);
        return l;
      });
    const rows = all.map((name) => ({ name, built: loadsOf(name, asBuilt), plain: loadsOf(name, {}) }));
    const base = { ms: med(bare, 'ms'), mb: med(bare, 'mb') };
    const baseCached = med(bareCached, 'ms');
    console.log(
      `bare v2 callable: ${base.ms.toFixed(0)} ms, ${base.mb.toFixed(0)} MB; with a compile cache of its own ${baseCached.toFixed(0)} ms ` +
        `(medians of ${bare.length}, spread through the run); ${all.length} functions, median of ${RUNS} loads each`,
    );
    console.log(
      `\n${'function'.padEnd(28)}${'as deployed: ms'.padStart(16)}${'MB'.padStart(6)}${'ratio'.padStart(7)}   ${'no cache: ms'.padStart(13)}${'ratio'.padStart(7)}`,
    );
    const table = rows.map((r) => ({ name: r.name, ms: med(r.built, 'ms'), mb: med(r.built, 'mb'), plainMs: med(r.plain, 'ms') })).sort((a, b) => b.ms - a.ms);
    for (const r of table)
      console.log(
        `${r.name.padEnd(28)}${r.ms.toFixed(0).padStart(16)}${r.mb.toFixed(0).padStart(6)}${(r.ms / base.ms).toFixed(2).padStart(7)}   ${r.plainMs.toFixed(0).padStart(13)}${(r.plainMs / base.ms).toFixed(2).padStart(7)}`,
      );
    const extra = table.map((r) => r.mb - base.mb);
    summary(
      "as deployed (the build's compile cache) / bare callable",
      table.map((r) => r.ms / base.ms),
      extra,
    );
    summary(
      'as deployed / bare callable with a compile cache of its own',
      table.map((r) => r.ms / baseCached),
    );
    summary(
      'without a compile cache (the emulators) / bare callable',
      table.map((r) => r.plainMs / base.ms),
    );
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
    fs.rmSync(bareCache, { recursive: true, force: true });
  }
}

function summary(what: string, ratioList: number[], extraList?: number[]): void {
  const ratios = [...ratioList].sort((a, b) => a - b);
  const mem = extraList ? [...extraList].sort((a, b) => a - b) : undefined;
  console.log(
    `\n${what}: median ${median(ratios).toFixed(2)}×, p90 ${percentile(ratios, 90).toFixed(2)}×, worst ${(ratios.at(-1) ?? NaN).toFixed(2)}×` +
      (mem ? `; extra memory: median ${median(mem).toFixed(0)} MB, p90 ${percentile(mem, 90).toFixed(0)} MB, worst ${(mem.at(-1) ?? NaN).toFixed(0)} MB` : ''),
  );
}

main();
