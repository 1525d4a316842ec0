/**
 * `npm run doctor`: checks that this machine can run the local stack (Java 21+ for firebase-tools,
 * the Firestore emulator, PostgreSQL 15 or DATABASE_URL, Chromium for the browser test) and says
 * exactly what to install if not.
 * Exit 1 when something is missing.
 */
import fs from 'node:fs';
import { findFirestoreEmulator, findJava, findPostgresBin, FIRESTORE_INSTALL_HINT, stackCacheDir } from '@zhengrowth/devstack';

let missing = 0;
function check(label: string, fn: () => string): void {
  try {
    console.log(`ok       ${label}: ${fn()}`);
  } catch (err) {
    missing += 1;
    console.error(`MISSING  ${label}: ${(err as Error).message}`);
  }
}

check('Node.js for npm scripts', () => {
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 22)
    throw new Error(
      `npm scripts run on Node ${process.versions.node}; the functions deploy on nodejs22 — run \`npm ci\` (it installs node@22 for the scripts)`,
    );
  return process.versions.node;
});
let java: ReturnType<typeof findJava> | undefined;
check('Java 21+ (firebase-tools)', () => {
  java = findJava();
  return `${java.home} (Java ${java.major})`;
});
check('Firestore emulator', () => {
  if (!java) throw new Error('needs Java 21+ first');
  const found = findFirestoreEmulator(java, stackCacheDir());
  if (!found) throw new Error(FIRESTORE_INSTALL_HINT);
  return `${found.path} (${found.source})`;
});
check('PostgreSQL 15', () => (process.env.DATABASE_URL ? `DATABASE_URL is set` : `${findPostgresBin()} (throwaway clusters)`));
check('Chromium (the client in a real browser)', () => {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(chromium)) throw new Error(`no Chromium at ${chromium}: apt-get install -y chromium (as root; .ci/run does it), or set CHROMIUM_PATH`);
  return chromium;
});

if (missing > 0) {
  console.error(`\n${missing} prerequisite(s) missing: see above.`);
  process.exit(1);
}
