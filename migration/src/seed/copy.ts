import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ColumnInfo } from './columns.js';
import { JsonNull, mustStayComplete, type Cell, type Row } from './rows.js';

/** Raised when a generator produced a row that does not fit its table: a bug in the generator. */
export class RowShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RowShapeError';
  }
}

export interface CopyOptions {
  /**
   * Every column must be given (no column falls back to its default, so nothing depends on now()).
   * Off for auth.users, whose real Supabase version has more columns than the generator knows.
   */
  strict: boolean;
  /**
   * Give the table's second row NULL in every nullable column, so the data set has a NULL wherever
   * the schema allows one and the migration meets each of them. One exception: a `currency` column
   * stays set while an amount (a numeric column) of the row is not NULL, because an amount without
   * its currency means nothing (the migration rejects it rather than guess).
   */
  sparseRow: boolean;
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const NEEDS_ESCAPE = /[\\\n\r\t]/;

/** COPY text format: backslash, newline, carriage return and tab are escaped; NULL is \N. */
function copyText(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => COPY_ESCAPES[c] ?? c) : text;
}

/** A text[] literal: every element quoted, so commas, braces and "NULL" stay plain text. */
function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

const INTEGER_TYPES = new Set(['smallint', 'integer', 'bigint']);
const DECIMAL = /^-?\d+(\.\d+)?$/;

function encode(value: Cell, col: ColumnInfo, where: string): string {
  if (value === null) return '\\N';
  const bad = (expected: string): never => {
    throw new RowShapeError(`${where}.${col.name} (${col.dataType}) needs ${expected}, got ${JSON.stringify(value)}`);
  };
  let text: string;
  if (col.dataType === 'ARRAY') {
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return bad('an array of strings');
    text = arrayLiteral(value);
  } else if (col.dataType === 'jsonb' || col.dataType === 'json') {
    text = JSON.stringify(value);
  } else if (value instanceof JsonNull) {
    return bad('a non-JSON value');
  } else if (col.dataType === 'boolean') {
    if (typeof value !== 'boolean') return bad('a boolean');
    text = value ? 't' : 'f';
  } else if (INTEGER_TYPES.has(col.dataType)) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) return bad('an integer');
    text = String(value);
  } else if (col.dataType === 'numeric') {
    // Decimal text only: a JS number could print as 1e-7 or carry binary noise.
    if (typeof value !== 'string' || !DECIMAL.test(value)) return bad('decimal text such as "49.99"');
    text = value;
  } else {
    if (typeof value !== 'string') return bad('a string');
    text = value;
  }
  return copyText(text);
}

/** Rows → COPY text, in chunks of about 256 KiB. */
function* copyChunks(table: string, columns: ColumnInfo[], rows: Iterable<Row>, sparse: boolean, counter: { rows: number }): Generator<string> {
  let chunk = '';
  let blanked = false;
  for (const row of rows) {
    const index = counter.rows++;
    if (Object.keys(row).length !== columns.length) {
      const known = new Set(columns.map((c) => c.name));
      const extra = Object.keys(row).filter((k) => !known.has(k));
      const missing = columns.filter((c) => !(c.name in row)).map((c) => c.name);
      throw new RowShapeError(
        `${table} row ${index}: ${extra.length ? `unknown column(s) ${extra.join(', ')}` : ''}${missing.length ? ` missing ${missing.join(', ')}` : ''}`,
      );
    }
    const cells: string[] = [];
    // The second row, or the first after it that may lose its fields.
    const blank = sparse && !blanked && index >= 1 && !mustStayComplete(row);
    if (blank) blanked = true;
    // In the sparse row, the amounts that stay (NOT NULL ones) keep their currency.
    const keepCurrency = blank && columns.some((c) => c.dataType === 'numeric' && !c.nullable && row[c.name] !== null);
    for (const col of columns) {
      const value = row[col.name];
      if (value === undefined) throw new RowShapeError(`${table} row ${index}: missing ${col.name}`);
      if (value === null && !col.nullable) throw new RowShapeError(`${table} row ${index}: ${col.name} is NOT NULL`);
      const nulled = blank && col.nullable && !(keepCurrency && col.name === 'currency');
      cells.push(encode(nulled ? null : value, col, table));
    }
    chunk += `${cells.join('\t')}\n`;
    if (chunk.length > 262_144) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

function quoteQualified(table: string): string {
  return table
    .split('.')
    .map((p) => `"${p.replace(/"/g, '""')}"`)
    .join('.');
}

/** Loads rows into one table with COPY FROM STDIN; returns how many rows went in. */
export async function copyRows(client: pg.ClientBase, table: string, allColumns: ColumnInfo[], rows: Iterable<Row>, opts: CopyOptions): Promise<number> {
  const iterator = rows[Symbol.iterator]();
  const first = iterator.next();
  if (first.done) return 0;
  const firstRow = first.value;
  const known = new Set(allColumns.map((c) => c.name));
  const unknown = Object.keys(firstRow).filter((k) => !known.has(k));
  if (unknown.length) throw new RowShapeError(`${table}: no column(s) ${unknown.join(', ')} in the database`);
  const columns = opts.strict ? allColumns : allColumns.filter((c) => c.name in firstRow);
  const left = allColumns.filter((c) => !columns.includes(c) && !c.nullable && !c.hasDefault);
  if (left.length) throw new RowShapeError(`${table}: no value for NOT NULL column(s) ${left.map((c) => c.name).join(', ')}`);

  const all: Iterable<Row> = {
    *[Symbol.iterator]() {
      yield firstRow;
      for (let r = iterator.next(); !r.done; r = iterator.next()) yield r.value;
    },
  };
  const counter = { rows: 0 };
  const sql = `COPY ${quoteQualified(table)} (${columns.map((c) => `"${c.name}"`).join(', ')}) FROM STDIN`;
  await pipeline(Readable.from(copyChunks(table, columns, all, opts.sparseRow, counter)), client.query(copyFrom(sql)));
  return counter.rows;
}
