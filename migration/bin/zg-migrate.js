#!/usr/bin/env node
// The zg-migrate command: a thin shim over the compiled CLI in dist/.
import fs from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!fs.existsSync(cli)) {
  console.error('zg-migrate is not built (migration/dist/cli.js is missing): run `npm run build` at the repository root first.');
  process.exit(1);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv);
