/**
 * The README's first promise: `npm start` builds, starts the emulators with our functions, fills
 * them with demo data and serves the health callable. Run here on free ports and stopped at once.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

it('npm start serves the health callable with demo data loaded, and stops cleanly', async () => {
  const env = { ...process.env };
  // A second, independent stack: do not inherit the test run's emulators.
  for (const k of ['FIRESTORE_EMULATOR_HOST', 'FIREBASE_AUTH_EMULATOR_HOST', 'FUNCTIONS_EMULATOR_ORIGIN', 'FIREBASE_EMULATOR_HUB']) delete env[k];
  const child = spawn(process.execPath, ['--conditions=zg-source', '--import', 'tsx', 'scripts/start.ts', '--free-ports', '--once'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(out).toMatch(/"ok":true/);
  expect(out).toMatch(/"firestore":"reachable"/);
  expect(out).toMatch(/Health callable\s+http:\/\/127\.0\.0\.1:\d+\/demo-zhengrowth\/us-central1\/health/);
  expect(out).toMatch(/connectFirestoreEmulator/);
  expect(out).toMatch(/Demo data\s+\S/);
  expect(code, out.slice(-3000)).toBe(0);
}, 600_000);
