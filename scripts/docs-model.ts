/** Writes docs/firestore-model.md from the model (`npm run docs:model`); a test checks it is current. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderModelDoc } from '@zhengrowth/model';

const target = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'firestore-model.md');
fs.writeFileSync(target, renderModelDoc());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
