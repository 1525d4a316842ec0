/**
 * `npm run stack`: the integration tests' stack (PostgreSQL with the schema, the stand-in proxy, the
 * Auth, Firestore and Functions emulators), started once and held up until Ctrl-C. While it is up,
 * `npx vitest run <file>` in another terminal uses it instead of starting its own, so one
 * integration file answers in seconds after its first run. The functions emulator loads
 * functions/lib: after changing functions/src, `npm run build` (each vitest run does it too) and
 * the emulator reloads them.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '@zhengrowth/devstack';
import { forgetRunningStack, recordRunningStack, runningStack, runningStackFile, startTestStack, type TestStack } from '@zhengrowth/devstack/testing';

const root = repoRoot();
let stack: TestStack | undefined;
let stopping = false;

async function stop(signal: string): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log(`\n${signal}: stopping the stack…`);
    forgetRunningStack();
    await stack?.stop();
  }
  process.exit(0);
}

async function main(): Promise<void> {
  if (await runningStack()) {
    console.error(`npm run stack: a stack is already up (see ${path.relative(root, runningStackFile())}); stop it first.`);
    process.exit(1);
  }
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' }).status !== 0) {
    console.error('npm run stack: the build failed');
    process.exit(1);
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
  const t0 = Date.now();
  stack = await startTestStack();
  recordRunningStack(stack.env);
  console.log(`${stack.summary} in ${Date.now() - t0} ms.`);
  console.log('The stack is up. In another terminal: npx vitest run functions/test/orders.test.ts (any test file). Ctrl-C stops it.');
}

main().catch((err: unknown) => {
  console.error(`npm run stack: ${err instanceof Error ? err.message : String(err)}`);
  forgetRunningStack();
  void stack?.stop().finally(() => process.exit(1));
  if (!stack) process.exit(1);
});
