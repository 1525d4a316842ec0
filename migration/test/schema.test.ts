import fs from 'node:fs';
import path from 'node:path';
import { applySqlFolder, supabaseMigrationsDir } from '@zhengrowth/devstack';
import { emptyDatabase, freshDatabase, type TestDatabase } from '@zhengrowth/devstack/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asRole, errorOf, withClient } from './pg-helpers.js';
import { docHasRoleDefinition, readSchemaDoc, type DocIndex } from './schema-doc.js';

const doc = readSchemaDoc();

/** How information_schema names each type the document uses. */
const UDT: Readonly<Record<string, string>> = {
  uuid: 'uuid',
  text: 'text',
  integer: 'int4',
  numeric: 'numeric',
  boolean: 'bool',
  timestamptz: 'timestamptz',
  jsonb: 'jsonb',
  'text[]': '_text',
  date: 'date',
  inet: 'inet',
  app_role: 'app_role',
};

const normalizeColumns = (cols: string): string => cols.replace(/"/g, '').replace(/\s+/g, ' ').trim().toLowerCase();

describe('the schema document, as parsed by the tests', () => {
  it('lists 45 tables, each with columns and a primary key', () => {
    expect(doc).toHaveLength(45);
    for (const t of doc) {
      expect(t.columns.length, t.name).toBeGreaterThan(2);
      expect(
        t.columns.filter((c) => c.description.startsWith('Primary key')),
        t.name,
      ).toHaveLength(1);
    }
  });
});

describe('migration/supabase/migrations in an empty PostgreSQL 15 database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await emptyDatabase('zg_schema');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('loads, and the prelude can run again over it', async () => {
    const files = await applySqlFolder(db.url);
    expect(files.map((f) => path.basename(f))).toEqual(['20250101000000_prelude.sql', '20250101000100_schema.sql', '20250101000200_rls.sql']);
    await withClient(db.url, async (c) => {
      const v = await c.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`);
      expect(Number(v.rows[0]?.v) / 10000).toBeGreaterThanOrEqual(15);
      // The prelude must be a no-op where its objects exist (as on Supabase).
      await c.query(fs.readFileSync(path.join(supabaseMigrationsDir(), '20250101000000_prelude.sql'), 'utf8'));
    });
  });
});

describe('the loaded schema', () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await freshDatabase('zg_schema');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('has exactly the 45 documented tables in public', async () => {
    const res = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    expect(res.rows.map((r) => r.table_name)).toEqual(doc.map((t) => t.name).sort());
  });

  it('has every documented column with its type and nullability, and no other column', async () => {
    const res = await client.query<{
      table_name: string;
      column_name: string;
      udt_name: string;
      is_nullable: string;
      numeric_precision: number | null;
      data_type: string;
    }>(
      `SELECT table_name, column_name, udt_name, is_nullable, numeric_precision, data_type
         FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
    );
    for (const table of doc) {
      const actual = res.rows.filter((r) => r.table_name === table.name);
      expect(
        actual.map((r) => r.column_name),
        table.name,
      ).toEqual(table.columns.map((c) => c.name));
      for (const col of table.columns) {
        const row = actual.find((r) => r.column_name === col.name);
        const where = `${table.name}.${col.name}`;
        expect(UDT[col.type], `${where}: the test does not know the type ${col.type}`).toBeDefined();
        expect(row?.udt_name, where).toBe(UDT[col.type]);
        expect(row?.is_nullable, where).toBe(col.nullable ? 'YES' : 'NO');
        // "numeric" in the document is unconstrained numeric, not numeric(p, s).
        if (col.type === 'numeric') expect(row?.numeric_precision, where).toBeNull();
      }
    }
  });

  it('has every documented default, and none where the document has none', async () => {
    const res = await client.query<{ table_name: string; column_name: string; column_default: string | null }>(
      `SELECT table_name, column_name, column_default FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const actual = new Map(res.rows.map((r) => [`${r.table_name}.${r.column_name}`, r.column_default]));
    // Defaults are compared by value, evaluated by PostgreSQL in one statement (so now() = now());
    // gen_random_uuid() differs on every call and is compared as text.
    const comparisons: string[] = [];
    const labels: string[] = [];
    for (const table of doc) {
      for (const col of table.columns) {
        const where = `${table.name}.${col.name}`;
        const got = actual.get(where) ?? null;
        if (col.default === null) {
          expect(got, where).toBeNull();
        } else if (col.default === 'gen_random_uuid()') {
          expect(got, where).toBe('gen_random_uuid()');
        } else {
          expect(got, where).not.toBeNull();
          comparisons.push(`((${col.default})::${col.type} IS NOT DISTINCT FROM (${got})::${col.type})`);
          labels.push(`${where}: document ${col.default}, database ${got}`);
        }
      }
    }
    const row = (await client.query<{ same: boolean[] }>(`SELECT ARRAY[${comparisons.join(', ')}] AS same`)).rows[0];
    const different = labels.filter((_, i) => row?.same[i] !== true);
    expect(different).toEqual([]);
  });

  it('has every documented primary key, index and unique constraint (GIN on the tags arrays)', async () => {
    const res = await client.query<{ tbl: string; unique: boolean; primary: boolean; def: string }>(
      `SELECT c.relname AS tbl, i.indisunique AS unique, i.indisprimary AS primary, pg_get_indexdef(i.indexrelid) AS def
         FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public'`,
    );
    const indexes = res.rows.map((r) => {
      const m = /USING (\w+) \((.*)\)$/.exec(r.def);
      return { table: r.tbl, unique: r.unique, primary: r.primary, method: m?.[1], columns: normalizeColumns(m?.[2] ?? '') };
    });
    const missing: string[] = [];
    const matches = (table: string, want: DocIndex) =>
      indexes.some(
        (i) =>
          i.table === table &&
          i.columns === normalizeColumns(want.columns) &&
          i.method === want.method &&
          i.unique === want.unique &&
          (!want.primary || i.primary),
      );
    for (const table of doc) {
      const pk = table.columns.find((c) => c.description.startsWith('Primary key'));
      const wanted: DocIndex[] = [...table.indexes, { columns: pk?.name ?? '?', unique: true, primary: true, method: 'btree' }];
      for (const want of wanted) if (!matches(table.name, want)) missing.push(`${table.name} (${want.columns})${want.unique ? ' unique' : ''} ${want.method}`);
    }
    expect(missing).toEqual([]);
    // The three tags arrays with a listed index are GIN-indexed.
    expect(
      indexes
        .filter((i) => i.columns === 'tags' && i.method === 'gin')
        .map((i) => i.table)
        .sort(),
    ).toEqual(['blog_posts', 'community_posts', 'events_catalog']);
  });

  it('has a foreign key exactly where the document says "References"', async () => {
    const res = await client.query<{ tbl: string; col: string; target: string }>(
      `SELECT c.conrelid::regclass::text AS tbl, a.attname AS col,
              replace(c.confrelid::regclass::text, 'public.', '') || '(' || fa.attname || ')' AS target
         FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`,
    );
    const actual = res.rows.map((r) => `${r.tbl}.${r.col} -> ${r.target}`).sort();
    const documented = doc.flatMap((t) => [...t.references].map(([col, target]) => `${t.name}.${col} -> ${target}`)).sort();
    expect(documented.length).toBeGreaterThan(10);
    expect(actual).toEqual(documented);
  });

  it('has the app_role enum and has_role() exactly as the document gives it', async () => {
    const e = await client.query<{ v: string }>(`SELECT unnest(enum_range(NULL::public.app_role))::text AS v`);
    expect(e.rows.map((r) => r.v)).toEqual(['admin', 'coach', 'client']);
    const sql = fs.readFileSync(path.join(supabaseMigrationsDir(), '20250101000100_schema.sql'), 'utf8');
    expect(sql).toContain(docHasRoleDefinition());
    const f = await client.query<{ prosecdef: boolean; provolatile: string; proconfig: string[] }>(
      `SELECT prosecdef, provolatile, proconfig FROM pg_proc WHERE oid = 'public.has_role(uuid, public.app_role)'::regprocedure`,
    );
    expect(f.rows[0]).toEqual({ prosecdef: true, provolatile: 's', proconfig: ['search_path=public'] });
  });

  it('has RLS enabled on every table', async () => {
    const res = await client.query<{ relname: string }>(
      `SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relrowsecurity ORDER BY 1`,
    );
    expect(res.rows.map((r) => r.relname)).toEqual(doc.map((t) => t.name).sort());
  });

  it('comments every policy with the document line it implements or the choice made without one', () => {
    const lines = fs.readFileSync(path.join(supabaseMigrationsDir(), '20250101000200_rls.sql'), 'utf8').split('\n');
    const uncommented: string[] = [];
    lines.forEach((line, i) => {
      if (!line.startsWith('CREATE POLICY')) return;
      let j = i - 1;
      const comment: string[] = [];
      while (j >= 0 && lines[j]?.startsWith('--')) comment.unshift(lines[j--] ?? '');
      const text = comment.join(' ');
      if (!/"[^"]+"|no RLS line in the schema/.test(text)) uncommented.push(line);
    });
    expect(uncommented).toEqual([]);
  });

  it('has the Supabase roles, service_role bypassing RLS', async () => {
    const res = await client.query<{ rolname: string; rolbypassrls: boolean; rolcanlogin: boolean }>(
      `SELECT rolname, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname IN ('anon', 'authenticated', 'service_role') ORDER BY 1`,
    );
    expect(res.rows).toEqual([
      { rolname: 'anon', rolbypassrls: false, rolcanlogin: false },
      { rolname: 'authenticated', rolbypassrls: false, rolcanlogin: false },
      { rolname: 'service_role', rolbypassrls: true, rolcanlogin: false },
    ]);
  });

  it('auth.uid(), auth.role() and auth.jwt() read request.jwt.claims (and the legacy claim.sub)', async () => {
    const uid = '6c0b8e8e-2a51-4b8a-9c36-0d1f0b7d2a11';
    await client.query('BEGIN');
    try {
      const none = await client.query(`SELECT auth.uid() AS uid, auth.role() AS role, auth.jwt() AS jwt`);
      expect(none.rows[0]).toEqual({ uid: null, role: null, jwt: null });
      await client.query(`SELECT set_config('request.jwt.claims', $1, true)`, [
        JSON.stringify({ sub: uid, role: 'authenticated', email: 'a@example.com', app_metadata: { provider: 'email' } }),
      ]);
      const set = await client.query(
        `SELECT auth.uid() AS uid, auth.role() AS role, auth.jwt() ->> 'email' AS email, auth.jwt() #>> '{app_metadata,provider}' AS provider`,
      );
      expect(set.rows[0]).toEqual({ uid, role: 'authenticated', email: 'a@example.com', provider: 'email' });
      const other = 'd3b07384-d113-4ec6-a5a1-6c9b1c4f8e2b';
      await client.query(`SELECT set_config('request.jwt.claim.sub', $1, true)`, [other]);
      expect((await client.query(`SELECT auth.uid() AS uid`)).rows[0]).toEqual({ uid: other });
    } finally {
      await client.query('ROLLBACK');
    }
  });

  describe('RLS smoke checks (the full matrix is the parity suite)', () => {
    const admin = '11111111-1111-4111-8111-111111111111';
    const alice = '22222222-2222-4222-8222-222222222222';
    const bob = '33333333-3333-4333-8333-333333333333';

    beforeAll(async () => {
      await client.query(`INSERT INTO auth.users (id, email) VALUES ($1, 'admin@example.com'), ($2, 'alice@example.com'), ($3, 'bob@example.com')`, [
        admin,
        alice,
        bob,
      ]);
      await client.query(`INSERT INTO public.user_roles (user_id, role) VALUES ($1, 'admin'), ($2, 'client'), ($3, 'client')`, [admin, alice, bob]);
      await client.query(
        `INSERT INTO public.zg_profiles (user_id, email, name) VALUES ($1, 'admin@example.com', 'Admin'), ($2, 'alice@example.com', 'Alice'), ($3, 'bob@example.com', '鮑勃')`,
        [admin, alice, bob],
      );
      await client.query(`INSERT INTO public.nudge_inbox (user_id, message) VALUES ($1, '你好'), ($2, 'hello')`, [alice, bob]);
      await client.query(`INSERT INTO public.blog_posts (slug, title, published) VALUES ('live', 'Live', true), ('draft', 'Draft', false)`);
      await client.query(`INSERT INTO public.community_posts (author_id, title, content) VALUES ($1, 'Hi', 'First post')`, [alice]);
    });

    it('has_role answers true for a held role and false otherwise', async () => {
      const res = await client.query(
        `SELECT public.has_role($1, 'admin') AS a, public.has_role($1, 'coach') AS b, public.has_role($2, 'admin') AS c, public.has_role($2, 'client') AS d, public.has_role(NULL, 'admin') AS e`,
        [admin, alice],
      );
      expect(res.rows[0]).toEqual({ a: true, b: false, c: false, d: true, e: false });
    });

    it('a user reads and edits only their own profile, and not its key columns; an admin reads all', async () => {
      await asRole(client, 'authenticated', { sub: alice }, async () => {
        expect((await client.query(`SELECT name FROM public.zg_profiles`)).rows).toEqual([{ name: 'Alice' }]);
        expect((await client.query(`UPDATE public.zg_profiles SET name = 'Alicia'`)).rowCount).toBe(1);
        expect(await errorOf(client, `UPDATE public.zg_profiles SET email = 'x@example.com'`)).toMatch(/permission denied/);
        expect(await errorOf(client, `UPDATE public.zg_profiles SET user_id = $1`, [bob])).toMatch(/permission denied/);
      });
      await asRole(client, 'authenticated', { sub: admin }, async () => {
        expect((await client.query(`SELECT count(*)::int AS n FROM public.zg_profiles`)).rows[0]).toEqual({ n: 3 });
      });
    });

    it('has_role works under RLS too (it reads user_roles as its owner)', async () => {
      await asRole(client, 'authenticated', { sub: alice }, async () => {
        expect((await client.query(`SELECT role::text FROM public.user_roles`)).rows).toEqual([{ role: 'client' }]);
        expect((await client.query(`SELECT public.has_role($1, 'admin') AS x`, [admin])).rows[0]).toEqual({ x: true });
      });
    });

    it('an inbox owner may mark a notification read but not rewrite it', async () => {
      await asRole(client, 'authenticated', { sub: alice }, async () => {
        expect((await client.query(`UPDATE public.nudge_inbox SET read = true, read_at = now()`)).rowCount).toBe(1);
        expect(await errorOf(client, `UPDATE public.nudge_inbox SET message = 'changed'`)).toMatch(/permission denied/);
        expect((await client.query(`SELECT message FROM public.nudge_inbox`)).rows).toEqual([{ message: '你好' }]);
      });
    });

    it('a community author edits their post but not its counters', async () => {
      await asRole(client, 'authenticated', { sub: alice }, async () => {
        expect((await client.query(`UPDATE public.community_posts SET title = 'Hello'`)).rowCount).toBe(1);
        expect(await errorOf(client, `UPDATE public.community_posts SET likes_count = 1000`)).toMatch(/permission denied/);
      });
      await asRole(client, 'authenticated', { sub: bob }, async () => {
        expect((await client.query(`UPDATE public.community_posts SET title = 'Hijacked'`)).rowCount).toBe(0);
      });
    });

    it('anonymous visitors read published posts only, and their events and leads are validated', async () => {
      await asRole(client, 'anon', {}, async () => {
        expect((await client.query(`SELECT slug FROM public.blog_posts`)).rows).toEqual([{ slug: 'live' }]);
        expect((await client.query(`SELECT count(*)::int AS n FROM public.zg_profiles`)).rows[0]).toEqual({ n: 0 });
        expect(await errorOf(client, `INSERT INTO public.analytics_events (event_name) VALUES ('page_view')`)).toBeNull();
        expect(await errorOf(client, `INSERT INTO public.analytics_events (event_name, user_id) VALUES ('page_view', $1)`, [alice])).toMatch(
          /row-level security/,
        );
        expect(await errorOf(client, `INSERT INTO public.leads (email, name) VALUES ('lead@example.com', '林小姐')`)).toBeNull();
        expect(await errorOf(client, `INSERT INTO public.leads (email) VALUES ('not-an-email')`)).toMatch(/row-level security/);
        expect(await errorOf(client, `INSERT INTO public.leads (email, owner) VALUES ('lead@example.com', $1)`, [admin])).toMatch(/row-level security/);
        expect(await errorOf(client, `TRUNCATE public.leads`)).toMatch(/permission denied/);
      });
      await asRole(client, 'authenticated', { sub: alice }, async () => {
        expect(await errorOf(client, `INSERT INTO public.analytics_events (event_name, user_id) VALUES ('page_view', $1)`, [alice])).toBeNull();
        expect(await errorOf(client, `INSERT INTO public.analytics_events (event_name, user_id) VALUES ('page_view', $1)`, [bob])).toMatch(
          /row-level security/,
        );
      });
    });

    it('service_role bypasses RLS', async () => {
      await client.query('BEGIN');
      try {
        await client.query('SET LOCAL ROLE service_role');
        expect((await client.query(`SELECT count(*)::int AS n FROM public.nudge_inbox`)).rows[0]).toEqual({ n: 2 });
      } finally {
        await client.query('ROLLBACK');
      }
    });
  });
});
