/** `npm run docs:porting`: the porting table of docs/web-app.md (scripts/porting/table.ts), formatted as the repository formats Markdown. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { portingRows, portingTable, withPortingTable } from './porting/table.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const docPath = path.join(root, 'docs', 'web-app.md');
const sql = fs.readFileSync(path.join(root, 'migration', 'supabase', 'migrations', '20250101000200_rls.sql'), 'utf8');
const rules = fs.readFileSync(path.join(root, 'firestore.rules'), 'utf8');
const next = withPortingTable(fs.readFileSync(docPath, 'utf8'), portingTable(portingRows(sql, rules)));
fs.writeFileSync(docPath, await format(next, { ...(await resolveConfig(docPath)), filepath: docPath }));
console.log('wrote docs/web-app.md (porting table)');
