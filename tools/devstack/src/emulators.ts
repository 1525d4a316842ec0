import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFirestoreEmulator, FIRESTORE_INSTALL_HINT } from './firestore-jar.js';
import { findJava, MissingToolError } from './java.js';
import { prepareRun, type ExtraCodebase } from './emulator-run.js';
import { DEMO_PROJECT_ID, repoRoot, stackCacheDir } from './paths.js';
import { assertPortsFree } from './port-holder.js';
import { freePorts } from './ports.js';
import { killGroup, startWatchdog } from './processes.js';

export type EmulatorName = 'auth' | 'firestore' | 'functions';

/** Every port the suite opens (the Emulator UI only when its files are cached). */
export type PortName = 'hub' | 'logging' | 'auth' | 'firestore' | 'firestoreWebsocket' | 'functions' | 'eventarc' | 'tasks' | 'ui';

export const PORT_PURPOSES: Readonly<Record<PortName, string>> = {
  hub: 'Emulator Suite hub',
  logging: 'emulator log stream',
  auth: 'Auth emulator',
  firestore: 'Firestore emulator',
  firestoreWebsocket: 'Firestore emulator websocket',
  functions: 'Functions emulator',
  eventarc: 'Eventarc emulator (started with the functions)',
  tasks: 'Cloud Tasks emulator (started with the functions)',
  ui: 'Emulator UI',
};

