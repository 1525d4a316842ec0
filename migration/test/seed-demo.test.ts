import bcrypt from 'bcryptjs';
import { emptyDatabase, freshDatabase, type TestDatabase } from '@zhengrowth/devstack/testing';
import { currencyExponent, toMinorUnits } from '@zhengrowth/model';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, demoCounts, demoPasswords, generateDemoData, seedDemo, SeedTargetError } from '../src/seed/index.js';
import type { Row } from '../src/seed/rows.js';
import { withClient } from './pg-helpers.js';
import { readSchemaDoc } from './schema-doc.js';

const SCALE = 0.02;
/** Dates are relative to the day the data is made for: the comparisons below fix it. */
const DAY = new Date('2026-03-14T15:00:00Z');
const doc = readSchemaDoc();
const allTables = ['auth.users', ...doc.map((t) => `public.${t.name}`)];

/** md5 over every row of every table, each table's rows in a fixed order. */
async function checksums(url: string): Promise<Record<string, string>> {
  return withClient(url, async (c) => {
    const out: Record<string, string> = {};
    for (const t of allTables) {
      const res = await c.query<{ h: string | null }>(`SELECT md5(string_agg(x::text, E'\\n' ORDER BY x::text)) AS h FROM ${t} x`);
      out[t] = res.rows[0]?.h ?? '';
    }
    return out;
  });
}

