import os from 'node:os';
import path from 'node:path';

/**
 * Where a CI-mode test run keeps vitest's JSON report (every file's duration), read by
 * `npm run test:slowest`. Outside the repository: a test run leaves nothing in the work tree.
 * ZG_TEST_REPORT overrides it.
 */
export const TEST_REPORT = process.env.ZG_TEST_REPORT ?? path.join(os.tmpdir(), 'zhengrowth-test-results.json');
