/**
 * The porting table of docs/web-app.md holds against the policies: every RLS policy of the SQL is
 * a row with the Firestore rules that implement it and what the web app calls instead, no entry
 * names a policy that is gone, and the document holds the table as generated (npm run docs:porting).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { describe, expect, it } from 'vitest';
import { PORTING_DOORS } from '../../scripts/porting/doors.js';
import { policiesOf, portingRows, portingTable, withPortingTable } from '../../scripts/porting/table.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const sql = fs.readFileSync(path.join(root, 'migration', 'supabase', 'migrations', '20250101000200_rls.sql'), 'utf8');
const rules = fs.readFileSync(path.join(root, 'firestore.rules'), 'utf8');
const docPath = path.join(root, 'docs', 'web-app.md');

describe('the porting table (docs/web-app.md)', () => {
  it('reads every policy of the SQL, with its table and command', () => {
    const declared = [...sql.matchAll(/^CREATE POLICY (\w+)/gm)].map((m) => m[1]);
    const read = policiesOf(sql);
    expect(read.map((p) => p.name)).toEqual(declared);
    expect(read.every((p) => ['select', 'insert', 'update', 'delete', 'all'].includes(p.command) && p.table.length > 0)).toBe(true);
  });

  it('gives every policy the rules that implement it and what replaces it, and names no policy that is gone', () => {
    const rows = portingRows(sql, rules);
    expect(rows.filter((r) => r.firestore.length === 0).map((r) => r.name)).toEqual([]);
    expect(rows.filter((r) => !r.door?.trim()).map((r) => r.name)).toEqual([]);
    const names = new Set(rows.map((r) => r.name));
    expect(Object.keys(PORTING_DOORS).filter((k) => !names.has(k))).toEqual([]);
  });

  it('is in the document as generated', async () => {
    const doc = fs.readFileSync(docPath, 'utf8');
    const expected = await format(withPortingTable(doc, portingTable(portingRows(sql, rules))), { ...(await resolveConfig(docPath)), filepath: docPath });
    expect(doc, 'run npm run docs:porting').toBe(expected);
  });
});
