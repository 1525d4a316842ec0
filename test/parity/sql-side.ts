/**
 * The PostgreSQL side of the parity suite: the Supabase schema with its real RLS policies and
 * column privileges. Each cell runs as PostgREST runs a request: in a transaction, SET LOCAL ROLE
 * anon/authenticated, the JWT claims in request.jwt.claims (set_config(…, true)), rolled back
 * afterwards so cells never see each other's writes. Fixture rows are inserted as service_role.
 */
import pg from 'pg';
import { ACTORS, type ActorId } from './actors.js';
import { authUsers, FIXTURE, INSERT_ORDER, pkOf, type Fixture, type Json, type Row } from './fixture.js';
import { asText, NOW } from './mapping.js';
import { resolveRow, resolveValue, type Outcome, type ResolvedList } from './cells.js';
import type { Case } from './matrix.js';

/** SQLSTATEs that mean "the database refused this request": privileges/RLS, or the value's type. */
const DENIALS: Readonly<Record<string, string>> = {
  '42501': 'permission denied / row-level security',
  '22P02': 'invalid input for the column type',
  '22007': 'invalid date/time',
  '22008': 'date/time out of range',
  '42703': 'no such column',
  '42804': 'wrong data type',
};

interface PgError {
  code?: string;
  message: string;
}

/** How to turn a list case's path parameters into SQL filters (the parent of a subcollection). */
const PARENT_COLUMNS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  zg_referrals: { uid: 'referrer_id' },
  ai_suggestions_cache: { uid: 'profile_id IN (SELECT p.id FROM public.zg_profiles p WHERE p.user_id = $)' },
};

function parentFilter(table: string, param: string): string {
  const special = PARENT_COLUMNS[table]?.[param];
  if (special) return special.includes('$') ? special : `${quote(special)} = $`;
  const column = { uid: 'user_id', eventId: 'event_id', postId: 'post_id', funnelId: 'funnel_id' }[param];
  if (!column) throw new Error(`no SQL column for path parameter ${param} of ${table}`);
  return `${quote(column)} = $`;
}

function quote(ident: string): string {
  return `"${ident.replace(/"/g, '""')}"`;
}

export class SqlSide {
  private columnTypes = new Map<string, Map<string, string>>();
  private serviceLists = new Map<string, string[]>();

  private constructor(readonly client: pg.Client) {}

  static async open(url: string): Promise<SqlSide> {
    const client = new pg.Client({
      connectionString: url,
      types: {
        // A `date` stays its "YYYY-MM-DD" text (the model's date_string), never a local-midnight Date.
        getTypeParser: ((oid: number, format?: string) =>
          oid === 1082 ? (v: string) => v : (pg.types.getTypeParser(oid, format as 'text') as (v: string) => unknown)) as typeof pg.types.getTypeParser,
      },
    });
    await client.connect();
    const side = new SqlSide(client);
    const cols = await client.query<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    for (const c of cols.rows) {
      const m = side.columnTypes.get(c.table_name) ?? new Map<string, string>();
      m.set(c.column_name, c.data_type);
      side.columnTypes.set(c.table_name, m);
    }
    return side;
  }

  async close(): Promise<void> {
    await this.client.end();
  }

  /** Seed auth.users and every fixture row as service_role; return the rows as PostgreSQL stored them. */
  async seed(): Promise<Fixture> {
    const c = this.client;
    await c.query('BEGIN');
    try {
      for (const u of authUsers()) {
        await c.query(`INSERT INTO auth.users (id, email, email_confirmed_at, aud, role) VALUES ($1, $2, $3, 'authenticated', 'authenticated')`, [
          u.id,
          u.email,
          u.email_confirmed_at,
        ]);
      }
      await c.query('SET LOCAL ROLE service_role');
      for (const table of INSERT_ORDER) {
        for (const row of Object.values(FIXTURE[table] ?? {})) await c.query(...this.insertSql(table, row, {}));
      }
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK');
      throw err;
    }
    const stored: Fixture = {};
    for (const [table, byKey] of Object.entries(FIXTURE)) {
      const pk = pkOf(table);
      const res = await c.query<Row>(`SELECT * FROM public.${quote(table)}`);
      stored[table] = Object.fromEntries(
        Object.entries(byKey).map(([key, row]) => {
          const got = res.rows.find((r) => asText(r[pk]) === asText(row[pk]));
          if (!got) throw new Error(`fixture row ${table}.${key} not found after seeding`);
          return [key, normalizeRow(got)];
        }),
      );
    }
    return stored;
  }

