import fs from 'node:fs';
import path from 'node:path';
import { tryRun } from './processes.js';

/** firebase-tools refuses Java-based emulators below this major (MIN_SUPPORTED_JAVA_MAJOR_VERSION). */
export const MIN_JAVA_MAJOR = 21;

export interface JavaInstall {
  home: string;
  bin: string;
  major: number;
}

export class MissingToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingToolError';
  }
}

function majorOf(home: string): number | null {
  const java = path.join(home, 'bin', 'java');
  if (!fs.existsSync(java)) return null;
  // The `release` file is cheap to read; fall back to asking the binary.
  const release = path.join(home, 'release');
  if (fs.existsSync(release)) {
    const m = /JAVA_VERSION="(\d+)(?:\.(\d+))?/.exec(fs.readFileSync(release, 'utf8'));
    if (m) return m[1] === '1' && m[2] ? Number(m[2]) : Number(m[1]);
  }
  const out = tryRun(java, ['-version']);
  const m = out ? /version "(\d+)(?:\.(\d+))?/.exec(out) : null;
  if (!m) return null;
  return m[1] === '1' && m[2] ? Number(m[2]) : Number(m[1]);
}

function candidateHomes(): string[] {
  const homes: string[] = [];
  if (process.env.JAVA_HOME) homes.push(process.env.JAVA_HOME);
  // JDKs installed beside the default one: /usr/lib/jvm/<jdk>/bin/java -> /usr/lib/jvm.
  const onPath = tryRun('sh', ['-c', 'readlink -f "$(command -v java)"'])?.trim();
  const folders = new Set<string>(['/usr/lib/jvm', '/opt/java', '/usr/local/lib/jvm']);
  if (onPath) {
    const home = path.dirname(path.dirname(onPath));
    homes.push(home);
    folders.add(path.dirname(home));
  }
  for (const folder of folders) {
    if (!fs.existsSync(folder)) continue;
    for (const entry of fs.readdirSync(folder)) homes.push(path.join(folder, entry));
  }
  return homes;
}

/** The newest Java >= 21 on this machine, looking at JAVA_HOME first, then the JDKs beside `java`. */
export function findJava(minMajor = MIN_JAVA_MAJOR): JavaInstall {
  const seen: string[] = [];
  let best: JavaInstall | null = null;
  for (const home of candidateHomes()) {
    const real = fs.existsSync(home) ? fs.realpathSync(home) : home;
    const major = majorOf(real);
    if (major === null) continue;
    seen.push(`${real} (Java ${major})`);
    if (major < minMajor) continue;
    // JAVA_HOME wins when it qualifies; otherwise take the newest.
    if (process.env.JAVA_HOME && fs.existsSync(process.env.JAVA_HOME) && real === fs.realpathSync(process.env.JAVA_HOME)) {
      return { home: real, bin: path.join(real, 'bin'), major };
    }
    if (!best || major > best.major) best = { home: real, bin: path.join(real, 'bin'), major };
  }
  if (best) return best;
  throw new MissingToolError(
    `The Firebase emulators need Java ${minMajor} or newer (firebase-tools refuses older ones). ` +
      `Found: ${seen.length ? seen.join(', ') : 'no Java at all'}. ` +
      `Install one (Debian/Ubuntu: \`apt install openjdk-21-jdk-headless\`, or a Temurin 21+ JDK) ` +
      `and/or point JAVA_HOME at it.`,
  );
}