describe('seedDemo at a small scale', () => {
  let a: TestDatabase;
  let b: TestDatabase;
  let other: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    [a, b, other] = await Promise.all([freshDatabase('zg_seed'), freshDatabase('zg_seed'), freshDatabase('zg_seed')]);
    // Sequentially: the machine has two cores and other suites run beside this one.
    await seedDemo(a.url, { scale: SCALE, seed: 'alpha', day: DAY });
    await seedDemo(b.url, { scale: SCALE, seed: 'alpha', day: DAY });
    await seedDemo(other.url, { scale: SCALE, seed: 'beta', day: DAY });
    client = new pg.Client({ connectionString: a.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await Promise.all([a?.drop(), b?.drop(), other?.drop()]);
  });

  const count = async (sql: string, params: unknown[] = []): Promise<number> => Number((await client.query<{ n: string }>(sql, params)).rows[0]?.n);

  it('puts rows in all 45 tables and in auth.users', async () => {
    const empty: string[] = [];
    for (const t of allTables) if ((await count(`SELECT count(*) AS n FROM ${t}`)) < 2) empty.push(t);
    expect(empty).toEqual([]);
  });

  it('keeps every foreign key', async () => {
    const fks = await client.query<{ child: string; cols: string[]; parent: string; pcols: string[] }>(
      `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent,
              ARRAY(SELECT attname FROM unnest(c.conkey) k JOIN pg_attribute ON attrelid = c.conrelid AND attnum = k)::text[] AS cols,
              ARRAY(SELECT attname FROM unnest(c.confkey) k JOIN pg_attribute ON attrelid = c.confrelid AND attnum = k)::text[] AS pcols
         FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`,
    );
    expect(fks.rows.length).toBeGreaterThan(10);
    const broken: string[] = [];
    for (const fk of fks.rows) {
      const join = fk.cols.map((col, i) => `p."${fk.pcols[i]}" = c."${col}"`).join(' AND ');
      const notNull = fk.cols.map((col) => `c."${col}" IS NOT NULL`).join(' AND ');
      const orphans = await count(`SELECT count(*) AS n FROM ${fk.child} c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${fk.parent} p WHERE ${join})`);
      const used = await count(`SELECT count(*) AS n FROM ${fk.child} c WHERE ${notNull}`);
      if (orphans > 0 || used === 0) broken.push(`${fk.child}(${fk.cols.join(', ')}) -> ${fk.parent}: ${orphans} orphans, ${used} references`);
    }
    expect(broken).toEqual([]);
  });

  it('keeps every logical reference the schema records in a column comment', async () => {
    const refs = await client.query<{ tbl: string; col: string; comment: string }>(
      `SELECT c.relname AS tbl, a.attname AS col, col_description(c.oid, a.attnum) AS comment
         FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE c.relnamespace = 'public'::regnamespace AND col_description(c.oid, a.attnum) LIKE '%Logical reference to%'`,
    );
    expect(refs.rows.length).toBeGreaterThan(25);
    const broken: string[] = [];
    for (const r of refs.rows) {
      const targets = [...r.comment.matchAll(/([a-z_]+\.[a-z_]+)\(([a-z_]+)\)/g)].map((m) => `SELECT ${m[2]}::text AS v FROM ${m[1]}`);
      const orphans = await count(
        `SELECT count(*) AS n FROM public.${r.tbl} c WHERE c.${r.col} IS NOT NULL AND c.${r.col}::text NOT IN (${targets.join(' UNION ALL ')})`,
      );
      if (orphans > 0) broken.push(`${r.tbl}.${r.col}: ${orphans} orphans (${r.comment})`);
    }
    expect(broken).toEqual([]);
  });

  it('is deterministic: the same seed and day give identical rows, another seed different ones', async () => {
    const [ca, cb, cother] = await Promise.all([checksums(a.url), checksums(b.url), checksums(other.url)]);
    expect(cb).toEqual(ca);
    const same = allTables.filter((t) => cother[t] === ca[t]);
    // Fixed catalogues (the app_role-free config tables) may coincide; the bulk must not.
    expect(same.length).toBeLessThan(allTables.length / 4);
    expect(cother['public.analytics_events']).not.toBe(ca['public.analytics_events']);
    expect(cother['auth.users']).not.toBe(ca['auth.users']);
  });

  it('writes money valid for its currency, including zero- and three-decimal currencies', async () => {
    const money: ReadonlyArray<readonly [table: string, amount: string, currency: string]> = [
      ['coaching_offers', 'price', 'currency'],
      ['cal_event_types', 'price', 'currency'],
      ['bookings', 'amount', 'currency'],
      ['express_orders', 'subtotal', 'currency'],
      ['express_orders', 'tax', 'currency'],
      ['express_orders', 'total', 'currency'],
      ['payments', 'amount', 'currency'],
      ['me_receipts', 'amount', 'currency'],
      ['event_prices', 'amount', 'currency'],
      ['event_regs', 'amount_paid', 'currency'],
      ['zg_referrals', 'reward_amount', 'currency'],
    ];
    const seen = new Set<string>();
    const invalid: string[] = [];
    for (const [table, amount, currency] of money) {
      // Every amount has its currency: a NULL currency beside an amount is an error the migration rejects.
      expect(
        await count(`SELECT count(*) AS n FROM public.${table} WHERE ${amount} IS NOT NULL AND ${currency} IS NULL`),
        `${table}.${amount} without currency`,
      ).toBe(0);
      const res = await client.query<{ amount: string; currency: string }>(
        `SELECT ${amount}::text AS amount, ${currency} AS currency FROM public.${table} WHERE ${amount} IS NOT NULL`,
      );
      for (const row of res.rows) {
        seen.add(row.currency);
        try {
          toMinorUnits(row.amount, row.currency);
        } catch (err) {
          invalid.push(`${table}.${amount} ${row.amount} ${row.currency}: ${(err as Error).message}`);
        }
      }
    }
    expect(invalid).toEqual([]);
    const exponents = new Set([...seen].map((c) => currencyExponent(c)));
    expect(exponents).toEqual(new Set([0, 2, 3]));
    expect(seen).toContain('JPY');
    expect(seen).toContain('KWD');
    expect(seen.size).toBeGreaterThanOrEqual(5);
    // Fixed-amount coupons too; percent coupons carry no currency.
    const coupons = await client.query<{ v: string; c: string }>(
      `SELECT discount_value::text AS v, currency AS c FROM public.coupons WHERE discount_type = 'fixed' AND currency IS NOT NULL`,
    );
    for (const r of coupons.rows) expect(() => toMinorUnits(r.v, r.c)).not.toThrow();
  });

  it('has a NULL in every nullable column, and push subscriptions without a user', async () => {
    const cols = await client.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND is_nullable = 'YES'`,
    );
    // A currency column can be NULL only where the amounts of its table can be (a NOT NULL amount keeps its currency).
    const amountAlwaysSet = new Set(
      (
        await client.query<{ table_name: string }>(
          `SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = 'public' AND data_type = 'numeric' AND is_nullable = 'NO'`,
        )
      ).rows.map((r) => r.table_name),
    );
    const never: string[] = [];
    for (const { table_name, column_name } of cols.rows) {
      if (column_name === 'currency' && amountAlwaysSet.has(table_name)) continue;
      if ((await count(`SELECT count(*) AS n FROM public.${table_name} WHERE "${column_name}" IS NULL`)) === 0) never.push(`${table_name}.${column_name}`);
    }
    expect(never).toEqual([]);
    expect(await count(`SELECT count(*) AS n FROM public.push_subscriptions WHERE user_id IS NULL`)).toBeGreaterThanOrEqual(2);
  });

  it('writes text in en, zh-CN and zh-TW (Simplified and Traditional characters)', async () => {
    const langs = await client.query<{ lang: string }>(`SELECT DISTINCT lang FROM public.zg_profiles WHERE lang IS NOT NULL ORDER BY 1`);
    expect(langs.rows.map((r) => r.lang)).toEqual(['en', 'zh-CN', 'zh-TW']);
    const all = await client.query<{ body: string }>(`SELECT string_agg(coalesce(title, '') || message, ' ') AS body FROM public.nudge_inbox`);
    const body = all.rows[0]?.body ?? '';
    expect(body).toMatch(/[A-Za-z]{4,}/);
    expect(body).toMatch(/[这为进]/); // Simplified only
    expect(body).toMatch(/[這為進]/); // Traditional only
    const i18n = await client.query<{ lang: string }>(`SELECT DISTINCT lang FROM public.i18n_dict ORDER BY 1`);
    expect(i18n.rows.map((r) => r.lang)).toEqual(['en', 'zh-CN', 'zh-TW']);
  });

  it('gives users each role, with bcrypt hashes that verify the known demo passwords', async () => {
    const roles = await client.query<{ role: string; n: string }>(`SELECT role::text, count(*) AS n FROM public.user_roles GROUP BY 1 ORDER BY 1`);
    const byRole = Object.fromEntries(roles.rows.map((r) => [r.role, Number(r.n)]));
    expect(byRole.admin).toBeGreaterThanOrEqual(2);
    expect(byRole.coach).toBeGreaterThanOrEqual(3);
    expect(byRole.client).toBeGreaterThan((byRole.admin ?? 0) + (byRole.coach ?? 0));
    const admin = await client.query<{ ok: boolean; hash: string }>(
      `SELECT public.has_role(id, 'admin') AS ok, encrypted_password AS hash FROM auth.users WHERE email = $1`,
      [DEMO_ACCOUNTS[0].email],
    );
    expect(admin.rows[0]?.ok).toBe(true);
    expect(admin.rows[0]?.hash).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    expect(bcrypt.compareSync(DEMO_ACCOUNTS[0].password, admin.rows[0]?.hash ?? '')).toBe(true);
    expect(await count(`SELECT count(*) AS n FROM auth.users WHERE encrypted_password IS NOT NULL AND encrypted_password !~ '^\\$2a\\$10\\$'`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM auth.users WHERE is_anonymous`)).toBeGreaterThanOrEqual(1);
    expect(
      await count(`SELECT count(*) AS n FROM auth.users u WHERE NOT EXISTS (SELECT 1 FROM public.zg_profiles p WHERE p.user_id = u.id)`),
    ).toBeGreaterThanOrEqual(1);
  });

  it('keeps microseconds in timestamps and nests jsonb', async () => {
    expect(await count(`SELECT count(*) AS n FROM public.analytics_events WHERE extract(microseconds FROM created_at)::bigint % 1000 <> 0`)).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM public.analytics_events WHERE extract(microseconds FROM created_at)::bigint % 1000 = 0`)).toBe(0);
    expect(
      await count(`SELECT count(*) AS n FROM public.zg_profiles WHERE jsonb_typeof(metadata #> '{preferences,notifications}') = 'object'`),
    ).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM public.remote_flags WHERE value = 'null'::jsonb`)).toBe(1);
  });

  it('refuses a database that already has rows, and one without the schema', async () => {
    await expect(seedDemo(a.url, { scale: SCALE, seed: 'alpha' })).rejects.toThrow(SeedTargetError);
    const bare = await emptyDatabase('zg_seed_bare');
    try {
      await expect(seedDemo(bare.url, { scale: SCALE, seed: 'alpha' })).rejects.toThrow(/apply the Supabase schema first/);
    } finally {
      await bare.drop();
    }
  });
});

describe('the generator at scale 1 (in memory)', () => {
  it('meets the schema document\'s "Database Statistics"', () => {
    const counts = demoCounts(1);
    expect(counts.analyticsEvents).toBe(100_000);
    expect(counts.offers).toBeGreaterThanOrEqual(5);
    expect(counts.offers).toBeLessThanOrEqual(10);
    const rows = new Map<string, number>();
    for (const t of generateDemoData(1, 'stats')) {
      if (t.table === 'public.analytics_events') continue; // lazy; its count is checked above
      rows.set(t.table, [...t.rows].length);
    }
    const atLeast: Record<string, number> = {
      'auth.users': 1000,
      'public.zg_profiles': 1000,
      'public.blog_posts': 50,
      'public.lessons': 100,
      'public.cal_bookings': 500,
      'public.leads': 2000,
      'public.community_posts': 200,
      'public.coaching_offers': 5,
    };
    for (const [table, min] of Object.entries(atLeast)) expect(rows.get(table), table).toBeGreaterThanOrEqual(min);
  });

  it('reuses a handful of real bcrypt hashes', () => {
    const { accounts, generic } = demoPasswords();
    for (const p of [...accounts, ...generic]) expect(bcrypt.compareSync(p.password, p.hash)).toBe(true);
  });
});

describe('the demo lives on the day it is made for (in memory)', () => {
  type Rows = Map<string, Row[]>;
  const make = (day: Date, seed = 'demo'): Rows => new Map(generateDemoData(0.05, seed, day).map((t) => [t.table, [...t.rows]]));
  const instant = (text: unknown): number =>
    Date.parse(
      String(text)
        .replace(' ', 'T')
        .replace(/(\.\d{3})\d*\+00$/, '$1Z'),
    );
  const day = DAY.getTime();
  const dayStart = Date.UTC(2026, 2, 14);
  const rows = make(DAY);
  const table = (name: string): Row[] => rows.get(`public.${name}`) ?? [];
  const userId = (email: string): unknown => rows.get('auth.users')?.find((u) => u.email === email)?.id;

  it('has upcoming published events, one with free and paid tickets, and sessions in the week ahead', () => {
    const upcoming = table('events_catalog').filter((e) => e.published === true && instant(e.start_time) > day);
    const withFreeAndPaid = upcoming.filter((e) => {
      const amounts = table('event_prices')
        .filter((p) => p.event_id === e.id && p.active === true)
        .map((p) => Number(p.amount));
      return amounts.includes(0) && amounts.some((a) => a > 0);
    });
    expect(withFreeAndPaid.length).toBeGreaterThanOrEqual(1);
    const coach = userId(DEMO_ACCOUNTS[1].email);
    const nextWeek = table('me_sessions').filter(
      (s) => s.coach_id === coach && s.status === 'scheduled' && instant(s.session_date) > day && instant(s.session_date) < day + 8 * 86_400_000,
    );
    expect(nextWeek.length).toBeGreaterThanOrEqual(2);
  });

  it('gives every demo account a complete profile', () => {
    for (const account of DEMO_ACCOUNTS) {
      const profile = table('zg_profiles').find((p) => p.email === account.email);
      for (const field of ['user_id', 'name', 'email', 'lang', 'timezone', 'avatar_url'])
        expect(profile?.[field], `${account.email} ${field}`).toEqual(expect.any(String));
    }
  });

  it('gives the demo client a paid order with its payment and receipt, a registration and a booked session', () => {
    const client = userId(DEMO_ACCOUNTS[2].email);
    const paid = table('express_orders').filter((o) => o.user_id === client && o.status === 'paid');
    expect(paid.length).toBeGreaterThanOrEqual(1);
    const paidIds = paid.map((o) => o.id);
    expect(table('payments').some((p) => paidIds.includes(p.order_id) && p.status === 'succeeded')).toBe(true);
    expect(table('me_receipts').some((r) => r.user_id === client && paidIds.includes(r.order_id))).toBe(true);
    const upcomingEvents = table('events_catalog')
      .filter((e) => instant(e.start_time) > day)
      .map((e) => e.id);
    expect(table('event_regs').some((r) => r.user_id === client && r.status === 'registered' && upcomingEvents.includes(r.event_id))).toBe(true);
    const booked = table('me_sessions').find((s) => s.user_id === client && s.status === 'scheduled' && s.booking_id !== null && instant(s.session_date) > day);
    const cal = table('cal_bookings').find((b) => b.id === booked?.booking_id);
    expect(cal).toMatchObject({ user_id: client, status: 'confirmed' });
    expect(table('bookings').some((b) => b.cal_booking_id === cal?.cal_booking_id && b.status === 'paid')).toBe(true);
  });

  it('is the same data set on another day, moved by whole days (same seed, same rows but for the dates)', () => {
    const later = make(new Date(DAY.getTime() + 100 * 86_400_000));
    const shift = 100 * 86_400_000;
    expect(dayStart).toBeLessThan(day);
    for (const [name, column] of [
      ['public.events_catalog', 'start_time'],
      ['public.me_sessions', 'session_date'],
      ['auth.users', 'created_at'],
    ] as const) {
      const a = rows.get(name) ?? [];
      const b = later.get(name) ?? [];
      expect(b.map((r) => r.id)).toEqual(a.map((r) => r.id));
      expect(b.map((r, i) => instant(r[column]) - instant(a[i]?.[column]))).toEqual(a.map(() => shift));
    }
    // The time of day does not matter: the day does.
    expect(make(new Date(dayStart + 60_000))).toEqual(rows);
  });
});
