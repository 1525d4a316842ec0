import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { readColumns } from './columns.js';
import { copyRows } from './copy.js';
import { generateDemoData } from './generate.js';

export interface SeedDemoOptions {
  /** 1 reproduces the schema document's "Database Statistics"; fractions (0.02) for fast tests. */
  scale: number;
  /** Same seed (and day), same rows. */
  seed: string;
  /** The day the data is made for: dates are relative to it (its UTC date; default today). */
  day?: Date;
  /** Progress lines (one per table loaded). */
  log?: (line: string) => void;
}

export interface SeedDemoSummary {
  tables: Array<{ table: string; rows: number }>;
  totalRows: number;
  seconds: number;
}

/** A problem with the target database (schema missing, already filled), not with the generator. */
export class SeedTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeedTargetError';
  }
}

function quoteQualified(table: string): string {
  return table
    .split('.')
    .map((p) => `"${p.replace(/"/g, '""')}"`)
    .join('.');
}

function listSome(items: readonly string[]): string {
  return items.length <= 4 ? items.join(', ') : `${items.slice(0, 3).join(', ')} and ${items.length - 3} more`;
}

async function nonEmptyTables(client: pg.ClientBase, tables: readonly string[]): Promise<string[]> {
  const sql = tables.map((t, i) => `SELECT ${i} AS i WHERE EXISTS (SELECT 1 FROM ${quoteQualified(t)})`).join(' UNION ALL ');
  const res = await client.query<{ i: number }>(sql);
  return res.rows.map((r) => tables[r.i] as string);
}

/**
 * Fills an empty database that has the Supabase schema (migration/supabase/migrations) with the
 * deterministic demo data set, in one transaction: either every table is loaded or none is.
 */
export async function seedDemo(databaseUrl: string, options: SeedDemoOptions): Promise<SeedDemoSummary> {
  if (!Number.isFinite(options.scale) || options.scale <= 0) throw new RangeError(`scale must be a positive number, got ${options.scale}`);
  const log = options.log ?? (() => undefined);
  const started = performance.now();
  const data = generateDemoData(options.scale, options.seed, options.day);
  const tables = data.map((d) => d.table);

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const columns = await readColumns(client, tables);
    const missing = tables.filter((t) => !columns.has(t));
    if (missing.length) {
      throw new SeedTargetError(
        `the database has no ${listSome(missing)}: apply the Supabase schema first (migration/supabase/migrations, e.g. with \`supabase db reset\` or applySqlFolder from @zhengrowth/devstack)`,
      );
    }
    const filled = await nonEmptyTables(client, tables);
    if (filled.length) {
      throw new SeedTargetError(
        `seed-demo fills an empty schema, but ${listSome(filled)} already ha${filled.length === 1 ? 's' : 've'} rows: use a fresh database`,
      );
    }

    const summary: SeedDemoSummary['tables'] = [];
    await client.query('BEGIN');
    try {
      for (const { table, rows } of data) {
        const isPublic = table.startsWith('public.');
        const t0 = performance.now();
        const count = await copyRows(client, table, columns.get(table) ?? [], rows, { strict: isPublic, sparseRow: isPublic });
        summary.push({ table, rows: count });
        log(`${table.padEnd(32)} ${String(count).padStart(8)} rows  ${((performance.now() - t0) / 1000).toFixed(2)} s`);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    // Fresh statistics, so the first queries against the demo data get sensible plans.
    await client.query(`ANALYZE ${tables.map(quoteQualified).join(', ')}`);
    return { tables: summary, totalRows: summary.reduce((s, t) => s + t.rows, 0), seconds: (performance.now() - started) / 1000 };
  } finally {
    await client.end();
  }
}
