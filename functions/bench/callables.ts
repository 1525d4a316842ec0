/**
 * `npm run bench:callables`: ensureProfile and health against a bare onCall that answers at once
 * (benchBaseline, a codebase of this benchmark's emulator run only: functions/bench/baseline),
 * 50 callers in flight, on the Functions emulator. Each caller is a signed-in user (ID token of the
 * Auth emulator, e-mail verified, so ensureProfile also looks for guest records as it does after a
 * real sign-in) sending the callable protocol's POST, as the web SDK does. Prints calls/s, p50/p99
 * and the ratio to the baseline's throughput, per round and the median of the rounds. Figures only:
 * nothing here asserts a speed.
 *
 * Starts its own emulators (Auth, Firestore, Functions) after building the workspaces, and stops them.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_PROJECT_ID, inFlight, median, percentile, repoRoot, startEmulators, type EmulatorSuite } from '@zhengrowth/devstack';
import { testFirebase, type TestFirebase } from '@zhengrowth/devstack/testing';

const CALLERS = 50;
const CALLS = 1000;
const ROUNDS = 3;
const FUNCTIONS = ['benchBaseline', 'health', 'ensureProfile'] as const;
type Fn = (typeof FUNCTIONS)[number];

const root = repoRoot();

function build(): void {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const res = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) throw new Error('the build failed');
}

function ensureSecrets(): void {
  const local = path.join(root, 'functions', '.secret.local');
  if (!fs.existsSync(local)) fs.copyFileSync(path.join(root, 'functions', '.secret.local.example'), local);
}

const PASSWORD = 'bench passphrase';

async function authCall(authHost: string, op: string, body: unknown): Promise<{ idToken: string; localId: string }> {
  const res = await fetch(`http://${authHost}/identitytoolkit.googleapis.com/v1/accounts:${op}?key=bench`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`Auth emulator ${op}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { idToken: string; localId: string };
}

/** A signed-up user of the Auth emulator with a verified e-mail; its address. */
async function signUp(authHost: string, fb: TestFirebase, i: number): Promise<string> {
  const email = `bench.${i}.${Date.now().toString(36)}@example.com`;
  const { localId } = await authCall(authHost, 'signUp', { email, password: PASSWORD, returnSecureToken: true });
  await fb.auth.updateUser(localId, { emailVerified: true });
  return email;
}

/** A fresh ID token (it carries the roles claim the profile's creation set). */
const signIn = async (authHost: string, email: string): Promise<string> =>
  (await authCall(authHost, 'signInWithPassword', { email, password: PASSWORD, returnSecureToken: true })).idToken;

interface Round {
  fn: Fn;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  failures: number;
}

async function round(base: string, fn: Fn, tokens: string[]): Promise<Round> {
  const ms: number[] = [];
  let failures = 0;
  const t0 = performance.now();
  await inFlight(
    CALLERS,
    Array.from({ length: CALLS }, (_, i) => i),
    async (i) => {
      const t = performance.now();
      const res = await fetch(`${base}/${fn}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i % tokens.length] ?? ''}` },
        body: JSON.stringify({ data: {} }),
        signal: AbortSignal.timeout(300_000),
      }).catch(() => null);
      const body = res ? await res.text() : '';
      ms.push(performance.now() - t);
      if (!res?.ok || !body.includes('"result"')) failures++;
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  ms.sort((a, b) => a - b);
  return { fn, seconds, perSecond: CALLS / seconds, p50: percentile(ms, 50), p99: percentile(ms, 99), failures };
}

async function main(): Promise<number> {
  console.log('Building the workspaces…');
  build();
  ensureSecrets();
  console.log('Starting the Auth, Firestore and Functions emulators…');
  let suite: EmulatorSuite | undefined;
  let fb: TestFirebase | undefined;
  try {
    // A param of this run (its .env.local), not the process environment: the emulator's discovery of the
    // functions reads only the former, so the baseline would not be there to call.
    suite = await startEmulators({
      timeoutMs: 600_000,
      extraCodebases: [{ source: 'functions/bench/baseline', codebase: 'bench' }],
      extraEnv: { FUNCTIONS_DISCOVERY_TIMEOUT: '600' },
    });
    Object.assign(process.env, suite.env);
    const base = `${suite.functionsOrigin}/${DEMO_PROJECT_ID}/us-central1`;
    fb = testFirebase(DEMO_PROJECT_ID);
    const authHost = suite.authHost ?? '';
    const emails: string[] = [];
    for (let i = 0; i < CALLERS; i++) emails.push(await signUp(authHost, fb, i));
    let tokens = await Promise.all(emails.map((e) => signIn(authHost, e)));
    console.log(`${CALLERS} signed-in callers ready`);

    // One worker process per concurrent request: start them in waves before timing anything.
    let t = performance.now();
    for (const size of [4, 8, 16, 32, CALLERS]) {
      for (const fn of FUNCTIONS) {
        await Promise.allSettled(
          tokens.slice(0, size).map((tok) =>
            fetch(`${base}/${fn}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${tok}` },
              body: '{"data":{}}',
              signal: AbortSignal.timeout(300_000),
            }).then((r) => r.text()),
          ),
        );
      }
    }
    console.log(`Warm-up (waves up to ${CALLERS} concurrent calls of each function): ${((performance.now() - t) / 1000).toFixed(1)} s`);
    // As the web app does after ensureProfile made the profile: a token with the roles claim.
    tokens = await Promise.all(emails.map((e) => signIn(authHost, e)));

    const rounds: Round[] = [];
    t = performance.now();
    for (let r = 0; r < ROUNDS; r++) for (const fn of FUNCTIONS) rounds.push(await round(base, fn, tokens));
    console.log(`Measured ${ROUNDS} rounds of ${CALLS} calls per function in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const line = (label: string, x: Round, baseline: number) =>
      `  ${label.padEnd(22)} ${x.perSecond.toFixed(1).padStart(7)} calls/s   p50 ${x.p50.toFixed(0).padStart(5)} ms   p99 ${x.p99.toFixed(0).padStart(6)} ms   ${(x.perSecond / baseline).toFixed(2)} × baseline${x.failures ? `   ${x.failures} failed` : ''}`;
    console.log(
      `\nCallables through the functions emulator: ${CALLS} calls per function and round, ${CALLERS} in flight (${os.cpus().length} CPUs, Node ${process.version})`,
    );
    for (let r = 0; r < ROUNDS; r++) {
      const of = rounds.slice(r * FUNCTIONS.length, (r + 1) * FUNCTIONS.length);
      const baseline = of[0]?.perSecond ?? NaN;
      console.log(`round ${r + 1}`);
      for (const x of of) console.log(line(x.fn, x, baseline));
    }
    const med = (fn: Fn): Round => {
      const xs = rounds.filter((x) => x.fn === fn);
      return {
        fn,
        seconds: median(xs.map((x) => x.seconds)),
        perSecond: median(xs.map((x) => x.perSecond)),
        p50: median(xs.map((x) => x.p50)),
        p99: median(xs.map((x) => x.p99)),
        failures: xs.reduce((n, x) => n + x.failures, 0),
      };
    };
    const baseline = med('benchBaseline').perSecond;
    console.log('median of the rounds');
    for (const fn of FUNCTIONS) console.log(line(fn, med(fn), baseline));
    const health = med('health').perSecond / baseline;
    console.log(`\nhealth / baseline = ${health.toFixed(2)} (target ≥ 0.5)`);
    return rounds.some((x) => x.failures > 0) ? 1 : 0;
  } catch (err) {
    console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  } finally {
    await fb?.close();
    await suite?.stop();
  }
}

process.exitCode = await main();
