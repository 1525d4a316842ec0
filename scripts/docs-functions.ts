/** Writes docs/functions.md and docs/configuration.md from the code (`npm run docs:functions`); a test checks they are current. */
import fs from 'node:fs';
import path from 'node:path';
import { CONFIGURATION_DOC, FUNCTIONS_DOC, loadFunctions, renderConfigurationDoc, renderFunctionsDoc } from './docs/functions-doc.js';

const loaded = await loadFunctions();
for (const [file, text] of [
  [FUNCTIONS_DOC, renderFunctionsDoc(loaded)],
  [CONFIGURATION_DOC, renderConfigurationDoc(loaded)],
] as const) {
  fs.writeFileSync(file, text);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
process.exit(0);
