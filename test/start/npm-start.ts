/**
 * `npm start` as a developer runs it: through the npm CLI, on free ports, in a temp folder of its
 * own (TMPDIR), so that a test can signal the npm process and then check that every process it
 * started is gone, every port free, and nothing left in the temp folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandOf, descendants, isAlive } from '@zhengrowth/devstack';

export const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface NpmStart {
  npm: ChildProcess;
  pid: number;
  tmp: string;
  output(): string;
  /** Resolves when the output matches, rejects when npm exits first or after timeoutMs. */
  waitFor(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
  /** Last resort for a failed test: kill whatever is left (npm's group and everything recorded). */
  kill(): void;
}

export function startNpm(args: string[], env: Record<string, string> = {}): NpmStart {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zg-npm-start-test-'));
  const base = { ...process.env };
  // A second, independent stack: not the test run's emulators.
  for (const k of ['FIRESTORE_EMULATOR_HOST', 'FIREBASE_AUTH_EMULATOR_HOST', 'FUNCTIONS_EMULATOR_ORIGIN', 'FIREBASE_EMULATOR_HUB']) delete base[k];
  // A session of its own: signals reach only the processes this test sends them to.
  const npm = spawn('npm', ['start', '--', ...args], { cwd: root, env: { ...base, TMPDIR: tmp, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (npm.pid === undefined) throw new Error('could not start npm');
  const pid = npm.pid;
  let out = '';
  npm.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  npm.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => npm.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const seen = new Set<number>();
  return {
    npm,
    pid,
    tmp,
    output: () => out,
    exited,
    async waitFor(re, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let done = false;
      void exited.then(() => (done = true));
      for (;;) {
        for (const p of processTree(pid)) seen.add(p);
        const m = re.exec(out);
        if (m) return m;
        if (done) throw new Error(`npm start exited before ${re}:\n${out.slice(-3000)}`);
        if (Date.now() > deadline) throw new Error(`no ${re} after ${timeoutMs} ms:\n${out.slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    kill() {
      for (const p of [...seen, ...processTree(pid), pid]) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** `pid` and every process below it (firebase-tools and the JVM run in sessions of their own but stay its descendants). */
export function processTree(pid: number): number[] {
  return [pid, ...descendants(pid)];
}

export { commandOf, isAlive as alive };

export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** The ports the ready banner lists ("Ports open 41325 Firestore emulator, 35955 …"). */
export function bannerPorts(output: string): number[] {
  const line = /Ports open\s+(.*)/.exec(output)?.[1] ?? '';
  // "37233 Firestore emulator, 39981 Firestore emulator websocket, …, 37563 emulator log stream"
  return [...line.matchAll(/(?:^|, )(\d+) /g)].map((m) => Number(m[1]));
}

/** Polls until `check` is true or the time is up; returns the seconds it took (or null). */
export async function within(seconds: number, check: () => boolean | Promise<boolean>): Promise<number | null> {
  const t0 = Date.now();
  while (Date.now() - t0 < seconds * 1000) {
    if (await check()) return (Date.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

/** What the run left in its temp folder, but for caches tools keep on purpose (tsx's compile cache). */
export function tempLeftovers(tmp: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      // Caches kept across runs on purpose, not leftovers of what npm start started: tsx's, and
      // Node's module compile cache, which the npm CLI itself (npm 11) turns on in TMPDIR.
      if (rel === '' && (/^tsx-\d+$/.test(e.name) || e.name === 'node-compile-cache')) continue;
      if (e.isDirectory()) walk(path.join(dir, e.name), r);
      else out.push(r);
    }
    if (rel !== '' && fs.readdirSync(dir).length === 0) out.push(`${rel}/`);
  };
  walk(tmp, '');
  return out;
}
