import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { TEST_REPORT } from './scripts/test-report-path.js';

const root = path.dirname(fileURLToPath(import.meta.url));

const TEST_DIRS = ['{tools,functions,migration,packages}/**/test/**', 'test/**'];
/** Unit tests (`*.unit.test.ts`) need neither PostgreSQL nor the emulators: `npm run test:unit`, seconds. */
const UNIT = TEST_DIRS.map((d) => `${d}/*.unit.test.ts`);
/**
 * Files that drive the functions emulator's own project (the web SDK's flows, the emulator checks of
 * health, webhooks and messaging): Firestore triggers fire only in that project, and the stand-in
 * proxy routes one service to one test file at a time, so these run one file at a time, after the
 * rest. Every other integration file works in a project and databases of its own.
 */
const WEB = ['packages/client/test/*.test.ts', 'functions/test/{health,messaging-emulator,webhooks-emulator}.test.ts'];
/**
 * Files at once. Most of an integration file's time is spent waiting on the emulators or PostgreSQL,
 * so three workers keep two cores busy; ZG_TEST_WORKERS overrides it.
 */
const WORKERS = Math.max(1, Number.parseInt(process.env.ZG_TEST_WORKERS ?? '', 10) || 3);
const EXCLUDED = ['**/node_modules/**', '**/lib/**', '**/dist/**'];
const STACK = [path.join(root, 'tools/devstack/src/testing/global-setup.ts')];

export default defineConfig({
  resolve: {
    // Tests run the TypeScript sources of the workspace packages, not a possibly stale build.
    alias: [
      { find: '@zhengrowth/model', replacement: path.join(root, 'functions/model/src/index.ts') },
      { find: '@zhengrowth/client', replacement: path.join(root, 'packages/client/src/index.ts') },
      { find: '@zhengrowth/devstack/testing', replacement: path.join(root, 'tools/devstack/src/testing/index.ts') },
      { find: '@zhengrowth/devstack', replacement: path.join(root, 'tools/devstack/src/index.ts') },
      // Exact names: the functions package also has ./templates, resolved through its exports.
      { find: /^@zhengrowth\/functions$/, replacement: path.join(root, 'functions/src/index.ts') },
      { find: /^@zhengrowth\/functions\/wiring$/, replacement: path.join(root, 'functions/src/core/callable.ts') },
      { find: /^@zhengrowth\/functions\/param-rules$/, replacement: path.join(root, 'functions/src/core/param-rules.ts') },
    ],
  },
  test: {
    exclude: EXCLUDED,
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    // CI also keeps every file's duration (outside the work tree) for the table of the slowest files.
    reporters: process.env.CI ? ['verbose', ['json', { outputFile: TEST_REPORT }]] : ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT, maxWorkers: WORKERS } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: TEST_DIRS.map((d) => `${d}/*.test.ts`),
          exclude: [...EXCLUDED, ...UNIT, ...WEB],
          maxWorkers: WORKERS,
          // One emulator suite and one PostgreSQL server for the whole run (started unless given).
          globalSetup: STACK,
        },
      },
      // maxWorkers 1: vitest runs these files one by one once the parallel projects are done.
      { extends: true, test: { name: 'web', include: WEB, exclude: [...EXCLUDED, ...UNIT], maxWorkers: 1, globalSetup: STACK } },
    ],
  },
});
