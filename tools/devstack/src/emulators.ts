import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFirestoreEmulator, FIRESTORE_INSTALL_HINT } from './firestore-jar.js';
import { findJava, MissingToolError } from './java.js';
import { DEMO_PROJECT_ID, repoRoot, stackCacheDir } from './paths.js';
import { freePorts } from './ports.js';
import { killGroup, startWatchdog } from './processes.js';

export type EmulatorName = 'auth' | 'firestore' | 'functions';

export interface EmulatorSuite {
  projectId: string;
  /** host:port values, as the SDKs expect them in FIRESTORE_EMULATOR_HOST and friends. */
  firestoreHost: string;
  authHost?: string;
  /** http://127.0.0.1:port of the functions emulator. */
  functionsOrigin?: string;
  hubHost: string;
  /** Environment a client of these emulators needs (admin SDK, rules tests, CLIs). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export interface StartOptions {
  only?: EmulatorName[];
  projectId?: string;
  /** Fixed ports (npm start) instead of free ones (tests). */
  ports?: Partial<Record<EmulatorName | 'hub', number>>;
  /** Where firebase-tools' own output goes; defaults to a log file in the cache folder. */
  output?: 'inherit' | 'log';
  timeoutMs?: number;
  /** Extra variables for the emulator processes (the functions' params and secrets, say). */
  extraEnv?: Record<string, string>;
  /** Serve the Emulator UI on this port, if its files are already cached (it is a download otherwise). */
  uiPort?: number;
  /**
   * Parameters for the functions that override functions/.env* for this run only (say, an API
   * origin pointing at a stand-in). The emulator reads parameters from files, and only from the
   * functions' config folder: the run gets a folder of its own with copies of those files and
   * these values on top (see functionsConfigDir).
   */
  functionsParams?: Record<string, string>;
}

/**
 * A config folder for the functions of one emulator run: functions/.env* copied, `params` written
 * over them in .env.local (the file the emulator reads last). Returns it relative to the repository
 * root, as firebase.json's `configDir` wants it. Secrets still come from functions/.secret.local.
 */
