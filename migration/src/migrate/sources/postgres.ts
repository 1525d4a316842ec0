/**
 * The postgres:// source: one consistent snapshot for every table. A coordinator connection opens a
 * REPEATABLE READ, READ ONLY transaction and exports its snapshot (pg_export_snapshot()); every
 * reader opens its own transaction with SET TRANSACTION SNAPSHOT, so parallel readers see exactly
 * the same data. Rows are streamed through a server-side cursor, one page in memory at a time, with
 * every column cast to text.
 */
import pg from 'pg';
import { kindOf, qualifiedName, quoteIdent, quoteTable, type SourceRow, type SourceTable } from '../catalog.js';
import { dropSlot, NoSlot, openSlot } from './slot.js';
import { SourceError, type FeedOrigin, type ScanOptions, type Source } from './source.js';

/** The URL without its password, for logs and run records. */
export function redactPostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparsable URL>';
  }
}

/**
 * Supabase's transaction pooler (Supavisor, port 6543) hands each statement to any server
 * connection: an exported snapshot cannot be held across statements there.
 */
export function checkNotTransactionPooler(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new SourceError('the --source URL cannot be parsed');
  }
  if (u.port === '6543') {
    throw new SourceError(
      `${u.hostname}:6543 is Supabase's transaction pooler, which cannot hold the consistent snapshot the migration reads in. ` +
        `Use the session pooler (the same pooler host on port 5432: postgres://postgres.<project-ref>:<password>@${u.hostname}:5432/postgres) ` +
        'or the direct connection (postgres://postgres:<password>@db.<project-ref>.supabase.co:5432/postgres).',
    );
  }
}

async function beginSnapshot(client: pg.ClientBase, snapshot: string): Promise<void> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  await client.query(`SET TRANSACTION SNAPSHOT '${snapshot.replace(/'/g, "''")}'`);
  // Text output that the decoders read: UTC offsets, ISO dates.
  await client.query("SET LOCAL TIME ZONE 'UTC'");
  await client.query("SET LOCAL DateStyle = 'ISO, YMD'");
  await client.query('SET LOCAL extra_float_digits = 3');
}

export interface PostgresSourceOptions {
  /** Connections for parallel readers. */
  readers: number;
  /** Read in this exported snapshot (another source's snapshotId) instead of taking a new one. */
  snapshot?: string;
  /**
   * Read in the snapshot of a new replication slot of this name (dropping an older one of the same
   * name), publishing these tables, so that `sync` can follow every later change. When PostgreSQL
   * refuses (no REPLICATION, wal_level, no free slot), the source reads a snapshot of its own and
   * `feed` says why there is no slot.
   */
  slot?: { name: string; tables: readonly string[] };
  /** Notes for the user (why there is no slot). */
  log?: (line: string) => void;
}

/** `xmin:xmax:xip,…` (pg_snapshot's text, 64-bit transaction ids) as numbers. */
export function parseSnapshot(text: string): { xmin: number; xmax: number; xip: number[] } {
  const m = /^(\d+):(\d+):([\d,]*)$/.exec(text.trim());
  if (!m) throw new Error(`not a pg_snapshot: ${JSON.stringify(text)}`);
  return { xmin: Number(m[1]), xmax: Number(m[2]), xip: m[3] ? m[3].split(',').map(Number) : [] };
}

/** The snapshot a transaction sees, as text (`xmin:xmax:xip,…`): sync's xmin mechanism compares rows against it. */
async function currentSnapshot(client: pg.ClientBase): Promise<string> {
  const res = await client.query<{ s: string }>('SELECT pg_current_snapshot()::text AS s');
  return res.rows[0]?.s ?? '';
}

