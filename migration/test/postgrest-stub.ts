/**
 * A small HTTP server that answers the PostgREST requests @supabase/supabase-js sends for the
 * supabase source, from a real PostgreSQL test database. No PostgREST binary can be installed here
 * (not in Debian 12, not on npm), so this stands in for it, implementing exactly the subset the
 * migration uses, the way PostgREST 12 answers it:
 *
 * - `GET /rest/v1/` — the OpenAPI (Swagger 2.0) description: per table, its columns with `format`
 *   (the PostgreSQL type name, enums schema-qualified with their `enum` values), `required` for
 *   NOT NULL columns, and `<pk/>` in the description of primary key columns;
 * - `GET /rest/v1/<table>?select=a::text,b::text&<col>=gt.<v>&<col>=in.(…)&order=<col>.asc&limit=N`;
 * - `HEAD` with `Prefer: count=exact` — the count in the Content-Range header (star, slash, count).
 *
 * Requests must carry the service role key (apikey header); the auth schema is not exposed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

export interface PostgrestStub {
  url: string;
  key: string;
  /** Requests answered, for tests that check the source paginated. */
  requests: string[];
  close(): Promise<void>;
}

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Values of `in.(a,"b,c")`. */
function parseInList(text: string): string[] {
  const inner = text.replace(/^\(/, '').replace(/\)$/, '');
  const out: string[] = [];
  let i = 0;
  while (i < inner.length) {
    if (inner[i] === '"') {
      const end = inner.indexOf('"', i + 1);
      out.push(inner.slice(i + 1, end));
      i = end + 2;
    } else {
      const end = inner.indexOf(',', i);
      out.push(inner.slice(i, end === -1 ? inner.length : end));
      i = end === -1 ? inner.length : end + 1;
    }
  }
  return out;
}

