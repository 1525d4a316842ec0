/**
 * `npm run bench:coldstart`: what a new instance of each deployed function pays before its first
 * request. For every export of the entry (functions/lib/entry.js, the package's main), a fresh
 * Node process imports it with FUNCTION_TARGET and K_SERVICE set to the function's name, as Cloud
 * Run does; the baseline is a bare v2 callable (firebase-functions/v2/https and an initialised
 * firebase-admin Firestore), the median of loads spread through the same run. Each load is timed from
 * the process's start (performance.now(), Node's own start-up included in both) and its resident
 * memory read when the import is done. Prints a table (function, ms, MB, ratio) and the median,
 * 90th percentile and worst ratios. Figures only: nothing here asserts a speed. Build first
 * (`npm run build`): it measures what a deploy would upload.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { fileURLToPath } from 'node:url';
import { median, percentile } from '@zhengrowth/devstack';

const FUNCTIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Loads per function (the median is kept): one load on a 2-core machine varies by ±20 %. */
const RUNS = 3;
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

function main(): void {
  const all = load(entry(), {}).names;
  const bare: Load[] = [];
  const loadsOf = (name: string): Load[] =>
    Array.from({ length: RUNS }, (_, i) => {
      if (i % BASELINE_EVERY === 0) bare.push(load(BARE, { FUNCTION_TARGET: 'bare', K_SERVICE: 'bare' }));
      const l = load(entry(), { FUNCTION_TARGET: name, K_SERVICE: name });
      if (l.names.length !== 1 || l.names[0] !== name) throw new Error(`${name}: the entry loaded ${l.names.join(', ')}`);
      return l;
    });
  const measured = all.map((name) => ({ name, loads: loadsOf(name) }));
  const baseMs = median(bare.map((b) => b.ms));
  const baseMb = median(bare.map((b) => b.mb));
  console.log(
    `bare v2 callable: ${baseMs.toFixed(0)} ms, ${baseMb.toFixed(0)} MB (median of ${bare.length}, spread through the run); ${all.length} functions, median of ${RUNS} loads each`,
  );
  const rows = measured.map(({ name, loads }) => {
    const ms = median(loads.map((l) => l.ms));
    const mb = median(loads.map((l) => l.mb));
    return { name, ms, mb, ratio: ms / baseMs, extraMb: mb - baseMb };
  });
  rows.sort((a, b) => b.ratio - a.ratio);
  console.log(`\n${'function'.padEnd(28)} ${'ms'.padStart(6)} ${'MB'.padStart(6)} ${'ratio'.padStart(6)}`);
  for (const r of rows) console.log(`${r.name.padEnd(28)} ${r.ms.toFixed(0).padStart(6)} ${r.mb.toFixed(0).padStart(6)} ${r.ratio.toFixed(2).padStart(6)}`);
  const ratios = rows.map((r) => r.ratio).sort((a, b) => a - b);
  const extra = rows.map((r) => r.extraMb).sort((a, b) => a - b);
  console.log(
    `\nratio to the bare callable: median ${median(ratios).toFixed(2)}×, p90 ${percentile(ratios, 90).toFixed(2)}×, worst ${(ratios.at(-1) ?? NaN).toFixed(2)}×; ` +
      `extra memory: median ${median(extra).toFixed(0)} MB, p90 ${percentile(extra, 90).toFixed(0)} MB, worst ${(extra.at(-1) ?? NaN).toFixed(0)} MB`,
  );
}

main();