export async function openPostgresSource(url: string, options: PostgresSourceOptions): Promise<Source> {
  checkNotTransactionPooler(url);
  // The coordinator holds the snapshot open for as long as the source lives: a replication
  // connection that created the slot, or a REPEATABLE READ transaction that exported it.
  let coordinator: pg.Client | null = null;
  let snapshot = options.snapshot ?? '';
  let feed: FeedOrigin = { mechanism: 'xmin', note: null, slot: null, publication: null, streamedTables: [], snapshot: null };
  if (options.slot) {
    try {
      const opened = await openSlot(url, options.slot.name, options.slot.tables);
      coordinator = opened.client;
      snapshot = opened.snapshot;
      feed = { mechanism: 'slot', note: null, slot: options.slot.name, publication: options.slot.name, streamedTables: opened.streamedTables, snapshot: null };
    } catch (err) {
      if (!(err instanceof NoSlot)) throw new SourceError(`cannot connect to ${redactPostgresUrl(url)}: ${(err as Error).message}`);
      feed = { ...feed, note: `no replication slot: ${err.message}` };
      options.log?.(
        `Without a replication slot (${err.message}), \`zg-migrate sync\` will find changed rows by xmin and deletions by comparing keys (slower; see the README).`,
      );
      await dropSlotQuietly(url, options.slot.name);
    }
  }
  if (!snapshot) {
    coordinator = new pg.Client({ connectionString: url, application_name: 'zg-migrate' });
    try {
      await coordinator.connect();
    } catch (err) {
      throw new SourceError(`cannot connect to ${redactPostgresUrl(url)}: ${(err as Error).message}`);
    }
    try {
      await coordinator.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const res = await coordinator.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
      snapshot = res.rows[0]?.id ?? '';
      if (!snapshot) throw new Error('pg_export_snapshot() returned nothing');
    } catch (err) {
      await coordinator.end().catch(() => undefined);
      throw new SourceError(
        `cannot take a consistent snapshot on ${redactPostgresUrl(url)} (${(err as Error).message}). ` +
          'Connect to the primary directly or through a session-mode pooler, not a transaction pooler or a hot standby.',
      );
    }
  }
  const pool = new pg.Pool({ connectionString: url, max: Math.max(2, options.readers), application_name: 'zg-migrate' });
  // An idle pooled client that errors (server restart) must not crash the process.
  pool.on('error', () => undefined);
  coordinator?.on('error', () => undefined);

  async function inSnapshot<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let ok = false;
    try {
      await beginSnapshot(client, snapshot);
      const out = await fn(client);
      await client.query('COMMIT');
      ok = true;
      return out;
    } finally {
      if (!ok) await client.query('ROLLBACK').catch(() => undefined);
      client.release(!ok);
    }
  }

  // What the snapshot sees, for sync's xmin mechanism and cutover's check of rows changed since.
  feed.snapshot = await inSnapshot(currentSnapshot);

  const source: Source = {
    kind: 'postgres',
    description: redactPostgresUrl(url),
    canReadAuthUsers: true,
    consistent: true,
    snapshotId: snapshot,
    feed,
    url,
    workerSpec: () => ({ url, snapshot }),

    async catalog(tables) {
      const wanted = tables.map((t) => {
        const q = qualifiedName(t);
        return `${q.schema}.${q.name}`;
      });
      const res = await inSnapshot((c) =>
        c.query<{ tbl: string; attname: string; pg_type: string; is_enum: boolean; nullable: boolean; is_pk: boolean }>(
          `SELECT n.nspname || '.' || c.relname AS tbl, a.attname, format_type(a.atttypid, a.atttypmod) AS pg_type,
                  t.typtype = 'e' AS is_enum, NOT a.attnotnull AS nullable,
                  EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary AND a.attnum = ANY (i.indkey)) AS is_pk
             FROM pg_attribute a
             JOIN pg_class c ON c.oid = a.attrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_type t ON t.oid = a.atttypid
            WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
              AND n.nspname || '.' || c.relname = ANY ($1::text[])
            ORDER BY 1, a.attnum`,
          [wanted],
        ),
      );
      const out = new Map<string, SourceTable>();
      for (const t of tables) {
        const q = qualifiedName(t);
        const rows = res.rows.filter((r) => r.tbl === `${q.schema}.${q.name}`);
        if (rows.length === 0) continue;
        const pks = rows.filter((r) => r.is_pk);
        if (pks.length !== 1)
          throw new SourceError(`${t} has ${pks.length === 0 ? 'no' : 'a multi-column'} primary key; zg-migrate needs a single-column one to keep its place`);
        out.set(t, {
          name: t,
          primaryKey: pks[0]?.attname ?? '',
          columns: rows.map((r) => ({ name: r.attname, pgType: r.pg_type, kind: kindOf(r.pg_type, r.is_enum), nullable: r.nullable })),
        });
      }
      return out;
    },

    async count(table, after = null, orderBy) {
      const key = quoteIdent(orderBy ?? table.primaryKey);
      const res = await inSnapshot((c) =>
        c.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM ${quoteTable(table.name)}${after === null ? '' : ` WHERE ${key} > $1`}`,
          after === null ? [] : [after],
        ),
      );
      return Number(res.rows[0]?.n ?? 0);
    },

    scan(table, opts: ScanOptions): AsyncIterable<SourceRow[]> {
      const key = opts.orderBy ?? table.primaryKey;
      const columns = opts.columns ?? table.columns.map((c) => c.name);
      const select = columns.map((c) => `zg_t.${quoteIdent(c)}::text AS ${quoteIdent(c)}`).join(', ');
      // Qualified with the table alias: a bare name in ORDER BY would mean the text output column
      // (so 10 before 4), and the key must compare in its own type, as the checkpoint does.
      const params: string[] = [];
      const conditions: string[] = [];
      if (opts.after !== null) conditions.push(`zg_t.${quoteIdent(key)} > $${params.push(opts.after)}`);
      if (opts.until !== undefined && opts.until !== null) conditions.push(`zg_t.${quoteIdent(key)} <= $${params.push(opts.until)}`);
      const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
      const sql = `DECLARE zg_scan NO SCROLL CURSOR FOR SELECT ${select} FROM ${quoteTable(table.name)} AS zg_t${where} ORDER BY zg_t.${quoteIdent(key)}`;
      return {
        async *[Symbol.asyncIterator]() {
          const client = await pool.connect();
          let ok = false;
          try {
            await beginSnapshot(client, snapshot);
            await client.query(sql, params);
            const size = Math.max(1, Math.floor(opts.pageSize));
            const fetchPage = (): Promise<pg.QueryResult<SourceRow>> => client.query<SourceRow>(`FETCH ${size} FROM zg_scan`);
            // The next page is on its way while the caller works on this one.
            let next: Promise<pg.QueryResult<SourceRow>> | null = fetchPage();
            while (next) {
              const page: pg.QueryResult<SourceRow> = await next;
              if (page.rows.length === 0) break;
              next = page.rows.length < size ? null : fetchPage();
              yield page.rows;
            }
            await client.query('CLOSE zg_scan');
            await client.query('COMMIT');
            ok = true;
          } finally {
            if (!ok) await client.query('ROLLBACK').catch(() => undefined);
            client.release(!ok);
          }
        },
      };
    },

    async splitKeys(table, after, chunkRows) {
      const key = quoteIdent(table.primaryKey);
      const res = await inSnapshot((c) =>
        c.query<{ k: string }>(
          `SELECT k FROM (SELECT zg_t.${key}::text AS k, row_number() OVER (ORDER BY zg_t.${key}) AS n FROM ${quoteTable(table.name)} AS zg_t${after === null ? '' : ` WHERE zg_t.${key} > $2`}) x
            WHERE n % $1 = 0 ORDER BY n`,
          after === null ? [Math.max(1, Math.floor(chunkRows))] : [Math.max(1, Math.floor(chunkRows)), after],
        ),
      );
      return res.rows.map((r) => r.k);
    },

    async byKeys(table, column, values) {
      if (values.length === 0) return [];
      const select = table.columns.map((c) => `${quoteIdent(c.name)}::text AS ${quoteIdent(c.name)}`).join(', ');
      const res = await inSnapshot((c) =>
        c.query<SourceRow>(`SELECT ${select} FROM ${quoteTable(table.name)} WHERE ${quoteIdent(column)} = ANY ($1)`, [values]),
      );
      return res.rows;
    },

    async refresh() {
      if (!coordinator || feed.mechanism === 'slot') throw new Error('this source reads a fixed snapshot');
      await coordinator.query('COMMIT');
      await coordinator.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const res = await coordinator.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
      snapshot = res.rows[0]?.id ?? '';
      source.snapshotId = snapshot;
      feed.snapshot = await inSnapshot(currentSnapshot);
    },

    async changedKeys(table, since) {
      const { xmax, xip } = parseSnapshot(since);
      const key = quoteIdent(table.primaryKey);
      // xids compare modulo 2^32 (as PostgreSQL compares them): xmin at or after the snapshot's
      // xmax, or in progress when it was taken, is a row version that snapshot does not see.
      const res = await inSnapshot((c) =>
        c.query<{ k: string }>(
          `SELECT zg_t.${key}::text AS k FROM ${quoteTable(table.name)} AS zg_t
            WHERE ((zg_t.xmin::text::bigint - $1::bigint + 4294967296) % 4294967296) < 2147483648 OR zg_t.xmin::text::bigint = ANY ($2::bigint[])`,
          [xmax % 2 ** 32, xip.map((x) => x % 2 ** 32)],
        ),
      );
      return res.rows.map((r) => r.k);
    },

    async close() {
      if (coordinator) {
        if (feed.mechanism !== 'slot') await coordinator.query('COMMIT').catch(() => undefined);
        await coordinator.end().catch(() => undefined);
      }
      await pool.end().catch(() => undefined);
    },
  };
  return source;
}

async function dropSlotQuietly(url: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'zg-migrate' });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await dropSlot(client, name);
  } catch {
    // Nothing was created, or the role may not drop it: nothing to clean.
  } finally {
    await client.end().catch(() => undefined);
  }
}
