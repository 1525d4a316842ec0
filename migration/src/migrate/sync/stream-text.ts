/**
 * The stream's text of a value as a read gives it. pgoutput writes each value with its type's
 * output function, in the session's settings (the feed sets the reads' time zone, date style and
 * float digits); reads cast every column `::text`, which for all but three types is that same
 * output function. The three: boolean (`t`, but `true` as text), inet (a host's address without
 * its `/32` or `/128`, with it as text) and character(n) (padded with spaces, trimmed as text).
 */
import type { SourceColumn } from '../sources/catalog.js';

export type TextFix = (text: string) => string;

const BOOL = 16;
const INET = 869;
const BPCHAR = 1042;

const same: TextFix = (t) => t;
const bool: TextFix = (t) => (t === 't' ? 'true' : t === 'f' ? 'false' : t);
const inet: TextFix = (t) => (t.includes('/') ? t : `${t}/${t.includes(':') ? 128 : 32}`);
const bpchar: TextFix = (t) => t.replace(/ +$/, '');

function fixOf(type: number): TextFix {
  if (type === BOOL) return bool;
  if (type === INET) return inet;
  if (type === BPCHAR) return bpchar;
  return same;
}

/**
 * Per stream column, its fix — or null when the stream's rows cannot stand for a read: a column the
 * catalog does not have or has not (a generated column, which pgoutput leaves out; a column added or
 * dropped since the catalog was read) or of a type the migration does not decode (a domain is one).
 */
export function streamText(columns: readonly string[], types: readonly number[], catalog: readonly SourceColumn[]): TextFix[] | null {
  if (columns.length !== catalog.length) return null;
  const kinds = new Map(catalog.map((c) => [c.name, c.kind]));
  const fixes: TextFix[] = [];
  for (let i = 0; i < columns.length; i++) {
    const kind = kinds.get(columns[i] as string);
    if (kind === undefined || kind === 'unsupported') return null;
    fixes.push(fixOf(types[i] as number));
  }
  return fixes;
}
