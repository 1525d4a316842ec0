/**
 * Writes functions/src/entry.ts, the deployed entry (package.json "main"), from the exports of
 * functions/src/index.ts (`npm run gen:entry`; a test fails when it is stale). See renderEntry.
 */
import fs from 'node:fs';
import { ENTRY_FILE, renderEntry } from './entry/render.js';

fs.writeFileSync(ENTRY_FILE, await renderEntry());
console.log('wrote functions/src/entry.ts');
