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

/** Every process below `pid` (children, grandchildren…), read from `ps`. */
export function descendants(pid: number): number[] {
  const table = tryRun('ps', ['-eo', 'pid=,ppid=']) ?? '';
  const children = new Map<number, number[]>();
  for (const line of table.split('\n')) {
    const [p, pp] = line.trim().split(/\s+/).map(Number);
    if (!p || pp === undefined) continue;
    children.set(pp, [...(children.get(pp) ?? []), p]);
  }
  const out: number[] = [];
  const stack = [pid];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    for (const c of children.get(next) ?? []) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}

/** The parent of a process (null for init or when it is gone). */
export function parentOf(pid: number): number | null {
  const out = tryRun('ps', ['-o', 'ppid=', '-p', String(pid)]);
  const ppid = out ? Number(out.trim()) : NaN;
  return Number.isInteger(ppid) && ppid > 1 ? ppid : null;
}

/** A process's command line as `ps` shows it ('' when it is gone). */
export function commandOf(pid: number): string {
  return tryRun('ps', ['-o', 'args=', '-p', String(pid)])?.trim() ?? '';
}

/**
 * The processes this one was launched through, up to and including npm when npm launched it
 * (`npm start` → [sh → tsx →] this script), else just the parent. npm forwards SIGINT and SIGTERM
 * to its child but dies of SIGHUP or SIGKILL without a word, and a shell or tsx between npm and
 * this script keeps it from being orphaned: watching the whole chain notices either.
 */
export function launcherChain(pid = process.pid, maxDepth = 4): number[] {
  const chain: number[] = [];
  for (let p = parentOf(pid); p !== null && chain.length < maxDepth; p = parentOf(p)) {
    chain.push(p);
    // npm names itself "npm start" (process.title); older setups show npm-cli.js.
    if (/^npm\b|npm-cli\.js/.test(commandOf(p))) return chain;
  }
  return chain.slice(0, 1);
}

/**
 * Stop a process group (the leader was spawned detached) and everything below it, politely first.
 * firebase-tools puts each Java emulator in a group of its own, so the tree is collected up front:
 * once the leader dies, its children are re-parented and could no longer be found.
 */
export async function killGroup(pid: number, graceMs = 8000): Promise<void> {
  const tree = descendants(pid);
  try {
    process.kill(-pid, 'SIGINT');
  } catch {
    /* already gone */
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!groupAlive(pid) && !tree.some(isAlive)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
  for (const p of tree) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
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
  /**
   * More processes whose end means "stop": then the services go and so does this process (see
   * launcherChain: the npm process above `npm start`, which can end without telling its child).
   */
  watch?: number[];
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
