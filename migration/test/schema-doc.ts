/**
 * Reads docs/supabase-schema.md (the schema document, copied verbatim from ../shared) into a list
 * of tables, so that tests compare the database with the document itself rather than with a
 * hand-made copy of it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const schemaDocPath = path.join(repoRoot, 'docs', 'supabase-schema.md');

export interface DocColumn {
  name: string;
  /** As written: uuid, text, integer, numeric, boolean, timestamptz, jsonb, text[], date, inet, app_role. */
  type: string;
  nullable: boolean;
  /** The default expression, or null for "-". */
  default: string | null;
  description: string;
}

export interface DocIndex {
  /** Column list as written, e.g. "published, published_at DESC". */
  columns: string;
  unique: boolean;
  primary: boolean;
  method: 'btree' | 'gin';
}

export interface DocTable {
  name: string;
  columns: DocColumn[];
  indexes: DocIndex[];
  /** "References `x(y)`" of each column that has one: column → "x(y)". */
  references: Map<string, string>;
}

const unquote = (s: string): string => s.trim().replace(/^`|`$/g, '');

function parseIndexLine(line: string): DocIndex | null {
  const m = /^- (Primary key|Unique index|Unique constraint|Index) on `\(?([^`)]+)\)?`( \(GIN\))?/.exec(line);
  if (!m) return null;
  return { columns: (m[2] ?? '').trim(), unique: m[1] !== 'Index', primary: m[1] === 'Primary key', method: m[3] ? 'gin' : 'btree' };
}

export function readSchemaDoc(file = schemaDocPath): DocTable[] {
  const text = fs.readFileSync(file, 'utf8');
  const tables: DocTable[] = [];
  for (const section of text.split(/^### /m).slice(1)) {
    const name = /^`([a-z0-9_]+)`/.exec(section)?.[1];
    if (!name) continue;
    const columns: DocColumn[] = [];
    const indexes: DocIndex[] = [];
    const references = new Map<string, string>();
    for (const line of section.split('\n')) {
      const cells = line.startsWith('| `')
        ? line
            .slice(1, -1)
            .split('|')
            .map((c) => c.trim())
        : [];
      if (cells.length === 5) {
        const [col, type, nullable, def, description] = cells as [string, string, string, string, string];
        columns.push({ name: unquote(col), type, nullable: nullable === 'YES', default: def === '-' ? null : unquote(def), description });
        const ref = /References `([^`]+)`/.exec(description);
        if (ref?.[1]) references.set(unquote(col), ref[1]);
        continue;
      }
      const index = parseIndexLine(line);
      if (index) indexes.push(index);
      const constraint = /^\*\*Unique Constraint:\*\* `\(([^)]+)\)`/.exec(line);
      if (constraint?.[1]) indexes.push({ columns: constraint[1], unique: true, primary: false, method: 'btree' });
    }
    // The enum section has no column table; the last section also holds the document's tail.
    if (columns.length) tables.push({ name, columns, indexes, references });
  }
  return tables;
}

/** The has_role() definition as the document gives it (the CREATE FUNCTION block). */
export function docHasRoleDefinition(file = schemaDocPath): string {
  const text = fs.readFileSync(file, 'utf8');
  const m = /```sql\n(CREATE OR REPLACE FUNCTION public\.has_role[\s\S]*?\$\$;)\n```/.exec(text);
  if (!m?.[1]) throw new Error('no CREATE FUNCTION public.has_role block in the schema document');
  return m[1];
}
