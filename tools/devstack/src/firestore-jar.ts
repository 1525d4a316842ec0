import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MissingToolError, type JavaInstall } from './java.js';
import { run, tryRun } from './processes.js';

/** The class that starts the Cloud SDK's Firestore emulator (its jar has no Main-Class). */
const FIRESTORE_MAIN = 'com.google.cloud.datastore.emulator.firestore.CloudFirestore';

export interface FirestoreEmulatorBinary {
  /** What to hand to firebase-tools as FIRESTORE_EMULATOR_BINARY_PATH. */
  path: string;
  source: 'env' | 'firebase-cache' | 'gcloud-component';
}

function firebaseCacheJar(): string | null {
  const dir = process.env.FIREBASE_EMULATORS_PATH ?? path.join(os.homedir(), '.cache', 'firebase', 'emulators');
  if (!fs.existsSync(dir)) return null;
  const jars = fs
    .readdirSync(dir)
    .filter((f) => /^cloud-firestore-emulator-v[\d.]+\.jar$/.test(f))
    .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
  return jars[0] ? path.join(dir, jars[0]) : null;
}

function gcloudComponentJar(): string | null {
  const roots = new Set<string>();
  const sdkRoot = tryRun('gcloud', ['info', '--format=value(installation.sdk_root)'])?.trim();
  if (sdkRoot) roots.add(sdkRoot);
  const listed = tryRun('dpkg', ['-L', 'google-cloud-cli-firestore-emulator']);
  if (listed) {
    const jar = listed.split('\n').find((l) => l.endsWith('/cloud-firestore-emulator.jar'));
    if (jar && fs.existsSync(jar)) return jar;
  }
  for (const r of ['/usr/lib/google-cloud-sdk', '/usr/share/google-cloud-sdk', path.join(os.homedir(), 'google-cloud-sdk')]) roots.add(r);
  for (const root of roots) {
    const jar = path.join(root, 'platform', 'cloud-firestore-emulator', 'cloud-firestore-emulator.jar');
    if (fs.existsSync(jar)) return jar;
  }
  return null;
}

/**
 * A two-entry jar whose manifest names the emulator's main class and puts the SDK jar on its
 * class path, so that firebase-tools can run it with `java -jar`. Rebuilt only when the SDK jar changes.
 */
function launcherJarFor(sdkJar: string, java: JavaInstall, cacheDir: string): string {
  fs.mkdirSync(cacheDir, { recursive: true });
  const stat = fs.statSync(sdkJar);
  const key = `${stat.size}-${Math.floor(stat.mtimeMs)}`;
  const launcher = path.join(cacheDir, `firestore-emulator-launcher-${key}.jar`);
  if (fs.existsSync(launcher)) return launcher;
  const jarTool = path.join(java.bin, 'jar');
  if (!fs.existsSync(jarTool)) {
    throw new MissingToolError(`Making the Firestore emulator launcher needs the JDK's \`jar\` tool, not found in ${java.bin}: install a full JDK 21+.`);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'zg-fs-launcher-'));
  try {
    const manifest = path.join(work, 'manifest.txt');
    // Manifest lines are limited to 72 bytes; the jar tool folds long ones itself.
    fs.writeFileSync(manifest, `Main-Class: ${FIRESTORE_MAIN}\nClass-Path: file:${sdkJar}\n`);
    const tmpJar = path.join(work, 'launcher.jar');
    run(jarTool, ['cfm', tmpJar, manifest]);
    fs.renameSync(tmpJar, launcher);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return launcher;
}

/**
 * Where the Firestore emulator comes from, in order: FIRESTORE_EMULATOR_BINARY_PATH, firebase-tools'
 * own cache, the Google Cloud SDK component (wrapped in a launcher jar). Returns null when none is
 * found, leaving firebase-tools to download it (which fails offline; the caller says what to install).
 */
export function findFirestoreEmulator(java: JavaInstall, cacheDir: string): FirestoreEmulatorBinary | null {
  const fromEnv = process.env.FIRESTORE_EMULATOR_BINARY_PATH;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new MissingToolError(`FIRESTORE_EMULATOR_BINARY_PATH points at ${fromEnv}, which does not exist.`);
    return { path: fromEnv, source: 'env' };
  }
  const cached = firebaseCacheJar();
  if (cached) return { path: cached, source: 'firebase-cache' };
  const sdkJar = gcloudComponentJar();
  if (sdkJar) return { path: launcherJarFor(sdkJar, java, cacheDir), source: 'gcloud-component' };
  return null;
}

export const FIRESTORE_INSTALL_HINT =
  'No Firestore emulator found. Install the Google Cloud SDK component (Debian/Ubuntu: ' +
  '`apt install google-cloud-cli-firestore-emulator`, or `gcloud components install cloud-firestore-emulator`), ' +
  'or set FIRESTORE_EMULATOR_BINARY_PATH to an emulator jar, or run `npx firebase setup:emulators:firestore` with network access.';
