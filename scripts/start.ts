/**
 * `npm start`, the main job: build the functions, start the Auth, Firestore and Functions
 * emulators with them loaded (offline), fill Firestore with demo data, check the health callable,
 * print what a web developer points the app at, then stream the functions' logs.
 *
 * Stopping: SIGINT (Ctrl-C), SIGTERM or SIGHUP to this script or to the npm above it stops
 * everything within seconds (npm forwards SIGINT and SIGTERM: the package.json script `exec`s
 * node so that no shell sits between them). If npm dies without a word (SIGHUP, SIGKILL), the
 * devstack watchdog, which watches npm too, stops the emulators and this script.
 *
 * Flags: `--free-ports` puts every emulator on a free port instead of firebase.json's; `--once`
 * stops after printing the URLs (the smoke test).
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import {
  DEMO_PROJECT_ID,
  followFunctionLogs,
  launcherChain,
  PortInUseError,
  repoRoot,
  stackCacheDir,
  startEmulators,
  type EmulatorSuite,
  type LogFollower,
  type PortName,
} from '@zhengrowth/devstack';
import { portInUseMessage, printUrls, step } from './start/messages.js';
import { seedDemoData } from './start/seed.js';

const root = repoRoot();

const args = new Set(process.argv.slice(2));
for (const a of args) {
  if (a !== '--free-ports' && a !== '--once') {
    console.error(`npm start: unknown option ${a} (known: --free-ports, --once)`);
    process.exit(2);
  }
}

// ---- stopping: whatever phase we are in ----
let building: ChildProcess | undefined;
let suite: EmulatorSuite | undefined;
let logs: LogFollower | undefined;
let stopping = false;

async function stopAll(code: number, why?: string): Promise<never> {
  if (!stopping) {
    stopping = true;
    const t0 = Date.now();
    if (why) console.log(`\n${why}: stopping everything npm start started…`);
    logs?.stop();
    building?.kill('SIGTERM');
    // Before the emulators exist there is nothing to wait for: the devstack watchdogs stop what
    // is half started (PostgreSQL, firebase-tools) when this process ends.
    await suite?.stop();
    if (why) console.log(`Stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
  }
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(0, signal));
// After SIGHUP the terminal may be gone: a failed write must not end the process before it stops the rest.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

function build(): Promise<void> {
  step('Building the workspaces (tsc -b)');
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  building = spawn(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    building?.on('exit', (code) => {
      building = undefined;
      if (code === 0) resolve();
      else reject(new Error('the build failed'));
    });
  });
}

/** The functions emulator reads secrets from functions/.secret.local; start from the example's fake values. */
function ensureLocalSecrets(): void {
  const local = path.join(root, 'functions', '.secret.local');
  const example = path.join(root, 'functions', '.secret.local.example');
  if (!fs.existsSync(local) && fs.existsSync(example)) {
    fs.copyFileSync(example, local);
    console.log('  created functions/.secret.local from .secret.local.example (fake values: fine for the emulators)');
  }
}

type EmulatorConfig = Record<string, { port?: number; websocketPort?: number } | undefined>;

/** firebase.json's ports, every one of them (npm start checks them all before starting). */
function configuredPorts(): Partial<Record<PortName, number>> {
  const config = (JSON.parse(fs.readFileSync(path.join(root, 'firebase.json'), 'utf8')) as { emulators: EmulatorConfig }).emulators;
  return {
    hub: config.hub?.port,
    logging: config.logging?.port,
    firestore: config.firestore?.port,
    firestoreWebsocket: config.firestore?.websocketPort,
    auth: config.auth?.port,
    functions: config.functions?.port,
    eventarc: config.eventarc?.port,
    tasks: config.tasks?.port,
    ui: config.ui?.port ?? 4000,
  };
}

async function callHealth(s: EmulatorSuite): Promise<unknown> {
  const res = await fetch(`${s.functionsOrigin}/${s.projectId}/us-central1/health`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data: {} }),
  });
  if (!res.ok) throw new Error(`health answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { result: unknown }).result;
}

async function main(): Promise<void> {
  await build();
  ensureLocalSecrets();
  step('Starting the Auth, Firestore and Functions emulators');
  const freePorts = args.has('--free-ports');
  suite = await startEmulators({
    projectId: DEMO_PROJECT_ID,
    ports: freePorts ? {} : configuredPorts(),
    // The last npm start's logs stay readable after it stops; free-port runs (tests, a second
    // stack) keep theirs in their temp folder, removed with it.
    logDir: freePorts ? undefined : path.join(stackCacheDir(), 'npm-start'),
    watch: launcherChain(),
    stopGraceMs: 5000,
    // A first start on a slow or busy laptop can take minutes (loading the functions): wait.
    timeoutMs: 300_000,
  });
  Object.assign(process.env, suite.env);
  step('Filling Firestore and Auth with demo data');
  const seeded = await seedDemoData(suite);
  step('Calling the health callable');
  console.log(`  ${JSON.stringify(await callHealth(suite))}`);
  printUrls(suite, seeded);
  if (args.has('--once')) await stopAll(0);
  logs = followFunctionLogs(suite.loggingHost, (line) => console.log(`  ${line}`));
  // Stay up until a signal.
  setInterval(() => undefined, 1 << 30);
}

try {
  await main();
} catch (err) {
  // After a signal, stopAll is already ending everything (and the failure is its doing).
  if (!stopping) {
    if (err instanceof PortInUseError) console.error(`\n${portInUseMessage(err)}`);
    else console.error(`\nnpm start failed: ${(err as Error).message}`);
    await stopAll(1);
  }
}
