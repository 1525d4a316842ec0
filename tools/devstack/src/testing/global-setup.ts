/**
 * vitest global setup: the real local stack for the whole test run (./stack.ts). A stack that
 * `npm run stack` holds up is used as it is; otherwise one is started here (PostgreSQL unless
 * DATABASE_URL is given, the emulators unless FIRESTORE_EMULATOR_HOST is) and stopped at the end.
 * Anything missing is an error that names what to install: integration tests never pass by being
 * skipped.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../paths.js';
import { leftovers, workingTreeEntries } from './leftovers.js';
import { runningStack, startTestStack, type TestStack } from './stack.js';

/**
 * One stack per vitest run, whichever projects use this setup: vitest runs each project's global
 * setup (in its own module instance, in the one main process), so they share it through globalThis
 * and the last teardown stops it.
 */
interface Shared {
  users: number;
  env?: Record<string, string>;
  stack?: TestStack;
  treeBefore?: Set<string> | null;
}
const shared: Shared = ((globalThis as Record<symbol, Shared | undefined>)[Symbol.for('zg.devstack.test-stack')] ??= { users: 0 });

function buildWorkspaces(): void {
  // The functions emulator loads functions/lib: make sure it is the current code. When nothing
  // changed since `npm ci`'s build (CI), this is tsc -b finding every project up to date.
  const root = repoRoot();
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const res = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) throw new Error('the build failed: the functions cannot be loaded into the emulator');
}

export async function setup(): Promise<void> {
  shared.users += 1;
  if (shared.env) {
    Object.assign(process.env, shared.env);
    return;
  }
  const t0 = Date.now();
  shared.treeBefore = workingTreeEntries(repoRoot());
  buildWorkspaces();
  const reused = await runningStack();
  if (reused) {
    console.log(`[stack] using the stack of \`npm run stack\` (firestore ${reused.FIRESTORE_EMULATOR_HOST ?? '?'}, PostgreSQL ${reused.DATABASE_URL ?? '?'})`);
  } else {
    shared.stack = await startTestStack();
    console.log(`[stack] ${shared.stack.summary} in ${Date.now() - t0} ms`);
  }
  shared.env = reused ?? shared.stack?.env ?? {};
  Object.assign(process.env, shared.env);
}

export async function teardown(): Promise<void> {
  shared.users -= 1;
  if (shared.users > 0) return;
  await shared.stack?.stop();
  // A throw here is only printed by vitest: the exit code is how the run fails.
  const before = shared.treeBefore;
  const after = before && workingTreeEntries(repoRoot());
  const left = before && after ? leftovers(before, after) : [];
  if (left.length) {
    console.error(`\n[stack] the test run left files in the repository (write them to a temp or cache folder and remove them):\n  ${left.join('\n  ')}`);
    process.exitCode = 1;
  }
}
