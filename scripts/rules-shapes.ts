/** Regenerates the document shapes in firestore.rules from the model (`npm run rules:shapes`); a test checks they are current. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_COLLECTIONS, regenerateRuleShapes } from '@zhengrowth/model';

const target = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'firestore.rules');
fs.writeFileSync(target, regenerateRuleShapes(fs.readFileSync(target, 'utf8'), ALL_COLLECTIONS));
console.log(`wrote ${path.relative(process.cwd(), target)}`);
