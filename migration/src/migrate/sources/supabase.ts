/**
 * The `supabase` source: for projects where only the API is reachable. SUPABASE_URL and
 * SUPABASE_SERVICE_ROLE_KEY through @supabase/supabase-js (the service role bypasses RLS); keyset
 * pagination by primary key; every column cast to text in the select (`id::text,…`), so values
 * arrive exactly as PostgreSQL prints them, as with the postgres source. Column types come from
 * PostgREST's OpenAPI description of the schema. The API exposes no auth schema (no auth.users,
 * so no password hashes) and no snapshot across requests.
 */
import { kindOf, type SourceColumn, type SourceRow, type SourceTable } from './catalog.js';
import { feedWithoutSlot, SourceError, type ScanOptions, type Source } from './source.js';
import { supabaseClient } from './supabase-client.js';

/** Supabase's PostgREST answers at most 1,000 rows a request by default. */
const MAX_PAGE = 1000;
const IN_CHUNK = 100;

interface OpenApiProperty {
  format?: string;
  type?: string;
  description?: string;
  enum?: unknown[];
}
interface OpenApi {
  definitions?: Record<string, { required?: string[]; properties?: Record<string, OpenApiProperty> }>;
}

export interface SupabaseSourceOptions {
  url: string;
  serviceRoleKey: string;
}

type Query = PromiseLike<{ data: unknown; error: { message: string } | null; count?: number | null }>;

async function withRetry<T>(what: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= 4 || err instanceof SourceError) throw err;
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
      void what;
    }
  }
}

async function run(what: string, query: () => Query): Promise<{ data: unknown; count: number | null }> {
  return withRetry(what, async () => {
    const res = await query();
    if (res.error) {
      const message = res.error.message || JSON.stringify(res.error);
      // 5xx and network errors come back as errors too: retry those, fail on the rest.
      if (/fetch failed|ECONNRESET|timeout|5\d\d/i.test(message)) throw new Error(message);
      throw new SourceError(`${what}: ${message}`);
    }
    return { data: res.data, count: res.count ?? null };
  });
}

export function openSupabaseSource(options: SupabaseSourceOptions): Source {
  let base: URL;
  try {
    base = new URL(options.url);
  } catch {
    throw new SourceError('SUPABASE_URL is not a URL');
  }
  const client = supabaseClient(options.url, options.serviceRoleKey);

  async function openApi(): Promise<OpenApi> {
    const res = await withRetry('reading the API schema', async () => {
      const r = await fetch(new URL('/rest/v1/', base), {
        headers: { apikey: options.serviceRoleKey, Authorization: `Bearer ${options.serviceRoleKey}`, Accept: 'application/openapi+json' },
      });
      if (r.status >= 500) throw new Error(`HTTP ${r.status}`);
      return r;
    });
    if (!res.ok)
      throw new SourceError(
        `${options.url}/rest/v1/ answered ${res.status}: ${(await res.text()).slice(0, 200)} (is SUPABASE_SERVICE_ROLE_KEY the service role key?)`,
      );
    return (await res.json()) as OpenApi;
  }

  const textSelect = (columns: readonly string[]): string => columns.map((c) => `${c}::text`).join(',');

  const source: Source = {
    kind: 'supabase',
    description: `supabase ${base.origin}`,
    canReadAuthUsers: false,
    consistent: false,
    feed: feedWithoutSlot('rewrite', 'the supabase API source has no replication slot and no snapshot: each sync reads every row again'),

    async catalog(tables) {
      const api = await openApi();
      const out = new Map<string, SourceTable>();
      for (const t of tables) {
        if (t.includes('.') && !t.startsWith('public.')) continue; // auth.users: not exposed by the API
        const def = api.definitions?.[t];
        if (!def?.properties) continue;
        const required = new Set(def.required ?? []);
        const columns: SourceColumn[] = Object.entries(def.properties).map(([name, p]) => {
          const pgType = p.format ?? p.type ?? 'unknown';
          return { name, pgType, kind: kindOf(pgType, Array.isArray(p.enum)), nullable: !required.has(name) };
        });
        const pks = Object.entries(def.properties)
          .filter(([, p]) => (p.description ?? '').includes('<pk/>'))
          .map(([name]) => name);
        if (pks.length !== 1) throw new SourceError(`${t}: the API description names ${pks.length} primary key columns; zg-migrate needs one`);
        out.set(t, { name: t, columns, primaryKey: pks[0] as string });
      }
      return out;
    },

    async count(table, after = null, orderBy) {
      const key = orderBy ?? table.primaryKey;
      const res = await run(`counting ${table.name}`, () => {
        const q = client.from(table.name).select('*', { count: 'exact', head: true });
        return after === null ? q : q.gt(key, after);
      });
      return res.count ?? 0;
    },

    scan(table, opts: ScanOptions): AsyncIterable<SourceRow[]> {
      const key = opts.orderBy ?? table.primaryKey;
      const columns = opts.columns ?? table.columns.map((c) => c.name);
      const select = textSelect(columns.includes(key) ? columns : [...columns, key]);
      const pageSize = Math.max(1, Math.min(MAX_PAGE, Math.floor(opts.pageSize)));
      return {
        async *[Symbol.asyncIterator]() {
          let after = opts.after;
          for (;;) {
            const res = await run(`reading ${table.name}`, () => {
              let q = client.from(table.name).select(select).order(key, { ascending: true }).limit(pageSize);
              if (after !== null) q = q.gt(key, after);
              if (opts.until !== undefined && opts.until !== null) q = q.lte(key, opts.until);
              return q;
            });
            const rows = (res.data ?? []) as SourceRow[];
            if (rows.length === 0) return;
            yield rows;
            const last = rows[rows.length - 1]?.[key] ?? null;
            if (rows.length < pageSize || last === null) return;
            after = last;
          }
        },
      };
    },

    async byKeys(table, column, values) {
      const out: SourceRow[] = [];
      const select = textSelect(table.columns.map((c) => c.name));
      for (let i = 0; i < values.length; i += IN_CHUNK) {
        const chunk = values.slice(i, i + IN_CHUNK);
        const res = await run(`reading ${table.name}`, () => client.from(table.name).select(select).in(column, chunk));
        out.push(...((res.data ?? []) as SourceRow[]));
      }
      return out;
    },

    async close() {
      // supabase-js keeps no connection open for PostgREST requests.
    },
  };
  return source;
}
