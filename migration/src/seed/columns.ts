import type pg from 'pg';

export interface ColumnInfo {
  name: string;
  /** information_schema data_type: "uuid", "text", "ARRAY", "jsonb", "timestamp with time zone"… */
  dataType: string;
  nullable: boolean;
  hasDefault: boolean;
}

/**
 * The writable columns of the given tables, in table order, read from the database itself so that
 * the writer encodes by the real column type and never targets a generated column.
 */
export async function readColumns(client: pg.ClientBase, tables: readonly string[]): Promise<Map<string, ColumnInfo[]>> {
  const res = await client.query<{ tbl: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null }>(
    `SELECT table_schema || '.' || table_name AS tbl, column_name, data_type, is_nullable, column_default
       FROM information_schema.columns
      WHERE table_schema || '.' || table_name = ANY($1::text[])
        AND is_generated = 'NEVER'
      ORDER BY table_schema, table_name, ordinal_position`,
    [tables],
  );
  const out = new Map<string, ColumnInfo[]>();
  for (const r of res.rows) {
    const list = out.get(r.tbl) ?? [];
    list.push({ name: r.column_name, dataType: r.data_type, nullable: r.is_nullable === 'YES', hasDefault: r.column_default !== null });
    out.set(r.tbl, list);
  }
  return out;
}
