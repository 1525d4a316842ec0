import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestDatabase, TestFirebase } from '@zhengrowth/devstack/testing';
import { clearAuth } from '@zhengrowth/devstack/testing';
import { isTimestampLike, type TimestampLike } from '@zhengrowth/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCE_TABLES } from '../src/migrate/plan/mapping.js';
import { dumpDiff, dumpFirestore, firebaseFor, seededDatabase, targetEnv, zg } from './migrate-helpers.js';
import { withClient } from './pg-helpers.js';

const SCALE = 0.02;

function micros(t: unknown): bigint {
  if (!isTimestampLike(t)) throw new Error(`not a Timestamp: ${JSON.stringify(t)}`);
  return BigInt(t.seconds) * 1_000_000n + BigInt(t.nanoseconds / 1000);
}

describe('zg-migrate run → verify, every table, postgres source', () => {
  let src: TestDatabase;
  let fb: TestFirebase;
  let tmp: string;
  let first: Awaited<ReturnType<typeof zg>>;
  let before: Map<string, string>;

  beforeAll(async () => {
    src = await seededDatabase(SCALE);
    fb = firebaseFor('roundtrip');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zg-rt-'));
    first = await zg(['run', '--source', src.url, '--report', path.join(tmp, 'report.json'), '--rejects', path.join(tmp, 'rejects.ndjson')], targetEnv(fb));
    before = await dumpFirestore(fb.db);
  });
  afterAll(async () => {
    await fb?.clear();
    if (fb) await clearAuth(fb.projectId).catch(() => undefined);
    await fb?.close();
    await src?.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('migrates every row of all 45 tables and auth.users (exit 0), with a report whose counts add up', () => {
    expect(first.err).not.toMatch(/zg-migrate:/);
    expect(first.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(tmp, 'report.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(report).sort()).toEqual(['ok', 'rejects', 'tables']);
    expect(report.ok).toBe(true);
    expect(report.rejects).toEqual([]);
    const tables = report.tables as Array<Record<string, unknown>>;
    expect(tables.map((t) => t.table).sort()).toEqual([...SOURCE_TABLES, 'auth.users'].sort());
    for (const t of tables) {
      expect(Object.keys(t).sort()).toEqual(['duration_ms', 'rejected', 'source_rows', 'table', 'written']);
      expect(t.source_rows, String(t.table)).toBe((t.written as number) + (t.rejected as number));
      expect(t.source_rows as number, String(t.table)).toBeGreaterThan(0);
    }
    expect(fs.readFileSync(path.join(tmp, 'rejects.ndjson'), 'utf8')).toBe('');
    expect(first.out).toMatch(/Pre-flight/);
    expect(first.out).toMatch(/largest doc \(bytes\)/);
  });

  it('verify passes: every row matches its document field by field (exit 0)', async () => {
    const v = await zg(['verify', '--source', src.url, '--report', path.join(tmp, 'verify.json')], targetEnv(fb));
    // On a failure, what the run said and how many Auth users the project holds now tell a failed import from a lost one.
    const why = async (): Promise<string> =>
      `run exit ${first.code}, stderr: ${first.err.slice(-1500)}; Auth users now: ${(await fb.auth.listUsers(1000)).users.length}; verify: ${v.out.slice(0, 1500)}`;
    if (!/OK: every migrated row matches/.test(v.out)) expect.fail(await why());
    expect(v.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(tmp, 'verify.json'), 'utf8')) as {
      ok: boolean;
      tables: Array<{ table: string; matched: number; source_rows: number }>;
    };
    expect(report.ok).toBe(true);
    for (const t of report.tables) expect(t.matched, t.table).toBe(t.source_rows);
  });

  it('keeps microseconds, money in minor units per currency, exact decimals, dates, arrays, inet', async () => {
    await withClient(src.url, async (c) => {
      const events = await c.query<{ id: string; us: string; ip: string | null }>(
        `SELECT id::text, (extract(epoch FROM created_at) * 1000000)::bigint::text AS us, ip_address::text AS ip FROM analytics_events ORDER BY id LIMIT 25`,
      );
      for (const e of events.rows) {
        const d = (await fb.db.doc(`analytics_events/${e.id}`).get()).data() ?? {};
        expect(micros(d.created_at)).toBe(BigInt(e.us));
        expect(d.ip_address ?? null).toBe(e.ip);
      }
      expect(events.rows.some((e) => BigInt(e.us) % 1000n !== 0n)).toBe(true);

      const offers = await c.query<{ id: string; price: string; currency: string }>(
        `SELECT id::text, price::text, currency FROM coaching_offers WHERE currency IN ('JPY', 'KWD', 'USD')`,
      );
      const seen = new Set<string>();
      for (const o of offers.rows) {
        const d = (await fb.db.doc(`offers/${o.id}`).get()).data() ?? {};
        const [whole, frac = ''] = o.price.split('.');
        const exp = o.currency === 'JPY' ? 0 : o.currency === 'KWD' ? 3 : 2;
        expect(d.price_minor).toBe(Number(`${whole}${frac.padEnd(exp, '0').slice(0, exp)}`));
        expect(d.currency).toBe(o.currency);
        seen.add(o.currency);
      }
      expect(seen).toEqual(new Set(['JPY', 'KWD', 'USD']));

      const rates = await c.query<{ id: string; rate: string | null }>(`SELECT id::text, engagement_rate::text AS rate FROM social_analytics`);
      for (const r of rates.rows) expect((await fb.db.doc(`social_analytics/${r.id}`).get()).data()?.engagement_rate).toBe(r.rate);
      expect(rates.rows.some((r) => r.rate !== null && r.rate.includes('.'))).toBe(true);

      const goals = await c.query<{ id: string; user_id: string; target: string | null }>(
        `SELECT id::text, user_id::text, target_date::text AS target FROM me_goals`,
      );
      for (const g of goals.rows) expect((await fb.db.doc(`users/${g.user_id}/goals/${g.id}`).get()).data()?.target_date).toBe(g.target);

      const posts = await c.query<{ id: string; slug: string; tags: string[] | null }>(`SELECT id::text, slug, tags FROM blog_posts`);
      for (const p of posts.rows) {
        const d = (await fb.db.doc(`blog_posts/${p.slug}`).get()).data() ?? {};
        expect(d.id).toBe(p.id);
        expect(d.tags ?? null).toEqual(p.tags);
      }
    });
  });

  it('encodes jsonb as documented: a whole-value JSON null is {"~null": true}, SQL NULL stays null, nesting kept', async () => {
    await withClient(src.url, async (c) => {
      const flag = await c.query<{ key: string }>(`SELECT key FROM remote_flags WHERE value = 'null'::jsonb`);
      const key = flag.rows[0]?.key ?? '';
      expect((await fb.db.doc(`remote_flags/${key}`).get()).data()?.value).toEqual({ '~null': true });
      const profiles = await c.query<{ user_id: string; metadata: unknown }>(
        `SELECT user_id::text, metadata FROM zg_profiles WHERE metadata IS NOT NULL LIMIT 10`,
      );
      for (const p of profiles.rows) expect((await fb.db.doc(`users/${p.user_id}`).get()).data()?.metadata).toEqual(p.metadata);
      const nullMeta = await c.query<{ user_id: string }>(`SELECT user_id::text FROM zg_profiles WHERE metadata IS NULL`);
      for (const p of nullMeta.rows) expect((await fb.db.doc(`users/${p.user_id}`).get()).data()?.metadata).toBeNull();
    });
  });

  it('makes users/{uid} for every auth user, profile owner and role holder, with roles and grants', async () => {
    await withClient(src.url, async (c) => {
      const ids = await c.query<{ id: string }>(
        `SELECT id::text FROM auth.users UNION SELECT user_id::text FROM zg_profiles UNION SELECT user_id::text FROM user_roles`,
      );
      const docs = await fb.db.collection('users').listDocuments();
      expect(docs.map((d) => d.id).sort()).toEqual(ids.rows.map((r) => r.id).sort());
      const noProfile = await c.query<{ id: string }>(
        `SELECT id::text FROM auth.users u WHERE NOT EXISTS (SELECT 1 FROM zg_profiles p WHERE p.user_id = u.id)`,
      );
      expect(noProfile.rows.length).toBeGreaterThan(0);
      for (const u of noProfile.rows) {
        const d = (await fb.db.doc(`users/${u.id}`).get()).data() ?? {};
        expect(d.profile_id).toBeNull();
        expect(d.email).toBeNull();
      }
      const roles = await c.query<{ user_id: string; roles: string[]; ids: string[] }>(
        `SELECT user_id::text, array_agg(role::text ORDER BY role) AS roles, array_agg(id::text ORDER BY role) AS ids FROM user_roles GROUP BY user_id`,
      );
      for (const r of roles.rows) {
        const d = (await fb.db.doc(`users/${r.user_id}`).get()).data() ?? {};
        expect(d.roles).toEqual(r.roles);
        expect(Object.keys(d.role_grants as object).sort()).toEqual([...r.roles].sort());
        r.roles.forEach((role, i) => expect((d.role_grants as Record<string, { id: string }>)[role]?.id).toBe(r.ids[i]));
      }
    });
  });

  it('splits social accounts from their tokens, keys lesson progress by lesson, finds AI suggestion owners, parks anonymous push subscriptions', async () => {
    await withClient(src.url, async (c) => {
      const accounts = await c.query<{ id: string; user_id: string; access_token: string | null }>(
        `SELECT id::text, user_id::text, access_token FROM social_accounts`,
      );
      for (const a of accounts.rows) {
        const pub = (await fb.db.doc(`users/${a.user_id}/social_accounts/${a.id}`).get()).data() ?? {};
        expect(pub).not.toHaveProperty('access_token');
        expect(pub).not.toHaveProperty('refresh_token');
        expect((await fb.db.doc(`social_account_tokens/${a.id}`).get()).data()?.access_token ?? null).toBe(a.access_token);
      }
      const progress = await c.query<{ id: string; user_id: string; lesson_id: string }>(
        `SELECT id::text, user_id::text, lesson_id::text FROM lesson_progress LIMIT 10`,
      );
      for (const p of progress.rows) expect((await fb.db.doc(`users/${p.user_id}/lesson_progress/${p.lesson_id}`).get()).data()?.id).toBe(p.id);
      const ai = await c.query<{ id: string; owner: string }>(
        `SELECT a.id::text, p.user_id::text AS owner FROM ai_suggestions_cache a JOIN zg_profiles p ON p.id = a.profile_id`,
      );
      for (const a of ai.rows) expect((await fb.db.doc(`users/${a.owner}/ai_suggestions/${a.id}`).get()).data()?.user_id).toBe(a.owner);
      const anon = await c.query<{ id: string }>(`SELECT id::text FROM push_subscriptions WHERE user_id IS NULL`);
      expect(anon.rows.length).toBeGreaterThan(0);
      for (const a of anon.rows) expect((await fb.db.doc(`anonymous_push_subscriptions/${a.id}`).get()).data()?.user_id).toBeNull();
      const coupons = await c.query<{ id: string; type: string; value: string }>(
        `SELECT id::text, discount_type AS type, discount_value::text AS value FROM coupons`,
      );
      for (const cp of coupons.rows) {
        const d = (await fb.db.doc(`coupons/${cp.id}`).get()).data() ?? {};
        if (cp.type === 'percent') {
          expect(d.discount_percent).toBe(cp.value);
          expect(d.discount_amount_minor).toBeNull();
        } else {
          expect(typeof d.discount_amount_minor).toBe('number');
          expect(d.discount_percent).toBeNull();
        }
      }
    });
  });

  it('a second run changes nothing and adds no documents', async () => {
    const stateBefore = await dumpFirestore(fb.db, true);
    const again = await zg(['run', '--source', src.url], targetEnv(fb));
    expect(again.code).toBe(0);
    const after = await dumpFirestore(fb.db);
    expect(dumpDiff(before, after)).toEqual([]);
    expect(after.size).toBe(before.size);
    // Not even the migration's own bookkeeping grows: the same run record, the same checkpoints.
    expect((await dumpFirestore(fb.db, true)).size).toBe(stateBefore.size);
  });

  it('status says what the last run did', async () => {
    const s = await zg(['status'], targetEnv(fb));
    expect(s.code).toBe(0);
    expect(s.out).toMatch(/status completed/);
    expect(s.out).toMatch(/analytics_events\s+done/);
  });

  it('--dry-run transforms and checks everything and writes nothing', async () => {
    const empty = firebaseFor('dryrun');
    try {
      const dry = await zg(['run', '--source', src.url, '--dry-run', '--report', path.join(tmp, 'dry.json')], targetEnv(empty));
      expect(dry.code).toBe(0);
      expect(dry.out).toMatch(/Dry run: nothing was written/);
      expect(await empty.db.listCollections()).toEqual([]);
      expect((await empty.auth.listUsers(10)).users).toEqual([]);
      const report = JSON.parse(fs.readFileSync(path.join(tmp, 'dry.json'), 'utf8')) as {
        tables: Array<{ source_rows: number; written: number; rejected: number }>;
      };
      for (const t of report.tables) expect(t.source_rows).toBe(t.written + t.rejected);
    } finally {
      await empty.close();
    }
  });

  it('timestamps are Firestore Timestamps, not strings or Dates', async () => {
    const d = (await fb.db.collection('analytics_events').limit(1).get()).docs[0]?.data() ?? {};
    expect(isTimestampLike(d.created_at)).toBe(true);
    expect(typeof (d.created_at as TimestampLike).toMillis()).toBe('number');
  });
});