  private jsonb(table: string, column: string): boolean {
    return this.columnTypes.get(table)?.get(column) === 'jsonb';
  }

  private param(table: string, column: string, v: Json): unknown {
    return this.jsonb(table, column) && v !== null ? JSON.stringify(v) : v;
  }

  /** INSERT of a row; NOW becomes now() (the transaction's clock, as the column default). */
  insertSql(table: string, row: Row, extraKeys: Row): [string, unknown[]] {
    const cols: string[] = [];
    const exprs: string[] = [];
    const params: unknown[] = [];
    for (const [k, v] of Object.entries({ ...row, ...extraKeys })) {
      cols.push(quote(k));
      if (v === NOW) exprs.push('now()');
      else {
        params.push(this.param(table, k, v));
        exprs.push(`$${params.length}`);
      }
    }
    return [`INSERT INTO public.${quote(table)} (${cols.join(', ')}) VALUES (${exprs.join(', ')})`, params];
  }

  /** The row PostgreSQL would store for an insert (defaults filled in), computed as service_role and rolled back. */
  async storedRow(table: string, row: Row): Promise<Row> {
    const c = this.client;
    await c.query('BEGIN');
    try {
      await c.query('SET LOCAL ROLE service_role');
      const [sql, params] = this.insertSql(table, row, {});
      const res = await c.query<Row>(`${sql} RETURNING *`, params);
      const stored = res.rows[0];
      if (!stored) throw new Error(`no row returned for ${table}`);
      return normalizeRow(stored);
    } finally {
      await c.query('ROLLBACK');
    }
  }

