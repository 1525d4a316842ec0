/**
 * `npm run bench:cutover` — a benchmark, not a test: figures, printed.
 *
 * The switch-over as an admin does it, on the demo data (scale 1 by default) in a throwaway
 * PostgreSQL 15 (wal_level=logical) and a Firestore + Auth emulator: a writer keeps changing the
 * source (1,000 rows a second by default: inserts, updates, moves and deletes, as the app would)
 * while `zg-migrate run` copies it and while `zg-migrate sync` runs N times (20 by default); then the
 * writer stops and `zg-migrate cutover` catches up, checks that nothing changes, syncs a last time
 * and verifies. Printed: the run, each sync's changes and changes/s, and the downtime (cutover's
 * own figure, from "writes stopped" to "verified"). Every command runs as its own process, as an
 * admin would run it.
 *
 *   npm run bench:cutover [-- --scale 1] [--rate 1000] [--syncs 20]
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applySqlFolder, createDatabase, startEmulators, startPostgres } from '@zhengrowth/devstack';
import { seedDemo } from '../src/seed/index.js';
import { startLoadWriter } from '../test/load-writer.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(here, '..', 'bin', 'zg-migrate.js');

function arg(name: string, fallback: string): number {
  const i = process.argv.indexOf(`--${name}`);
  const n = Number(i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number`);
  return n;
}
const SCALE = arg('scale', '1');
const RATE = arg('rate', '1000');
const SYNCS = arg('syncs', '20');

function zg(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; seconds: number }> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, seconds: (Date.now() - t0) / 1000 }));
  });
}

function must(r: { code: number | null; out: string }, what: string): void {
  if (r.code !== 0) throw new Error(`${what} ended with exit code ${r.code}:\n${r.out}`);
}

async function main(): Promise<void> {
  const pg = await startPostgres({ useEnv: false });
  const suite = await startEmulators({ only: ['firestore', 'auth'] });
  try {
    await createDatabase(pg.url, 'cutover');
    const url = pg.urlFor('cutover');
    await applySqlFolder(url);
    const seeded = await seedDemo(url, { scale: SCALE, seed: 'bench' });
    console.log(`Source: demo data at scale ${SCALE}, ${seeded.totalRows.toLocaleString('en')} rows; writer at ${RATE} rows/s; ${SYNCS} syncs.`);
    const env = { ...process.env, ...suite.env, GCLOUD_PROJECT: 'demo-cutover-bench', ZG_MIGRATE_PROGRESS_MS: '60000' };

    const writer = await startLoadWriter(url, { rowsPerSecond: RATE });
    const run = await zg(['run', '--source', url], env);
    must(run, 'run');
    console.log(`run: ${run.seconds.toFixed(1)} s (${writer.changes.toLocaleString('en')} rows changed by the writer so far)`);
    const rates: number[] = [];
    for (let i = 1; i <= SYNCS; i++) {
      const s = await zg(['sync', '--source', url], env);
      must(s, `sync ${i}`);
      const m = /: ([\d,]+) changes, .* in ([\d.]+) s \(([\d,]+) changes\/s\)/.exec(s.out);
      const changes = Number((m?.[1] ?? '0').replace(/,/g, ''));
      rates.push(Number((m?.[3] ?? '0').replace(/,/g, '')));
      console.log(
        `sync ${i}: ${changes.toLocaleString('en')} changes in ${m?.[2] ?? '?'} s (${m?.[3] ?? '?'} changes/s; the command took ${s.seconds.toFixed(1)} s)`,
      );
    }
    const written = await writer.stop();
    console.log(
      `Writes stopped: the writer changed ${written.changes.toLocaleString('en')} rows in ${written.seconds.toFixed(0)} s (${Math.round(written.changes / written.seconds)} rows/s).`,
    );
    const cut = await zg(['cutover', '--source', url], env);
    must(cut, 'cutover');
    for (const line of cut.out.split('\n')) if (/^(Catch-up|Final sync|Downtime|OK)/.test(line)) console.log(`cutover: ${line}`);
    const sorted = [...rates].sort((a, b) => a - b);
    if (sorted.length) console.log(`sync changes/s: median ${sorted[Math.floor(sorted.length / 2)]}, best ${sorted[sorted.length - 1]}`);
    console.log(`For comparison, a full run took ${run.seconds.toFixed(1)} s (its process, start to end).`);
  } finally {
    await suite.stop();
    await pg.stop();
  }
}

await main();
process.exit(0);
