import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Run a command to completion and return its stdout; throws with stderr on failure. */
export function run(cmd: string, args: string[], opts: SpawnOptions & { input?: string } = {}): string {
  const res = spawnSync(cmd, args, { encoding: 'utf8', ...opts, stdio: ['pipe', 'pipe', 'pipe'] });
  if (res.error) throw res.error;
  if (res.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited with ${res.status}: ${(res.stderr || res.stdout || '').trim()}`);
  }
  return res.stdout;
}

/** Like run() but returns null instead of throwing (for probing what is installed). */
export function tryRun(cmd: string, args: string[], opts: SpawnOptions = {}): string | null {
  try {
    const res = spawnSync(cmd, args, { encoding: 'utf8', ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    if (res.error || res.status !== 0) return null;
    return `${res.stdout}${res.stderr}`;
  } catch {
    return null;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kill a whole process group (the leader was spawned detached), politely first. */
export async function killGroup(pid: number, graceMs = 8000): Promise<void> {
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig);
    } catch {
      /* already gone */
    }
  };
  signal('SIGINT');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!groupAlive(pid)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  signal('SIGKILL');
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

const watchdogScript = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'watchdog.cjs');

export interface WatchdogTargets {
  /** Process groups (leaders spawned detached) to kill. */
  groups?: number[];
  /** Single processes (a daemonized postmaster) to stop. */
  pids?: number[];
  /** Scratch folders to delete afterwards. */
  dirs?: string[];
}

/**
 * A detached sidecar that stops the given services if this process dies without cleaning up
 * (kill -9, a crashed test runner). After a normal shutdown it finds nothing alive and exits.
 */
export function startWatchdog(targets: WatchdogTargets): ChildProcess {
  const child = spawn(process.execPath, [watchdogScript, String(process.pid), JSON.stringify(targets)], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  return child;
}
