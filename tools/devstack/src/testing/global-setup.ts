/**
 * vitest global setup: the real local stack for the whole test run. Starts a throwaway PostgreSQL 15
 * (unless DATABASE_URL is given) with the Supabase schema in a template database, and the Auth,
 * Firestore and Functions emulators (unless FIRESTORE_EMULATOR_HOST is given). Anything missing is
 * an error that names what to install: integration tests never pass by being skipped.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startEmulators, type EmulatorSuite } from '../emulators.js';
import { repoRoot } from '../paths.js';
import { startPostgres, type PostgresServer } from '../postgres.js';
import { leftovers, workingTreeEntries } from './leftovers.js';
import { createTemplateDatabase, TEMPLATE_DB_ENV } from './postgres.js';

let pg: PostgresServer | undefined;
let emulators: EmulatorSuite | undefined;
let treeBefore: Set<string> | null = null;

function buildWorkspaces(): void {
  // The functions emulator loads functions/lib: make sure it is the current code.
  const root = repoRoot();
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const res = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) throw new Error('the build failed: the functions cannot be loaded into the emulator');
}

/**
 * The functions emulator reads the functions' secrets from functions/.secret.local: create it from
 * the committed example (fake values) when missing, as `npm start` does. Tests sign webhook
 * deliveries with whatever that file holds.
 */
function ensureFunctionsSecrets(): void {
  const local = path.join(repoRoot(), 'functions', '.secret.local');
  const example = path.join(repoRoot(), 'functions', '.secret.local.example');
  if (!fs.existsSync(local) && fs.existsSync(example)) fs.copyFileSync(example, local);
}

export async function setup(): Promise<void> {
  const t0 = Date.now();
  treeBefore = workingTreeEntries(repoRoot());
  buildWorkspaces();
  ensureFunctionsSecrets();
  const [server, suite] = await Promise.all([startPostgres(), process.env.FIRESTORE_EMULATOR_HOST ? Promise.resolve(undefined) : startEmulators()]);
  pg = server;
  emulators = suite;
  process.env.DATABASE_URL = pg.url;
  process.env[TEMPLATE_DB_ENV] = await createTemplateDatabase(pg);
  if (emulators) Object.assign(process.env, emulators.env);
  process.env.METADATA_SERVER_DETECTION = 'none';
  console.log(
    `[stack] PostgreSQL ${pg.owned ? 'started' : 'given'} at ${pg.url}; emulators ${emulators ? `started (firestore ${emulators.firestoreHost}, auth ${emulators.authHost}, functions ${emulators.functionsOrigin})` : `given (firestore ${process.env.FIRESTORE_EMULATOR_HOST})`} in ${Date.now() - t0} ms`,
  );
}

export async function teardown(): Promise<void> {
  await Promise.allSettled([emulators?.stop(), pg?.stop()]);
  // A throw here is only printed by vitest: the exit code is how the run fails.
  const after = treeBefore && workingTreeEntries(repoRoot());
  const left = treeBefore && after ? leftovers(treeBefore, after) : [];
  if (left.length) {
    console.error(`\n[stack] the test run left files in the repository (write them to a temp or cache folder and remove them):\n  ${left.join('\n  ')}`);
    process.exitCode = 1;
  }
}
