import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = path.dirname(fileURLToPath(import.meta.url));

const TEST_DIRS = ['{tools,functions,migration,packages}/**/test/**', 'test/**'];
/** Unit tests (`*.unit.test.ts`) need neither PostgreSQL nor the emulators: `npm run test:unit`, seconds. */
const UNIT = TEST_DIRS.map((d) => `${d}/*.unit.test.ts`);

export default defineConfig({
  resolve: {
    // Tests run the TypeScript sources of the workspace packages, not a possibly stale build.
    alias: {
      '@zhengrowth/model': path.join(root, 'functions/model/src/index.ts'),
      '@zhengrowth/client': path.join(root, 'packages/client/src/index.ts'),
      '@zhengrowth/devstack/testing': path.join(root, 'tools/devstack/src/testing/index.ts'),
      '@zhengrowth/devstack': path.join(root, 'tools/devstack/src/index.ts'),
    },
  },
  test: {
    exclude: ['**/node_modules/**', '**/lib/**', '**/dist/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    reporters: process.env.CI ? ['verbose'] : ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: TEST_DIRS.map((d) => `${d}/*.test.ts`),
          exclude: ['**/node_modules/**', '**/lib/**', '**/dist/**', ...UNIT],
          // One emulator suite and one PostgreSQL server for the whole run (started unless given).
          globalSetup: [path.join(root, 'tools/devstack/src/testing/global-setup.ts')],
        },
      },
    ],
  },
});
