/**
 * `npm run bench:analytics`: 100,000 analytics events through the `track` callable on the Functions
 * emulator, in batches of 50 with 20 batches in flight (the callable protocol's POST, signed out, as
 * the web SDK sends it from a visitor's browser), then the daily rollup of that day over the raw
 * events. Prints events/s, the per-batch latency, the rollup's time, and whether the rollup's count
 * equals the stored raw events. Figures only: nothing here asserts a speed.
 *
 * Every request comes from one IP here, so the benchmark raises `track`'s per-IP limit through the
 * RATE_LIMITS parameter (the limiter still runs its transaction on every call, as in production,
 * where the calls come from many IPs).
 *
 *   npm run bench:analytics [-- --events 100000] [--batch 50] [--inflight 20]
 *
 * Starts its own emulators (Firestore, Functions) after building the workspaces, and stops them.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { DEMO_PROJECT_ID, inFlight, percentile, repoRoot, startEmulators, type EmulatorSuite } from '@zhengrowth/devstack';
import { testFirebase, type TestFirebase } from '@zhengrowth/devstack/testing';
import { analyticsEvents } from '@zhengrowth/model';
import { rollupDay } from '../src/analytics/rollup.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const n = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
  return n;
}
const EVENTS = arg('events', 100_000);
const BATCH = arg('batch', 50);
const IN_FLIGHT = arg('inflight', 20);
const NAMES = ['page_view', 'lesson_started', 'lesson_completed', 'checkout_started', 'cta_clicked'];

const root = repoRoot();

function build(): void {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const res = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) throw new Error('the build failed');
}

/** One visitor's batch: events of a few names, each with the properties a page sends. */
function batch(n: number, size: number): unknown {
  return {
    data: {
      events: Array.from({ length: size }, (_, i) => ({
        name: NAMES[(n + i) % NAMES.length],
        session_id: `bench-session-${n % 997}`,
        page_url: `https://zhengrowth.com/lessons/${(n + i) % 40}`,
        properties: { batch: n, index: i, lang: ['en', 'zh-CN', 'zh-TW'][i % 3], utm: { source: 'bench' } },
      })),
    },
  };
}

async function post(url: string, body: unknown): Promise<number | null> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(300_000),
  }).catch(() => null);
  if (!res?.ok) return null;
  const out = (await res.json()) as { result?: { accepted?: number } };
  return out.result?.accepted ?? null;
}

async function storedEvents(fb: TestFirebase): Promise<number> {
  return (await fb.db.collection(analyticsEvents.collectionPath({})).count().get()).data().count;
}

function progress(done: number, total: number, t0: number): void {
  if (!process.stdout.isTTY) return;
  const s = (performance.now() - t0) / 1000;
  process.stdout.write(`\r  ${done.toLocaleString('en')} / ${total.toLocaleString('en')} events, ${(done / s).toFixed(0)} events/s   `);
}

async function measure(base: string, fb: TestFirebase): Promise<void> {
  const calls = Math.ceil(EVENTS / BATCH);
  const ms: number[] = [];
  let accepted = 0;
  let failed = 0;
  const t0 = performance.now();
  await inFlight(
    IN_FLIGHT,
    Array.from({ length: calls }, (_, n) => n),
    async (n) => {
      const size = Math.min(BATCH, EVENTS - n * BATCH);
      const t = performance.now();
      const ok = await post(`${base}/track`, batch(n, size));
      ms.push(performance.now() - t);
      if (ok === null) failed += 1;
      else accepted += ok;
      if (n % 20 === 0) progress(accepted, EVENTS, t0);
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  if (process.stdout.isTTY) process.stdout.write('\n');
  ms.sort((a, b) => a - b);
  console.log(`\ntrack through the functions emulator (${os.cpus().length} CPUs, Node ${process.version}):`);
  console.log(
    `  ${accepted.toLocaleString('en')} events accepted in ${calls.toLocaleString('en')} calls of ${BATCH}, ${IN_FLIGHT} in flight, ${failed} calls failed`,
  );
  console.log(`  ${seconds.toFixed(1)} s: ${(accepted / seconds).toFixed(0)} events/s, ${(calls / seconds).toFixed(1)} calls/s`);
  console.log(`  per call: p50 ${percentile(ms, 50).toFixed(0)} ms, p90 ${percentile(ms, 90).toFixed(0)} ms, p99 ${percentile(ms, 99).toFixed(0)} ms`);

  const stored = await storedEvents(fb);
  const day = new Date().toISOString().slice(0, 10);
  const r0 = performance.now();
  const rolled = await rollupDay(fb.db, day, new Date());
  const rollupSeconds = (performance.now() - r0) / 1000;
  console.log(`\nrollup of ${day} (the daily job's code, in this process, over the raw events):`);
  console.log(
    `  ${rolled.events.toLocaleString('en')} events in ${rolled.names} names, ${rollupSeconds.toFixed(1)} s (${(rolled.events / rollupSeconds).toFixed(0)} events/s)`,
  );
  console.log(`  raw events stored: ${stored.toLocaleString('en')}; rollup ${rolled.events === stored ? 'equals' : 'DIFFERS FROM'} the raw count`);
  process.exitCode = failed > 0 || rolled.events !== stored ? 1 : 0;
}

async function main(): Promise<void> {
  console.log('Building the workspaces…');
  build();
  console.log('Starting the Firestore and Functions emulators…');
  let suite: EmulatorSuite | undefined;
  let fb: TestFirebase | undefined;
  try {
    const rateLimits = JSON.stringify({ track: { ip: { max: 1_000_000, per_seconds: 60, shards: 8 } } });
    suite = await startEmulators({ timeoutMs: 600_000, functionsParams: { RATE_LIMITS: rateLimits }, extraEnv: { FUNCTIONS_DISCOVERY_TIMEOUT: '600' } });
    Object.assign(process.env, suite.env);
    const base = `${suite.functionsOrigin}/${DEMO_PROJECT_ID}/us-central1`;
    fb = testFirebase(DEMO_PROJECT_ID);
    await fb.clear();
    // One worker process per concurrent request: start them before timing (their events are cleared after).
    const t = performance.now();
    for (const size of [4, 8, 16, IN_FLIGHT]) await Promise.all(Array.from({ length: size }, (_, i) => post(`${base}/track`, batch(i, 1))));
    await fb.clear();
    console.log(`Warm-up (waves up to ${IN_FLIGHT} concurrent calls): ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await measure(base, fb);
  } catch (err) {
    console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  } finally {
    await fb?.close();
    await suite?.stop();
  }
}

await main();
