/**
 * What the migration knows of a source table: its columns with their PostgreSQL types (from the
 * catalog of the database, or from PostgREST's OpenAPI description for the supabase source) and its
 * primary key. Values are read as text and decoded by `kind`.
 */

export type ColumnKind =
  | 'uuid'
  | 'text'
  | 'enum'
  | 'inet'
  | 'timestamptz'
  | 'date'
  | 'integer'
  | 'bigint'
  | 'numeric'
  | 'float'
  | 'boolean'
  | 'jsonb'
  | 'text[]'
  /** A type zg-migrate cannot migrate exactly: an error as soon as a mapping uses the column. */
  | 'unsupported';

export interface SourceColumn {
  name: string;
  /** The type as PostgreSQL names it (format_type), e.g. "timestamp with time zone". */
  pgType: string;
  kind: ColumnKind;
  nullable: boolean;
}

export interface SourceTable {
  /** "zg_profiles", or "auth.users" for the one table outside public. */
  name: string;
  columns: SourceColumn[];
  /** The single-column primary key (every table of the schema has one). */
  primaryKey: string;
}

/** One source row: every column's PostgreSQL text (null for SQL NULL). */
export type SourceRow = Record<string, string | null>;

const KINDS: ReadonlyArray<[RegExp, ColumnKind]> = [
  [/^uuid$/, 'uuid'],
  [/^(text|character varying|varchar|character|char|bpchar|name|citext)(\(\d+\))?$/, 'text'],
  [/^(inet|cidr|macaddr)$/, 'inet'],
  [/^timestamp(\(\d\))? with time zone$/, 'timestamptz'],
  [/^timestamptz$/, 'timestamptz'],
  [/^date$/, 'date'],
  [/^(integer|smallint|int|int2|int4)$/, 'integer'],
  [/^(bigint|int8)$/, 'bigint'],
  [/^numeric(\(\d+(,\d+)?\))?$/, 'numeric'],
  [/^(double precision|real|float4|float8)$/, 'float'],
  [/^(boolean|bool)$/, 'boolean'],
  [/^(jsonb|json)$/, 'jsonb'],
  [/^(text|character varying|varchar)(\(\d+\))?\[\]$/, 'text[]'],
];

/** The kind of a PostgreSQL type name; enums are told apart by the caller (typtype 'e'). */
export function kindOf(pgType: string, isEnum: boolean): ColumnKind {
  if (isEnum) return 'enum';
  const t = pgType.trim().toLowerCase();
  for (const [re, kind] of KINDS) if (re.test(t)) return kind;
  return 'unsupported';
}

export function qualifiedName(table: string): { schema: string; name: string } {
  const dot = table.indexOf('.');
  return dot < 0 ? { schema: 'public', name: table } : { schema: table.slice(0, dot), name: table.slice(dot + 1) };
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteTable(table: string): string {
  const q = qualifiedName(table);
  return `${quoteIdent(q.schema)}.${quoteIdent(q.name)}`;
}
