/**
 * The reads of a postgres source, each in the source's snapshot: every reader (a pooled connection)
 * opens its own REPEATABLE READ, READ ONLY transaction with SET TRANSACTION SNAPSHOT, so parallel
 * readers see exactly the same data; rows stream through a server-side cursor, one page in memory
 * at a time, every column cast to text.
 */
import type pg from 'pg';
import { kindOf, qualifiedName, quoteIdent, quoteTable, type SourceRow, type SourceTable } from './catalog.js';
import { SourceError, type ScanOptions } from './source.js';

async function beginSnapshot(client: pg.ClientBase, snapshot: string): Promise<void> {
  // One round trip (a simple query of several statements): every read of a sync or run begins so.
  await client.query(
    [
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
      `SET TRANSACTION SNAPSHOT '${snapshot.replace(/'/g, "''")}'`,
      // Text output that the decoders read: UTC offsets, ISO dates.
      "SET LOCAL TIME ZONE 'UTC'",
      "SET LOCAL DateStyle = 'ISO, YMD'",
      'SET LOCAL extra_float_digits = 3',
    ].join('; '),
  );
}

/** `xmin:xmax:xip,…` (pg_snapshot's text, 64-bit transaction ids) as numbers. */
export function parseSnapshot(text: string): { xmin: number; xmax: number; xip: number[] } {
  const m = /^(\d+):(\d+):([\d,]*)$/.exec(text.trim());
  if (!m) throw new Error(`not a pg_snapshot: ${JSON.stringify(text)}`);
  return { xmin: Number(m[1]), xmax: Number(m[2]), xip: m[3] ? m[3].split(',').map(Number) : [] };
}

export class SnapshotReads {
  constructor(
    private readonly pool: pg.Pool,
    /** The snapshot to import (it changes when the source is refreshed). */
    private readonly snapshot: () => string,
  ) {}

  async inSnapshot<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let ok = false;
    try {
      await beginSnapshot(client, this.snapshot());
      const out = await fn(client);
      await client.query('COMMIT');
      ok = true;
      return out;
    } finally {
      if (!ok) await client.query('ROLLBACK').catch(() => undefined);
      client.release(!ok);
    }
  }

  /** pg_current_snapshot() of the source's snapshot, as text: sync's xmin mechanism compares rows against it. */
  async currentSnapshot(): Promise<string> {
    return this.inSnapshot(async (c) => (await c.query<{ s: string }>('SELECT pg_current_snapshot()::text AS s')).rows[0]?.s ?? '');
  }

  async catalog(tables: readonly string[]): Promise<Map<string, SourceTable>> {
    const wanted = tables.map((t) => {
      const q = qualifiedName(t);
      return `${q.schema}.${q.name}`;
    });
    const res = await this.inSnapshot((c) =>
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
  }

  async count(table: SourceTable, after: string | null = null, orderBy?: string): Promise<number> {
    const key = quoteIdent(orderBy ?? table.primaryKey);
    const res = await this.inSnapshot((c) =>
      c.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM ${quoteTable(table.name)}${after === null ? '' : ` WHERE ${key} > $1`}`,
        after === null ? [] : [after],
      ),
    );
    return Number(res.rows[0]?.n ?? 0);
  }

  scan(table: SourceTable, opts: ScanOptions): AsyncIterable<SourceRow[]> {
    const { pool, snapshot } = this;
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
          await beginSnapshot(client, snapshot());
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
  }

  async splitKeys(table: SourceTable, after: string | null, chunkRows: number): Promise<string[]> {
    const key = quoteIdent(table.primaryKey);
    const res = await this.inSnapshot((c) =>
      c.query<{ k: string }>(
        `SELECT k FROM (SELECT zg_t.${key}::text AS k, row_number() OVER (ORDER BY zg_t.${key}) AS n FROM ${quoteTable(table.name)} AS zg_t${after === null ? '' : ` WHERE zg_t.${key} > $2`}) x
          WHERE n % $1 = 0 ORDER BY n`,
        after === null ? [Math.max(1, Math.floor(chunkRows))] : [Math.max(1, Math.floor(chunkRows)), after],
      ),
    );
    return res.rows.map((r) => r.k);
  }

  async byKeys(table: SourceTable, column: string, values: readonly string[]): Promise<SourceRow[]> {
    if (values.length === 0) return [];
    const select = table.columns.map((c) => `${quoteIdent(c.name)}::text AS ${quoteIdent(c.name)}`).join(', ');
    const res = await this.inSnapshot((c) =>
      c.query<SourceRow>(`SELECT ${select} FROM ${quoteTable(table.name)} WHERE ${quoteIdent(column)} = ANY ($1)`, [values]),
    );
    return res.rows;
  }

  async changedKeys(table: SourceTable, since: string): Promise<string[]> {
    const { xmax, xip } = parseSnapshot(since);
    const key = quoteIdent(table.primaryKey);
    // xids compare modulo 2^32 (as PostgreSQL compares them): xmin at or after the snapshot's
    // xmax, or in progress when it was taken, is a row version that snapshot does not see.
    const res = await this.inSnapshot((c) =>
      c.query<{ k: string }>(
        `SELECT zg_t.${key}::text AS k FROM ${quoteTable(table.name)} AS zg_t
          WHERE ((zg_t.xmin::text::bigint - $1::bigint + 4294967296) % 4294967296) < 2147483648 OR zg_t.xmin::text::bigint = ANY ($2::bigint[])`,
        [xmax % 2 ** 32, xip.map((x) => x % 2 ** 32)],
      ),
    );
    return res.rows.map((r) => r.k);
  }
}
