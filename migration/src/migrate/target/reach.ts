/**
 * Can the target be reached at all? Asked before any work, with a short deadline: the SDKs retry an
 * unreachable Firestore for most of a minute and end with a raw gRPC message; this says within
 * seconds which host was tried and what to check.
 */
import net from 'node:net';

const TIMEOUT_MS = 4000;

/** Opens a TCP connection to host:port and closes it; the error in words when it cannot. */
function connect(host: string, port: number, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (problem: string | null): void => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs / 1000} s`));
    socket.once('connect', () => done(null));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      done(err.code === 'ECONNREFUSED' ? 'connection refused' : err.code === 'ENOTFOUND' ? 'no such host' : (err.code ?? err.message)),
    );
  });
}

export function splitHost(hostPort: string, defaultPort: number): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(hostPort.trim());
  return { host: m?.[1] ?? hostPort, port: m?.[2] ? Number(m[2]) : defaultPort };
}

export class Unreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Unreachable';
  }
}

export interface ReachOptions {
  /** FIRESTORE_EMULATOR_HOST / FIREBASE_AUTH_EMULATOR_HOST, when set. */
  firestoreEmulator?: string;
  authEmulator?: string;
  /** Check Firebase Auth too (commands that import or compare users). */
  auth: boolean;
  timeoutMs?: number;
}

/** Throws Unreachable naming the host and what to check. */
export async function checkReachable(options: ReachOptions): Promise<void> {
  const timeout = options.timeoutMs ?? TIMEOUT_MS;
  const checks: Array<{ what: string; hostPort: string; variable: string | null }> = [
    options.firestoreEmulator
      ? { what: 'the Firestore emulator', hostPort: options.firestoreEmulator, variable: 'FIRESTORE_EMULATOR_HOST' }
      : { what: 'Firestore', hostPort: 'firestore.googleapis.com:443', variable: null },
  ];
  if (options.auth) {
    checks.push(
      options.authEmulator
        ? { what: 'the Auth emulator', hostPort: options.authEmulator, variable: 'FIREBASE_AUTH_EMULATOR_HOST' }
        : { what: 'Firebase Auth', hostPort: 'identitytoolkit.googleapis.com:443', variable: null },
    );
  }
  const problems = await Promise.all(
    checks.map(async (c) => {
      const { host, port } = splitHost(c.hostPort, 443);
      const problem = await connect(host, port, timeout);
      if (!problem) return null;
      return c.variable
        ? `cannot reach ${c.what} at ${c.hostPort} (${problem}). Is it running? \`npm start\` (or \`firebase emulators:start\`) starts it; ${c.variable}=${c.hostPort} is where zg-migrate looks for it.`
        : `cannot reach ${c.what} at ${c.hostPort} (${problem}). Check the network (a proxy or firewall?); to use the emulators instead, set FIRESTORE_EMULATOR_HOST and FIREBASE_AUTH_EMULATOR_HOST.`;
    }),
  );
  const found = problems.filter((p): p is string => p !== null);
  if (found.length) throw new Unreachable(found.join('\n'));
}
