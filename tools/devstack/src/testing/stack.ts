/**
 * The local stack of the integration tests: a throwaway PostgreSQL 15 with the Supabase schema in
 * a template database, the stand-in proxy, and the Auth, Firestore and Functions emulators. The
 * vitest global setup starts one per run; `npm run stack` starts one and leaves it up, and a vitest
 * run started while it is up uses it instead of paying the start-up again (the inner loop: one
 * integration file in well under a minute).
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startEmulators, type EmulatorSuite } from '../emulators.js';
import { repoRoot, stackCacheDir } from '../paths.js';
import { startPostgres, type PostgresServer } from '../postgres.js';
import { syncLocalSecrets } from '../secrets.js';
import { startStandInProxy, type StandInProxy } from '../standin-proxy.js';
import { createTemplateDatabase, TEMPLATE_DB_ENV } from './postgres.js';

/**
 * Parameters of the functions that point at outside services: in the emulator of a test run they
 * go through the stand-in proxy, which each test file routes to the stand-in it starts, by the
 * request path's first segment. Stripe's SDK takes a host and port, not a base path: its requests
 * arrive as /v1/…, so a test routes `v1` to its Stripe stand-in.
 */
const STAND_IN_PARAMS: Record<string, string> = { RESEND_API_BASE: '/resend', GEMINI_API_BASE: '/gemini', CAL_API_BASE: '/cal', STRIPE_API_BASE: '' };

export interface TestStack {
  /** What a test process needs to find the stack (DATABASE_URL, emulator hosts, the proxy, …). */
  env: Record<string, string>;
  summary: string;
  stop(): Promise<void>;
}

export async function startTestStack(): Promise<TestStack> {
  // The functions emulator reads the functions' secrets from functions/.secret.local: as `npm start`
  // does, create it from the committed example (fake values) or add the secrets it lacks. Tests sign
  // webhook deliveries with whatever that file holds.
  syncLocalSecrets(repoRoot());
  const proxy: StandInProxy = await startStandInProxy();
  const functionsParams = Object.fromEntries(Object.entries(STAND_IN_PARAMS).map(([param, suffix]) => [param, `${proxy.origin}${suffix}`]));
  const givenEmulators = Boolean(process.env.FIRESTORE_EMULATOR_HOST);
  const [pg, emulators]: [PostgresServer, EmulatorSuite | undefined] = await Promise.all([
    startPostgres(),
    // Five minutes: on a loaded two-core machine loading the functions alone can take two.
    givenEmulators ? Promise.resolve(undefined) : startEmulators({ functionsParams, timeoutMs: 300_000 }),
  ]);
  const env: Record<string, string> = {
    ZG_STANDIN_PROXY: proxy.origin,
    DATABASE_URL: pg.url,
    [TEMPLATE_DB_ENV]: await createTemplateDatabase(pg),
    METADATA_SERVER_DETECTION: 'none',
    ...(emulators?.env ?? {}),
  };
  const where = emulators
    ? `started (firestore ${emulators.firestoreHost}, auth ${emulators.authHost}, functions ${emulators.functionsOrigin})`
    : `given (firestore ${process.env.FIRESTORE_EMULATOR_HOST ?? ''})`;
  return {
    env,
    summary: `PostgreSQL ${pg.owned ? 'started' : 'given'} at ${pg.url}; emulators ${where}`,
    stop: async () => {
      await Promise.allSettled([emulators?.stop(), pg.stop(), proxy.stop()]);
    },
  };
}

/** Where `npm run stack` says what it started, for the test runs that come while it is up. */
export function runningStackFile(): string {
  return path.join(stackCacheDir(), 'running-stack.json');
}

interface StackRecord {
  pid: number;
  env: Record<string, string>;
}

function reachable(hostPort: string): Promise<boolean> {
  const [host = '127.0.0.1', port = '0'] = hostPort.split(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/** The env of a stack `npm run stack` holds up, if its process lives and its Firestore answers. */
export async function runningStack(): Promise<Record<string, string> | undefined> {
  let record: StackRecord;
  try {
    record = JSON.parse(fs.readFileSync(runningStackFile(), 'utf8')) as StackRecord;
  } catch {
    return undefined;
  }
  try {
    process.kill(record.pid, 0);
  } catch {
    return undefined;
  }
  const firestore = record.env.FIRESTORE_EMULATOR_HOST;
  return firestore && (await reachable(firestore)) ? record.env : undefined;
}

export function recordRunningStack(env: Record<string, string>): void {
  fs.mkdirSync(stackCacheDir(), { recursive: true });
  fs.writeFileSync(runningStackFile(), JSON.stringify({ pid: process.pid, env } satisfies StackRecord, null, 2));
}

export function forgetRunningStack(): void {
  fs.rmSync(runningStackFile(), { force: true });
}