export async function startPostgrestStub(databaseUrl: string, key = 'test-service-role-key'): Promise<PostgrestStub> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  // pool.end() resolves before its clients' sockets close; dropping the test database then
  // terminates them (57P01), which an idle client reports through the pool: expected, not a failure.
  pool.on('error', () => undefined);
  const requests: string[] = [];

  async function columns(): Promise<Map<string, Array<{ name: string; format: string; notnull: boolean; pk: boolean; enumValues: string[] | null }>>> {
    const res = await pool.query<{
      tbl: string;
      attname: string;
      format: string;
      notnull: boolean;
      pk: boolean;
      enum_values: string[] | null;
      typtype: string;
      nspname: string;
      typname: string;
    }>(
      `SELECT c.relname AS tbl, a.attname, format_type(a.atttypid, NULL) AS format, a.attnotnull AS notnull,
              EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary AND a.attnum = ANY (i.indkey)) AS pk,
              t.typtype, tn.nspname, t.typname,
              CASE WHEN t.typtype = 'e' THEN ARRAY(SELECT enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END AS enum_values
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = t.typnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY c.relname, a.attnum`,
    );
    const out = new Map<string, Array<{ name: string; format: string; notnull: boolean; pk: boolean; enumValues: string[] | null }>>();
    for (const r of res.rows) {
      const list = out.get(r.tbl) ?? [];
      // PostgREST names enums (and other user types) with their schema.
      const format = r.typtype === 'e' ? `${r.nspname}.${r.typname}` : r.format;
      list.push({ name: r.attname, format, notnull: r.notnull, pk: r.pk, enumValues: r.enum_values });
      out.set(r.tbl, list);
    }
    return out;
  }

  async function openApi(): Promise<unknown> {
    const definitions: Record<string, unknown> = {};
    for (const [table, cols] of await columns()) {
      definitions[table] = {
        type: 'object',
        required: cols.filter((c) => c.notnull).map((c) => c.name),
        properties: Object.fromEntries(
          cols.map((c) => [
            c.name,
            {
              format: c.format,
              type: c.format.endsWith('[]')
                ? 'array'
                : /integer|numeric|bigint|smallint/.test(c.format)
                  ? 'number'
                  : c.format === 'boolean'
                    ? 'boolean'
                    : 'string',
              ...(c.pk ? { description: 'Note:\nThis is a Primary Key.<pk/>' } : {}),
              ...(c.enumValues ? { enum: c.enumValues } : {}),
            },
          ]),
        ),
      };
    }
    return { swagger: '2.0', info: { title: 'PostgREST stub', version: '12' }, definitions, paths: {} };
  }

  async function select(
    table: string,
    params: URLSearchParams,
    head: boolean,
    prefer: string,
  ): Promise<{ status: number; body: string; headers: Record<string, string> }> {
    const known = await columns();
    const cols = known.get(table);
    if (!cols) return { status: 404, body: JSON.stringify({ code: '42P01', message: `relation "public.${table}" does not exist` }), headers: {} };
    const names = new Set(cols.map((c) => c.name));
    const values: unknown[] = [];
    const where: string[] = [];
    let order = '';
    let limit = '';
    let selectList = '*';
    for (const [k, v] of params) {
      if (k === 'select') {
        if (v === '*') continue;
        selectList = v
          .split(',')
          .map((item) => {
            const m = /^([A-Za-z_][A-Za-z_0-9]*)(?:::(text))?$/.exec(item);
            if (!m || !names.has(m[1] as string)) throw new Error(`bad select item ${item}`);
            return m[2] ? `${q(m[1] as string)}::text AS ${q(m[1] as string)}` : q(m[1] as string);
          })
          .join(', ');
      } else if (k === 'order') {
        const m = /^([A-Za-z_][A-Za-z_0-9]*)\.(asc|desc)$/.exec(v);
        if (!m || !names.has(m[1] as string)) throw new Error(`bad order ${v}`);
        order = ` ORDER BY ${q(m[1] as string)} ${m[2] === 'desc' ? 'DESC' : 'ASC'}`;
      } else if (k === 'limit') {
        limit = ` LIMIT ${Number(v)}`;
      } else if (names.has(k)) {
        const dot = v.indexOf('.');
        const op = v.slice(0, dot);
        const arg = v.slice(dot + 1);
        if (op === 'gt') {
          values.push(arg);
          where.push(`${q(k)} > $${values.length}`);
        } else if (op === 'in') {
          values.push(parseInList(arg));
          where.push(`${q(k)} = ANY ($${values.length})`);
        } else throw new Error(`unsupported operator ${op}`);
      } else throw new Error(`unsupported parameter ${k}`);
    }
    const from = ` FROM public.${q(table)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (head) {
      const res = await pool.query<{ n: string }>(`SELECT count(*)::text AS n${from}`, values);
      headers['content-range'] = `*/${res.rows[0]?.n ?? 0}`;
      return { status: 200, body: '', headers };
    }
    const res = await pool.query(`SELECT ${selectList}${from}${order}${limit}`, values);
    let total = '*';
    if (/count=exact/.test(prefer)) total = String((await pool.query<{ n: string }>(`SELECT count(*)::text AS n${from}`, values)).rows[0]?.n ?? 0);
    headers['content-range'] = `${res.rows.length ? `0-${res.rows.length - 1}` : '*'}/${total}`;
    return { status: 200, body: JSON.stringify(res.rows), headers };
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://stub');
        requests.push(`${req.method} ${url.pathname}${url.search}`);
        if (req.headers.apikey !== key) {
          res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Invalid API key' }));
          return;
        }
        if (url.pathname === '/rest/v1/' || url.pathname === '/rest/v1') {
          res.writeHead(200, { 'content-type': 'application/openapi+json' }).end(JSON.stringify(await openApi()));
          return;
        }
        const m = /^\/rest\/v1\/([A-Za-z_][A-Za-z_0-9]*)$/.exec(url.pathname);
        if (!m || (req.method !== 'GET' && req.method !== 'HEAD')) {
          res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'not found' }));
          return;
        }
        const out = await select(m[1] as string, url.searchParams, req.method === 'HEAD', String(req.headers.prefer ?? ''));
        res.writeHead(out.status, out.headers).end(req.method === 'HEAD' ? undefined : out.body);
      } catch (err) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ message: (err as Error).message }));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    key,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
