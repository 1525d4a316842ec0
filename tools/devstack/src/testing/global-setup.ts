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
import { startStandInProxy, type StandInProxy } from '../standin-proxy.js';
import { leftovers, workingTreeEntries } from './leftovers.js';
import { createTemplateDatabase, TEMPLATE_DB_ENV } from './postgres.js';

let pg: PostgresServer | undefined;
let emulators: EmulatorSuite | undefined;
let proxy: StandInProxy | undefined;
let treeBefore: Set<string> | null = null;

/**
 * Parameters of the functions that point at outside services: in the emulator of a test run they
 * go through the stand-in proxy, which each test file routes to the stand-in it starts, by the
 * request path's first segment. Stripe's SDK takes a host and port, not a base path: its requests
 * arrive as /v1/…, so a test routes `v1` to its Stripe stand-in.
 */
const STAND_IN_PARAMS: Record<string, string> = { RESEND_API_BASE: '/resend', GEMINI_API_BASE: '/gemini', STRIPE_API_BASE: '' };

function buildWorkspaces(): void {
  // The functions emulator loads functions/lib: make sure it is the current code.
  const root = repoRoot();
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const res = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) throw new Error('the build failed: the functions cannot be loaded into the emulator');
}

export async function setup(): Promise<void> {
  const t0 = Date.now();
  treeBefore = workingTreeEntries(repoRoot());
  buildWorkspaces();
  // The functions emulator reads the functions' secrets from functions/.secret.local: as `npm start`
  // does, create it from the committed example (fake values) or add the secrets it lacks. Tests sign
  // webhook deliveries with whatever that file holds.
  syncLocalSecrets(repoRoot());
  proxy = await startStandInProxy();
  process.env.ZG_STANDIN_PROXY = proxy.origin;
  const functionsParams = Object.fromEntries(Object.entries(STAND_IN_PARAMS).map(([param, suffix]) => [param, `${proxy?.origin ?? ''}${suffix}`]));
  const [server, suite] = await Promise.all([
    startPostgres(),
    // Five minutes: on a loaded two-core machine loading the functions alone can take two.
    process.env.FIRESTORE_EMULATOR_HOST ? Promise.resolve(undefined) : startEmulators({ functionsParams, timeoutMs: 300_000 }),
  ]);
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
  await Promise.allSettled([emulators?.stop(), pg?.stop(), proxy?.stop()]);
  // A throw here is only printed by vitest: the exit code is how the run fails.
  const after = treeBefore && workingTreeEntries(repoRoot());
  const left = treeBefore && after ? leftovers(treeBefore, after) : [];
  if (left.length) {
    console.error(`\n[stack] the test run left files in the repository (write them to a temp or cache folder and remove them):\n  ${left.join('\n  ')}`);
    process.exitCode = 1;
  }
}