export function functionsConfigDir(root: string, name: string, params: Record<string, string>): string {
  const source = path.join(root, 'functions');
  const dir = path.join(stackCacheDir(), `functions-config-${name}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(source)) if (/^\.env(\..+)?$/.test(f)) fs.copyFileSync(path.join(source, f), path.join(dir, f));
  const local = path.join(dir, '.env.local');
  const kept = fs.existsSync(local)
    ? fs
        .readFileSync(local, 'utf8')
        .split('\n')
        .filter((line) => !Object.keys(params).some((k) => line.startsWith(`${k}=`)))
    : [];
  fs.writeFileSync(local, [...kept.filter((l) => l.trim()), ...Object.entries(params).map(([k, v]) => `${k}=${v}`)].join('\n') + '\n');
  return path.relative(root, dir);
}

/** The Emulator UI is a zip firebase-tools downloads on first use: offline, only a cached copy works. */
export function emulatorUiCached(): boolean {
  const dir = process.env.FIREBASE_EMULATORS_PATH ?? path.join(os.homedir(), '.cache', 'firebase', 'emulators');
  return fs.existsSync(dir) && fs.readdirSync(dir).some((f) => /^ui-v[\d.]+$/.test(f) && fs.statSync(path.join(dir, f)).isDirectory());
}

/** The environment firebase-tools needs to run offline: Java 21+ first on PATH and the emulator jar. */
export function emulatorToolEnv(): Record<string, string> {
  const java = findJava();
  const cache = stackCacheDir();
  const binary = findFirestoreEmulator(java, cache);
  if (!binary) throw new MissingToolError(FIRESTORE_INSTALL_HINT);
  return {
    JAVA_HOME: java.home,
    PATH: `${java.bin}${path.delimiter}${process.env.PATH ?? ''}`,
    FIRESTORE_EMULATOR_BINARY_PATH: binary.path,
    // Skip the metadata-server probe (and its warning) the auth library makes on first use.
    METADATA_SERVER_DETECTION: 'none',
  };
}

const noKeepAlive = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'no-keepalive.cjs');

function firebaseBin(root: string): string {
  const bin = path.join(root, 'node_modules', 'firebase-tools', 'lib', 'bin', 'firebase.js');
  if (!fs.existsSync(bin)) throw new MissingToolError('firebase-tools is not installed: run `npm ci` at the repository root.');
  return bin;
}

/**
 * Start the Auth, Firestore and Functions emulators with firebase-tools, offline, on free ports
 * (or the given ones). Resolves once every emulator answers and the functions are loaded.
 */
export async function startEmulators(opts: StartOptions = {}): Promise<EmulatorSuite> {
  const only = opts.only ?? ['auth', 'firestore', 'functions'];
  const projectId = opts.projectId ?? DEMO_PROJECT_ID;
  const root = repoRoot();
  const toolEnv = emulatorToolEnv();

  const [pHub, pFs, pAuth, pFn, pLog] = await freePorts(5);
  const ports = {
    hub: opts.ports?.hub ?? pHub,
    firestore: opts.ports?.firestore ?? pFs,
    auth: opts.ports?.auth ?? pAuth,
    functions: opts.ports?.functions ?? pFn,
  };

  // firebase-tools takes ports only from its config file, and resolves paths from that file's
  // folder: write a copy of firebase.json beside it with this run's ports.
  const base = JSON.parse(fs.readFileSync(path.join(root, 'firebase.json'), 'utf8')) as Record<string, unknown>;
  const configDir = opts.functionsParams ? functionsConfigDir(root, String(ports.hub), opts.functionsParams) : undefined;
  const functionsConfig = configDir && Array.isArray(base.functions) ? (base.functions as object[]).map((f) => ({ ...f, configDir })) : base.functions;
  const config = {
    ...base,
    functions: functionsConfig,
    emulators: {
      singleProjectMode: true,
      ui: opts.uiPort !== undefined && emulatorUiCached() ? { enabled: true, host: '127.0.0.1', port: opts.uiPort } : { enabled: false },
      hub: { host: '127.0.0.1', port: ports.hub },
      logging: { host: '127.0.0.1', port: pLog },
      firestore: { host: '127.0.0.1', port: ports.firestore },
      auth: { host: '127.0.0.1', port: ports.auth },
      functions: { host: '127.0.0.1', port: ports.functions },
    },
  };
  const configName = `firebase.emulators.${process.pid}.${ports.hub}.json`;
  const configPath = path.join(root, configName);
  fs.writeFileSync(configPath, JSON.stringify(config, null, 2));

  const logDir = stackCacheDir();
  fs.mkdirSync(logDir, { recursive: true });
  const logPath = path.join(logDir, `emulators-${ports.hub}.log`);
  const logFd = opts.output === 'inherit' ? null : fs.openSync(logPath, 'w');

  const child = spawn(process.execPath, [firebaseBin(root), 'emulators:start', '--project', projectId, '--config', configName, '--only', only.join(',')], {
    cwd: root,
    detached: true,
    env: {
      ...process.env,
      ...toolEnv,
      // A burst of concurrent requests makes the functions emulator start one Node worker per
      // request; on a small machine loading 20 at once takes longer than its 30 s default, and a
      // worker that misses it leaves its request hanging. Give loading (and discovery) 2 minutes.
      FUNCTIONS_DISCOVERY_TIMEOUT: process.env.FUNCTIONS_DISCOVERY_TIMEOUT ?? '120',
      // No keep-alive between the emulator and its workers (see bin/no-keepalive.cjs).
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(noKeepAlive)}`.trim(),
      ...(opts.extraEnv ?? {}),
      CI: 'true',
      FORCE_COLOR: '0',
    },
    stdio: ['ignore', 'pipe', logFd === null ? 'inherit' : logFd],
  });
  if (child.pid === undefined) throw new Error('could not start firebase-tools');
  const pid = child.pid;
  const watchdog = startWatchdog({ groups: [pid] });

  let output = '';
  // A property, not a local: the exit handler sets it while the loop below waits.
  const status: { exited: number | null } = { exited: null };
  child.stdout?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    if (logFd !== null) fs.writeSync(logFd, text);
    else process.stdout.write(text);
  });
  child.on('exit', (code) => {
    status.exited = code ?? -1;
  });

  const stop = async (): Promise<void> => {
    await killGroup(pid);
    watchdog.kill();
    if (logFd !== null) fs.closeSync(logFd);
    fs.rmSync(configPath, { force: true });
    if (configDir) fs.rmSync(path.join(root, configDir), { recursive: true, force: true });
  };

  const timeoutMs = opts.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (output.includes('All emulators ready')) break;
      if (status.exited !== null) throw new Error(`firebase emulators exited with ${status.exited} before they were ready:\n${tail(output)}`);
      if (Date.now() > deadline) throw new Error(`firebase emulators not ready after ${timeoutMs} ms:\n${tail(output)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    if (only.includes('functions') && /Failed to load function definition|Error: Failed to load/i.test(output)) {
      throw new Error(`the functions did not load:\n${tail(output)}`);
    }
  } catch (err) {
    await stop();
    throw err;
  }

  const firestoreHost = `127.0.0.1:${ports.firestore}`;
  const env: Record<string, string> = {
    GCLOUD_PROJECT: projectId,
    FIREBASE_PROJECT_ID: projectId,
    FIRESTORE_EMULATOR_HOST: firestoreHost,
    FIREBASE_EMULATOR_HUB: `127.0.0.1:${ports.hub}`,
    METADATA_SERVER_DETECTION: 'none',
  };
  const suite: EmulatorSuite = { projectId, firestoreHost, hubHost: `127.0.0.1:${ports.hub}`, env, stop };
  if (only.includes('auth')) {
    suite.authHost = `127.0.0.1:${ports.auth}`;
    env.FIREBASE_AUTH_EMULATOR_HOST = suite.authHost;
  }
  if (only.includes('functions')) {
    suite.functionsOrigin = `http://127.0.0.1:${ports.functions}`;
    env.FUNCTIONS_EMULATOR_ORIGIN = suite.functionsOrigin;
  }
  return suite;
}

function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}
