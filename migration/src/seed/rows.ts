/** A jsonb value. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * One column value as the generator produces it. Strings carry every type whose text form
 * PostgreSQL parses (uuid, timestamptz, date, numeric, inet, enums); the column's type decides how
 * arrays and objects are written (text[] or jsonb).
 */
export type Cell = Json | readonly string[] | JsonNull;

/**
 * The jsonb value `null`, which is not SQL NULL: a NOT NULL jsonb column can hold it, and the
 * migration must keep the two apart. A plain JS null in a row always means SQL NULL.
 */
export class JsonNull {
  toJSON(): null {
    return null;
  }
}
export const JSON_NULL = new JsonNull();

export type Row = Record<string, Cell>;

/**
 * Rows a developer signs in with (the demo accounts' profiles): never the sparse row that the copy
 * blanks, so they keep every field.
 */
const completeRows = new WeakSet<Row>();
export function keepComplete<R extends Row>(row: R): R {
  completeRows.add(row);
  return row;
}
export const mustStayComplete = (row: Row): boolean => completeRows.has(row);

/** The rows of one table, in load order; `rows` may be lazy (analytics_events is large). */
export interface TableRows {
  /** Schema-qualified: "public.leads", "auth.users". */
  table: string;
  rows: Iterable<Row>;
}