  private async asActor<T>(actor: ActorId, fn: () => Promise<T>): Promise<T> {
    const c = this.client;
    const a = ACTORS[actor];
    await c.query('BEGIN');
    try {
      if (a.id === 'anon') {
        await c.query('SET LOCAL ROLE anon');
        await c.query(`SELECT set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ role: 'anon' })]);
      } else {
        await c.query('SET LOCAL ROLE authenticated');
        await c.query(`SELECT set_config('request.jwt.claims', $1, true)`, [
          JSON.stringify({ sub: a.uid, role: 'authenticated', aud: 'authenticated', email: a.email }),
        ]);
      }
      return await fn();
    } finally {
      await c.query('ROLLBACK');
    }
  }

  private async asService<T>(fn: () => Promise<T>): Promise<T> {
    await this.client.query('BEGIN');
    try {
      await this.client.query('SET LOCAL ROLE service_role');
      return await fn();
    } finally {
      await this.client.query('ROLLBACK');
    }
  }

  private listSql(table: string, list: ResolvedList): [string, unknown[]] {
    const pk = pkOf(table);
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [param, value] of Object.entries(list.params)) {
      params.push(value);
      where.push(parentFilter(table, param).replace('$', `$${params.length}`));
    }
    list.where.forEach((w) => {
      params.push(w.value);
      const p = `$${params.length}`;
      const col = quote(w.field);
      switch (w.op) {
        case '==':
          where.push(`${col} = ${p}`);
          break;
        case 'array-contains':
          where.push(`${p} = ANY(${col})`);
          break;
        case '<':
        case '<=':
        case '>':
        case '>=':
          where.push(`${col} ${w.op} ${p}`);
          break;
        default:
          throw new Error(`no SQL for filter ${w.op}`);
      }
    });
    return [`SELECT ${quote(pk)}::text AS pk FROM public.${quote(table)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`, params];
  }

  /** Run one cell. `stored` is the seeded fixture (rows as stored) to find primary keys. */
  async run(table: string, c: Case, actor: ActorId, stored: Fixture, list?: ResolvedList): Promise<Outcome> {
    const pk = pkOf(table);
    const me = ACTORS[actor];
    const rowOf = (key: string): Row => {
      const r = stored[table]?.[key];
      if (!r) throw new Error(`${table} has no fixture row ${key}`);
      return r;
    };
    try {
      switch (c.op) {
        case 'get': {
          const res = await this.asActor(actor, () => this.client.query(`SELECT 1 FROM public.${quote(table)} WHERE ${quote(pk)} = $1`, [rowOf(c.row)[pk]]));
          return { allowed: res.rowCount === 1, detail: res.rowCount === 1 ? 'row returned' : 'RLS hides the row' };
        }
        case 'list': {
          if (!list) throw new Error('list case without its resolved query');
          const [sql, params] = this.listSql(table, list);
          const key = JSON.stringify([table, sql, params]);
          let everything = this.serviceLists.get(key);
          if (!everything) {
            everything = (await this.asService(() => this.client.query<{ pk: string }>(sql, params))).rows.map((r) => r.pk).sort();
            this.serviceLists.set(key, everything);
          }
          const seen = (await this.asActor(actor, () => this.client.query<{ pk: string }>(sql, params))).rows.map((r) => r.pk).sort();
          const all = everything;
          const hidden = all.filter((p) => !seen.includes(p));
          return hidden.length
            ? { allowed: false, detail: `RLS hides ${hidden.length} of the ${all.length} rows the query asks for` }
            : { allowed: true, detail: `${seen.length} rows`, rows: seen };
        }
        case 'create': {
          const row = resolveRow({ ...c.values, ...(c.raw ?? {}) }, me);
          const [sql, params] = this.insertSql(table, row, c.extraKeys ?? {});
          await this.asActor(actor, () => this.client.query(sql, params));
          return { allowed: true, detail: 'inserted' };
        }
        case 'update': {
          const values = { ...resolveRow(c.values, me), ...(c.extraKeys ?? {}) };
          const sets: string[] = [];
          const params: unknown[] = [];
          for (const [k, v] of Object.entries(values)) {
            if (v === NOW) sets.push(`${quote(k)} = now()`);
            else {
              params.push(this.param(table, k, resolveValue(v, me)));
              sets.push(`${quote(k)} = $${params.length}`);
            }
          }
          params.push(rowOf(c.row)[pk]);
          const res = await this.asActor(actor, () =>
            this.client.query(`UPDATE public.${quote(table)} SET ${sets.join(', ')} WHERE ${quote(pk)} = $${params.length}`, params),
          );
          return { allowed: res.rowCount === 1, detail: res.rowCount === 1 ? 'updated' : 'RLS hides the row from UPDATE' };
        }
        case 'delete': {
          const res = await this.asActor(actor, () => this.client.query(`DELETE FROM public.${quote(table)} WHERE ${quote(pk)} = $1`, [rowOf(c.row)[pk]]));
          return { allowed: res.rowCount === 1, detail: res.rowCount === 1 ? 'deleted' : 'RLS hides the row from DELETE' };
        }
      }
    } catch (err) {
      const e = err as PgError;
      const why = e.code ? DENIALS[e.code] : undefined;
      if (why) return { allowed: false, detail: `${why} (${e.code}: ${e.message})` };
      throw new Error(`${table} ${c.op} "${c.name}" as ${actor}: unexpected SQL error ${e.code ?? ''} ${e.message} (a fixture mistake, not a denial)`);
    }
  }
}

/** pg's values as fixture JSON: Dates as ISO strings. */
function normalizeRow(r: Row | Record<string, unknown>): Row {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : (v as Json)]));
}
