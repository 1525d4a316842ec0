import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderModelDoc } from '@zhengrowth/model';
import { expect, it } from 'vitest';

const docPath = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'firestore-model.md');

it('docs/firestore-model.md is generated from the current model (run `npm run docs:model`)', () => {
  expect(fs.readFileSync(docPath, 'utf8')).toBe(renderModelDoc());
});
