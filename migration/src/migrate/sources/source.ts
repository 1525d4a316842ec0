import type { SourceRow, SourceTable } from '../catalog.js';

export interface ScanOptions {
  /** Start after this key (exclusive), in key order; null: from the start. */
  after: string | null;
  /** Rows per page. */
  pageSize: number;
  /** Order and resume by this column instead of the primary key (it must be unique). */
  orderBy?: string;
  /** Read only these columns (default: all). */
  columns?: readonly string[];
  /** Stop at this key (inclusive); undefined or null: to the end. */
  until?: string | null;
}

/**
 * Where rows come from. Every value arrives as PostgreSQL's text of it (SQL NULL as null), so
 * decoding is exact and the same for both sources.
 */
export interface Source {
  readonly kind: 'postgres' | 'supabase';
  /** The source for logs and run records, without secrets. */
  readonly description: string;
  /** False for the supabase source: the API does not expose the auth schema. */
  readonly canReadAuthUsers: boolean;
  /** True when every read sees one consistent snapshot. */
  readonly consistent: boolean;
  /** The exported snapshot (postgres): other connections, in other threads, can read the same data. */
  readonly snapshotId?: string;
  /** How a worker thread opens the same source at the same snapshot (postgres only). */
  workerSpec?(): { url: string; snapshot: string };
  /** Keys that cut the rows after `after` into chunks of about `chunkRows` rows (in key order). */
  splitKeys?(table: SourceTable, after: string | null, chunkRows: number): Promise<string[]>;
  /** Columns, types and primary keys of the given tables ("zg_profiles", "auth.users"). */
  catalog(tables: readonly string[]): Promise<Map<string, SourceTable>>;
  count(table: SourceTable, after?: string | null, orderBy?: string): Promise<number>;
  /** Pages of rows in key order. Memory stays bounded by one page. */
  scan(table: SourceTable, options: ScanOptions): AsyncIterable<SourceRow[]>;
  /** Rows whose `column` is one of `values` (any order). */
  byKeys(table: SourceTable, column: string, values: readonly string[]): Promise<SourceRow[]>;
  close(): Promise<void>;
}

/** The source cannot be used as given (a transaction pooler, a missing key…): exit code 1 with the message. */
export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}