export interface EmulatorSuite {
  projectId: string;
  /** host:port values, as the SDKs expect them in FIRESTORE_EMULATOR_HOST and friends. */
  firestoreHost: string;
  authHost?: string;
  /** http://127.0.0.1:port of the functions emulator. */
  functionsOrigin?: string;
  hubHost: string;
  /** host:port of the logging emulator (a websocket of every log entry; see followFunctionLogs). */
  loggingHost: string;
  /** The ports this suite listens on. */
  ports: Partial<Record<PortName, number>>;
  /** firebase-tools' output (emulators.log) and the emulators' debug logs are in this folder. */
  logDir: string;
  logFile: string;
  /** Environment a client of these emulators needs (admin SDK, rules tests, CLIs). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export interface StartOptions {
  only?: EmulatorName[];
  projectId?: string;
  /**
   * Fixed ports (npm start: firebase.json's) instead of free ones (tests); checked before
   * anything starts (PortInUseError names the holder). `ui` turns the Emulator UI on, if cached.
   */
  ports?: Partial<Record<PortName, number>>;
  /** Where firebase-tools' own output goes; defaults to emulators.log in the log folder. */
  output?: 'inherit' | 'log';
  timeoutMs?: number;
  /** Extra variables for the emulator processes (the functions' params and secrets, say). */
  extraEnv?: Record<string, string>;
  /**
   * Keep the logs in this folder (emptied first) after stop(); by default they live in the run's
   * temp folder and go with it.
   */
  logDir?: string;
  /** Processes whose end stops the suite and this process too (see launcherChain). */
  watch?: number[];
  /** How long stop() lets firebase-tools shut down before it kills what is left. */
  stopGraceMs?: number;
  /**
   * Parameters of the functions that override functions/.env* for this run only (say, an API
   * origin pointing at a stand-in): written over the run's copies of those files (see prepareRun).
   */
  functionsParams?: Record<string, string>;
  /**
   * More functions codebases for this run only (source relative to the repository), served beside
   * ours and never deployed: a benchmark's baseline, say.
   */
  extraCodebases?: ExtraCodebase[];
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

/** The ports to open: the fixed ones asked for, free ones for the rest; only those `only` needs. */
async function choosePorts(only: EmulatorName[], fixed: Partial<Record<PortName, number>>): Promise<Partial<Record<PortName, number>>> {
  const wanted: PortName[] = ['hub', 'logging'];
  if (only.includes('firestore')) wanted.push('firestore', 'firestoreWebsocket');
  if (only.includes('auth')) wanted.push('auth');
  // firebase-tools starts the Eventarc and Cloud Tasks emulators with the functions, each on a port.
  if (only.includes('functions')) wanted.push('functions', 'eventarc', 'tasks');
  if (fixed.ui !== undefined && emulatorUiCached()) wanted.push('ui');
  await assertPortsFree(wanted.filter((n) => fixed[n] !== undefined).map((n) => ({ port: fixed[n] as number, purpose: PORT_PURPOSES[n] })));
  const free = await freePorts(wanted.length);
  return Object.fromEntries(wanted.map((n, i) => [n, fixed[n] ?? free[i]]));
}

function emulatorsConfig(ports: Partial<Record<PortName, number>>): Record<string, unknown> {
  const at = (port: number | undefined): { host: string; port: number | undefined } => ({ host: '127.0.0.1', port });
  return {
    singleProjectMode: true,
    ui: ports.ui !== undefined ? { enabled: true, ...at(ports.ui) } : { enabled: false },
    hub: at(ports.hub),
    logging: at(ports.logging),
    ...(ports.firestore !== undefined ? { firestore: { ...at(ports.firestore), websocketPort: ports.firestoreWebsocket } } : {}),
    ...(ports.auth !== undefined ? { auth: at(ports.auth) } : {}),
    ...(ports.functions !== undefined ? { functions: at(ports.functions), eventarc: at(ports.eventarc), tasks: at(ports.tasks) } : {}),
  };
}

/**
 * Start the Auth, Firestore and Functions emulators with firebase-tools, offline, on free ports
 * (or the given ones). Resolves once every emulator answers and the functions are loaded. Nothing
 * is written into the repository: see EmulatorRun.
 */
export async function startEmulators(opts: StartOptions = {}): Promise<EmulatorSuite> {
  const only = opts.only ?? ['auth', 'firestore', 'functions'];
  const projectId = opts.projectId ?? DEMO_PROJECT_ID;
  const root = repoRoot();
  const toolEnv = emulatorToolEnv();
  const ports = await choosePorts(only, opts.ports ?? {});
  const run = prepareRun(root, emulatorsConfig(ports), opts.logDir, opts.functionsParams, opts.extraCodebases);
  const logFd = opts.output === 'inherit' ? null : fs.openSync(run.logFile, 'w');

  const child = spawn(process.execPath, [firebaseBin(root), 'emulators:start', '--project', projectId, '--config', run.configPath, '--only', only.join(',')], {
    // firebase-debug.log and firestore-debug.log land in the working folder.
    cwd: run.logDir,
    detached: true,
    env: {
      ...process.env,
      ...toolEnv,
      // The functions emulator's worker sockets (fire_emu_*.sock) go to the run's own temp folder.
      TMPDIR: run.tmpDir,
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
  if (child.pid === undefined) {
    run.remove();
    throw new Error('could not start firebase-tools');
  }
  const pid = child.pid;
  const watchdog = startWatchdog({ groups: [pid], dirs: [run.dir], watch: opts.watch ?? [] });

  let output = '';
  // A property, not a local: the exit handler sets it while the loop below waits.
  const status: { exited: number | null } = { exited: null };
  // Output can still arrive after stop() closed the log (the pipe drains after the kill): once
  // closed, the descriptor is never written again — its number may already be another file's.
  const log = { open: logFd !== null };
  child.stdout?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    if (logFd === null) process.stdout.write(text);
    else if (log.open) fs.writeSync(logFd, text);
  });
  child.on('exit', (code) => {
    status.exited = code ?? -1;
  });

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await killGroup(pid, opts.stopGraceMs);
    watchdog.kill();
    child.stdout?.destroy();
    if (logFd !== null && log.open) {
      log.open = false;
      fs.closeSync(logFd);
    }
    run.remove();
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

  const host = (port: number | undefined): string => `127.0.0.1:${port}`;
  const firestoreHost = host(ports.firestore);
  const env: Record<string, string> = {
    GCLOUD_PROJECT: projectId,
    FIREBASE_PROJECT_ID: projectId,
    FIRESTORE_EMULATOR_HOST: firestoreHost,
    FIREBASE_EMULATOR_HUB: host(ports.hub),
    METADATA_SERVER_DETECTION: 'none',
  };
  const suite: EmulatorSuite = {
    projectId,
    firestoreHost,
    hubHost: host(ports.hub),
    loggingHost: host(ports.logging),
    ports,
    logDir: run.logDir,
    logFile: run.logFile,
    env,
    stop,
  };
  if (only.includes('auth')) {
    suite.authHost = host(ports.auth);
    env.FIREBASE_AUTH_EMULATOR_HOST = suite.authHost;
  }
  if (only.includes('functions')) {
    suite.functionsOrigin = `http://${host(ports.functions)}`;
    env.FUNCTIONS_EMULATOR_ORIGIN = suite.functionsOrigin;
  }
  return suite;
}

function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}
