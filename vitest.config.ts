import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run the TypeScript sources of the workspace packages, not a possibly stale build.
    alias: {
      '@zhengrowth/model': path.join(root, 'functions/model/src/index.ts'),
      '@zhengrowth/devstack/testing': path.join(root, 'tools/devstack/src/testing/index.ts'),
      '@zhengrowth/devstack': path.join(root, 'tools/devstack/src/index.ts'),
    },
  },
  test: {
    include: ['{tools,functions,migration}/**/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/lib/**', '**/dist/**'],
    // One emulator suite and one PostgreSQL server for the whole run (started unless given).
    globalSetup: [path.join(root, 'tools/devstack/src/testing/global-setup.ts')],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    reporters: process.env.CI ? ['verbose'] : ['default'],
  },
});
