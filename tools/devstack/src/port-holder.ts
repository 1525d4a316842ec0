import fs from 'node:fs';
import net from 'node:net';
import { commandOf, parentOf, tryRun } from './processes.js';

/** A process that listens on a port, as far as this machine lets us see it. */
export interface PortHolder {
  pid: number;
  /** Its command line, shortened. */
  command: string;
  /** The `npm start` (its start script) this process belongs to, when it is one of ours. */
  npmStart?: { pid: number; command: string };
}

/** A fixed port the stack needs is taken. */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    /** What we wanted the port for ("Firestore emulator"). */
    readonly purpose: string,
    readonly holder: PortHolder | null,
  ) {
    super(`port ${port} (${purpose}) is already in use on 127.0.0.1${holder ? `: ${describeHolder(holder)}` : ''}`);
    this.name = 'PortInUseError';
  }
}

const FIREBASE_EMULATOR = /cloud[-_]firestore[-_]emulator|firebase-tools|firebase\.js emulators|fire_emu_/;

export function describeHolder(holder: PortHolder): string {
  const own = `process ${holder.pid} (${holder.command}) holds it`;
  if (!holder.npmStart) return FIREBASE_EMULATOR.test(holder.command) ? `${own}: a Firebase emulator, perhaps left running by an earlier run` : own;
  return `${own}; it belongs to an earlier \`npm start\` that is still running (process ${holder.npmStart.pid}: ${holder.npmStart.command}) — stop it with Ctrl-C in its terminal or \`kill ${holder.npmStart.pid}\``;
}

/** True when nothing listens on 127.0.0.1:port (we could bind it). */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/**
 * Throws PortInUseError for the first taken port, naming the process that holds it when it can
 * be found. Checked before anything starts: firebase-tools' own refusal comes after seconds of
 * start-up, as a stack trace.
 */
export async function assertPortsFree(ports: ReadonlyArray<{ port: number; purpose: string }>): Promise<void> {
  for (const { port, purpose } of ports) {
    if (!(await portFree(port))) throw new PortInUseError(port, purpose, findPortHolder(port));
  }
}

function shorten(command: string, max = 120): string {
  const flat = command.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** Linux: the socket inode of a listener on `port` (/proc/net/tcp*), then the process holding it. */
function listenerFromProc(port: number): number | null {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      // State 0A is LISTEN; column 9 is the socket's inode.
      if (local && cols[3] === '0A' && parseInt(local.split(':')[1] ?? '', 16) === port && cols[9] && cols[9] !== '0') inodes.add(cols[9]);
    }
  }
  if (inodes.size === 0) return null;
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // another user's process, or gone
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m?.[1] && inodes.has(m[1])) return Number(pid);
      } catch {
        /* closed meanwhile */
      }
    }
  }
  return null;
}

/** The process listening on 127.0.0.1:port, if this machine tells (/proc on Linux, else lsof). */
export function findPortHolder(port: number): PortHolder | null {
  const pid =
    listenerFromProc(port) ??
    Number(
      tryRun('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-t'])
        ?.trim()
        .split('\n')[0] ?? NaN,
    );
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const holder: PortHolder = { pid, command: shorten(commandOf(pid) || '?') };
  // Walk up: an emulator started by our start script has it (and npm) among its ancestors.
  for (let p: number | null = pid, depth = 0; p !== null && depth < 8; p = parentOf(p), depth++) {
    const command = commandOf(p);
    if (/scripts\/start\.ts/.test(command)) {
      holder.npmStart = { pid: p, command: shorten(command) };
      break;
    }
  }
  return holder;
}
