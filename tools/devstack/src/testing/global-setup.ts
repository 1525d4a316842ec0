/**
 * vitest global setup: the real local stack for the whole test run. Starts a throwaway PostgreSQL 15
 * (unless DATABASE_URL is given) with the Supabase schema in a template database, and the Auth,
 * Firestore and Functions emulators (unless FIRESTORE_EMULATOR_HOST is given). Anything missing is
 * an error that names what to install: integration tests never pass by being skipped.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startEmulators, type EmulatorSuite } from '../emulators.js';
import { repoRoot } from '../paths.js';
import { syncLocalSecrets } from '../secrets.js';
import { startPostgres, type PostgresServer } from '../postgres.js';
import { createTemplateDatabase, TEMPLATE_DB_ENV } from './postgres.js';

let pg: PostgresServer | undefined;
let emulators: EmulatorSuite | undefined;

function buildWorkspaces(): void {
  // The functions emulator loads functions/lib: make sure it is the current code.
  const root = repoRoot();
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const res = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) throw new Error('the build failed: the functions cannot be loaded into the emulator');
}

/**
 * The functions emulator reads the functions' secrets from functions/.secret.local: create it from
 * the committed example (fake values), or add the secrets it lacks, as `npm start` does. Tests sign
 * webhook deliveries with whatever that file holds.
 */
function ensureFunctionsSecrets(): void {
  syncLocalSecrets(repoRoot());
}

export async function setup(): Promise<void> {
  const t0 = Date.now();
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
}
