/**
 * `npm run bench:cutover` — a benchmark, not a test: figures, printed.
 *
 * The switch-over as an admin does it, on the demo data (scale 1 by default) in a throwaway
 * PostgreSQL 15 (wal_level=logical) and a Firestore + Auth emulator, while a writer keeps changing
 * the source (1,000 rows a second by default: inserts, updates, moves and deletes, as the app would):
 * `zg-migrate run`, N syncs, a full `verify` (the verified point, proven before the day), two more
 * syncs, `verify --since-verified` (the point moved up to just before the day) and one more sync;
 * then the writer stops and `zg-migrate cutover` prints the downtime and its parts; a last
 * sync with nothing to do shows a sync's fixed cost. Then the same on a copy of the source without
 * the slot (`run --no-slot`: syncs by xmin), for the fallback path's figures. Every command runs as
 * its own process, as an admin would run it. The slot's run asks for old rows in the stream
 * (`--replica-identity-full`, as the runbook advises under a busy writer); `--default-identity`
 * leaves the tables as they are (syncs then search Firestore for deleted and moved rows' documents).
 *
 *   npm run bench:cutover [-- --scale 1] [--rate 1000] [--syncs 10] [--fallback-syncs 3] [--no-fallback] [--default-identity]
 *
 * ZG_BENCH_NODE_ARGS adds Node options to every command (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`
 * to see where a sync or the cutover spends its time; NODE_OPTIONS refuses --cpu-prof).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applySqlFolder, createDatabase, startEmulators, startPostgres, withDatabase } from '@zhengrowth/devstack';
import { seedDemo } from '../src/seed/index.js';
import { startLoadWriter } from '../test/load-writer.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(here, '..', 'bin', 'zg-migrate.js');
const nodeArgs = (process.env.ZG_BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);

function arg(name: string, fallback: string): number {
  const i = process.argv.indexOf(`--${name}`);
  const n = Number(i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number`);
  return n;
}
const SCALE = arg('scale', '1');
const RATE = arg('rate', '1000');
const SYNCS = arg('syncs', '10');
const FALLBACK_SYNCS = arg('fallback-syncs', '3');
const FALLBACK = !process.argv.includes('--no-fallback');
const FULL_IDENTITY = !process.argv.includes('--default-identity');

interface Ran {
  code: number | null;
  out: string;
  seconds: number;
}

function zg(args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, bin, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, seconds: (Date.now() - t0) / 1000 }));
  });
}

function must(r: Ran, what: string): Ran {
  if (r.code !== 0) throw new Error(`${what} ended with exit code ${r.code}:\n${r.out}`);
  return r;
}

const num = (s: string | undefined): number => Number((s ?? 'NaN').replace(/,/g, ''));

/** A sync's own figures, from its summary line. */
function syncFigures(out: string): { changes: number; seconds: number; rate: number; setup: number; written: number; deleted: number } {
  const m = /: ([\d,]+) changes, .* in ([\d.]+) s \(([\d,]+) changes\/s; ([\d.]+) s of it before the first change\)/.exec(out);
  const w = /\(([\d,]+) documents written, ([\d,]+) deleted/.exec(out);
  return { changes: num(m?.[1]), seconds: num(m?.[2]), rate: num(m?.[3]), setup: num(m?.[4]), written: num(w?.[1]), deleted: num(w?.[2]) };
}

async function sync(label: string, url: string, env: NodeJS.ProcessEnv): Promise<ReturnType<typeof syncFigures>> {
  const r = must(await zg(['sync', '--source', url], env), label);
  const f = syncFigures(r.out);
  console.log(
    `${label}: ${f.changes.toLocaleString('en')} changes in ${f.seconds} s (${f.rate.toLocaleString('en')} changes/s; setup ${f.setup} s; ${f.written.toLocaleString('en')} documents written, ${f.deleted.toLocaleString('en')} deleted; the command took ${r.seconds.toFixed(1)} s)`,
  );
  if (/Falling behind/.test(r.out)) console.log(`${label}: said it falls behind`);
  return f;
}

/** A backlog sync against the run: as a whole, and from its first change on (its fixed part is the setup). */
function backlogLine(f: ReturnType<typeof syncFigures>, runRate: number): string {
  const flowing = Math.round(f.changes / (f.changes / f.rate - f.setup));
  const times = (r: number): string => `${(r / runRate).toFixed(2)}×`;
  return `${f.rate.toLocaleString('en')} changes/s, ${times(f.rate)} the run (${f.changes.toLocaleString('en')} changes; from the first change ${flowing.toLocaleString('en')}/s, ${times(flowing)})`;
}

/** The whole switch-over on one source: run under the writer, syncs, the verified point, cutover, an idle sync. */
async function switchOver(label: string, url: string, env: NodeJS.ProcessEnv, runArgs: string[], syncs: number): Promise<void> {
  console.log(`\n== ${label} ==`);
  const writer = await startLoadWriter(url, { rowsPerSecond: RATE });
  const run = must(await zg(['run', '--source', url, ...runArgs], env), `${label}: run`);
  const runRate = num(/finished in [\d.]+ s \(([\d,]+) rows\/s/.exec(run.out)?.[1]);
  console.log(
    `run: ${run.seconds.toFixed(1)} s (${runRate.toLocaleString('en')} rows/s by its own clock; the writer had changed ${writer.changes.toLocaleString('en')} rows)`,
  );
  const figures: Array<ReturnType<typeof syncFigures>> = [];
  for (let i = 1; i <= syncs; i++) figures.push(await sync(`sync ${i}`, url, env));
  const v = must(await zg(['verify', '--source', url], env), `${label}: verify`);
  const pending = /PENDING: ([\d,]+) row/.exec(v.out)?.[1] ?? '0';
  console.log(
    `verify (the writer still writing): ${v.seconds.toFixed(1)} s, ${pending} rows pending; ${/Verified point recorded/.test(v.out) ? 'verified point recorded' : 'NO verified point'}`,
  );
  for (let i = 1; i <= 2; i++) figures.push(await sync(`sync after verify ${i}`, url, env));
  // Just before the day: the verified point moved forward for the price of the rows changed since it.
  const again = must(await zg(['verify', '--source', url, '--since-verified'], env), `${label}: verify --since-verified`);
  console.log(
    `verify --since-verified (the writer still writing): ${again.seconds.toFixed(1)} s; ${/Verified point moved/.test(again.out) ? 'verified point moved' : 'the point did NOT move'}`,
  );
  figures.push(await sync('sync after the second verify', url, env));
  const written = await writer.stop();
  console.log(
    `Writes stopped: the writer changed ${written.changes.toLocaleString('en')} rows in ${written.seconds.toFixed(0)} s (${Math.round(written.changes / written.seconds)} rows/s).`,
  );
  const cut = must(await zg(['cutover', '--source', url], env), `${label}: cutover`);
  for (const line of cut.out.split('\n')) if (/^(Final sync|Silence|Downtime|OK|COUNT)/.test(line)) console.log(`cutover: ${line}`);
  console.log(`cutover: the command took ${cut.seconds.toFixed(1)} s (process start-up and the lease included)`);
  const idle = await sync('idle sync (nothing to apply: the fixed cost)', url, env);
  const rates = figures.map((f) => f.rate).sort((a, b) => a - b);
  console.log(`Summary (${label}):`);
  console.log(`  run ${runRate.toLocaleString('en')} rows/s`);
  // The run's backlog (the first sync) and the largest (the writer's changes during the full verify).
  const largest = figures.reduce((a, b) => (b.changes > a.changes ? b : a), figures[0] ?? idle);
  for (const [what, f] of [
    ["the backlog sync (the run's)", figures[0]],
    ['the largest backlog', largest],
  ] as const)
    if (f) console.log(`  ${what}: ${backlogLine(f, runRate)}`);
  console.log(
    `  syncs: median ${rates[Math.floor(rates.length / 2)]?.toLocaleString('en') ?? '?'} changes/s; a sync's fixed cost ${idle.seconds} s (setup ${idle.setup} s)`,
  );
  console.log(`  downtime: ${/Downtime[^:]*: ([\d.]+ s)/.exec(cut.out)?.[1] ?? '?'}`);
}

async function main(): Promise<void> {
  const pg = await startPostgres({ useEnv: false });
  const suite = await startEmulators({ only: ['firestore', 'auth'] });
  try {
    await createDatabase(pg.url, 'cutover');
    const url = pg.urlFor('cutover');
    await applySqlFolder(url);
    const seeded = await seedDemo(url, { scale: SCALE, seed: 'bench' });
    // The fallback path gets the same rows, copied before anything writes to them.
    if (FALLBACK) await createDatabase(pg.url, 'cutover_noslot', 'cutover');
    console.log(
      `Source: demo data at scale ${SCALE}, ${seeded.totalRows.toLocaleString('en')} rows; writer at ${RATE} rows/s; ${SYNCS} syncs before the verify.`,
    );
    const env = (project: string): NodeJS.ProcessEnv => ({ ...process.env, ...suite.env, GCLOUD_PROJECT: project, ZG_MIGRATE_PROGRESS_MS: '60000' });
    await switchOver(
      FULL_IDENTITY ? 'the replication slot (run --replica-identity-full)' : 'the replication slot (replica identities left as they are)',
      url,
      env('demo-cutover-bench'),
      FULL_IDENTITY ? ['--replica-identity-full'] : [],
      SYNCS,
    );
    if (FALLBACK)
      await switchOver(
        'the fallback without a slot (run --no-slot)',
        withDatabase(pg.url, 'cutover_noslot'),
        env('demo-cutover-noslot'),
        ['--no-slot'],
        FALLBACK_SYNCS,
      );
  } finally {
    await suite.stop();
    await pg.stop();
  }
}

await main();
process.exit(0);
