import type { SourceRow, SourceTable } from './catalog.js';

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
 * How `sync` can follow the source after a run that read it (see sync/): the replication slot whose
 * stream starts at this source's snapshot, or — without one — the snapshot itself, against which
 * later rows are told apart by their xmin; the supabase API source has neither.
 */
export interface FeedOrigin {
  mechanism: 'slot' | 'xmin' | 'rewrite';
  /** Why there is no slot, when there is none. */
  note: string | null;
  slot: string | null;
  publication: string | null;
  /** Tables whose changes the slot's publication carries. */
  streamedTables: string[];
  /** Streamed tables the run set to REPLICA IDENTITY FULL (`--replica-identity-full`), and those it could not. */
  fullIdentity: string[];
  fullIdentitySkipped: string[];
  /** pg_current_snapshot() of the source's snapshot, as text. */
  snapshot: string | null;
}

/** The origin of a source without a replication slot: `xmin` (postgres) or `rewrite` (the supabase API). */
export function feedWithoutSlot(mechanism: 'xmin' | 'rewrite', note: string | null): FeedOrigin {
  return { mechanism, note, slot: null, publication: null, streamedTables: [], fullIdentity: [], fullIdentitySkipped: [], snapshot: null };
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
  snapshotId?: string;
  /** How a later `sync` can follow what this source read. */
  readonly feed: FeedOrigin;
  /** The connection URL (postgres only; it holds the password: never printed). */
  readonly url?: string;
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
  /**
   * Reads from now on see a new snapshot (postgres): `sync` reads the rows of the changes it has
   * just decoded, which may be newer than the snapshot it started with. `feed.snapshot` follows.
   */
  refresh?(): Promise<void>;
  /**
   * Primary keys of the rows written since a snapshot (pg_current_snapshot() text): rows whose
   * xmin that snapshot does not see (postgres: sync without a slot). False positives are harmless
   * (those rows are written again); none is missed.
   */
  changedKeys?(table: SourceTable, since: string): Promise<string[]>;
  close(): Promise<void>;
}

/** The source cannot be used as given (a transaction pooler, a missing key…): exit code 1 with the message. */
export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}
