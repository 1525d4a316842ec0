/**
 * `npm start`, the main job: build the functions, start the Auth, Firestore and Functions
 * emulators with them loaded (offline), fill Firestore with demo data, check the health callable,
 * and print what a web developer points the app at. Ctrl-C stops everything.
 *
 * Flags (for the smoke test): `--free-ports` instead of firebase.json's ports, `--once` to stop
 * after printing the URLs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { DEMO_PROJECT_ID, repoRoot, startEmulators, syncLocalSecrets, type EmulatorSuite } from '@zhengrowth/devstack';
import { seedDemoData } from './start/seed.js';

const root = repoRoot();

function step(msg: string): void {
  console.log(`\n▶ ${msg}`);
}

function build(): void {
  step('Building the workspaces (tsc -b)');
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const res = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) throw new Error('the build failed');
}

/** The functions emulator reads secrets from functions/.secret.local; start from (or complete with) the example's fake values. */
function ensureLocalSecrets(): void {
  const added = syncLocalSecrets(root);
  if (added.length) console.log(`  functions/.secret.local: added ${added.join(', ')} from .secret.local.example (fake values: fine for the emulators)`);
}

interface FirebaseJson {
  emulators: Record<string, { port?: number }>;
}

async function callHealth(suite: EmulatorSuite): Promise<unknown> {
  const res = await fetch(`${suite.functionsOrigin}/${suite.projectId}/us-central1/health`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data: {} }),
  });
  if (!res.ok) throw new Error(`health answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { result: unknown }).result;
}

function printUrls(suite: EmulatorSuite, seeded: string): void {
  const [fsHost, fsPort] = suite.firestoreHost.split(':');
  const [authHost, authPort] = (suite.authHost ?? '').split(':');
  const fn = `${suite.functionsOrigin}/${suite.projectId}/us-central1`;
  console.log(`
ZhenGrowth backend is running (project ${suite.projectId}, offline emulators).

  Firestore emulator   ${suite.firestoreHost}
  Auth emulator        http://${suite.authHost}
  Functions emulator   ${suite.functionsOrigin}
  Health callable      ${fn}/health
  Webhooks             ${fn}/stripeWebhook  ${fn}/airwallexWebhook  ${fn}/calWebhook
  Demo data            ${seeded}

Point the web app at them (Firebase web SDK):
  initializeApp({ projectId: '${suite.projectId}', apiKey: 'demo-key', authDomain: '${suite.projectId}.firebaseapp.com' });
  connectFirestoreEmulator(getFirestore(), '${fsHost}', ${fsPort});
  connectAuthEmulator(getAuth(), 'http://${authHost}:${authPort}');
  connectFunctionsEmulator(getFunctions(), '127.0.0.1', ${new URL(suite.functionsOrigin ?? 'http://x:0').port});

Press Ctrl-C to stop.`);
}

const args = new Set(process.argv.slice(2));
for (const a of args) {
  if (a !== '--free-ports' && a !== '--once') {
    console.error(`npm start: unknown option ${a} (known: --free-ports, --once)`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  build();
  ensureLocalSecrets();
  const config = JSON.parse(fs.readFileSync(path.join(root, 'firebase.json'), 'utf8')) as FirebaseJson;
  const port = (name: string): number | undefined => config.emulators[name]?.port;

  step('Starting the Auth, Firestore and Functions emulators');
  const suite = await startEmulators({
    projectId: DEMO_PROJECT_ID,
    ports: args.has('--free-ports') ? {} : { hub: port('hub'), firestore: port('firestore'), auth: port('auth'), functions: port('functions') },
    uiPort: args.has('--free-ports') ? undefined : (port('ui') ?? 4000),
  });
  let stopping = false;
  const stopAll = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      console.log('\nStopping the emulators…');
      await suite.stop();
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    Object.assign(process.env, suite.env);
    step('Filling Firestore and Auth with demo data');
    const seeded = await seedDemoData(suite);
    step('Calling the health callable');
    console.log(`  ${JSON.stringify(await callHealth(suite))}`);
    printUrls(suite, seeded);
  } catch (err) {
    console.error(`\nnpm start failed: ${(err as Error).message}`);
    await stopAll(1);
  }
  if (args.has('--once')) await stopAll(0);
  // Stay up until Ctrl-C.
  setInterval(() => undefined, 1 << 30);
}

await main();
