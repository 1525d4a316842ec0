/**
 * Hostile rows: every value Firestore cannot hold as it is is either encoded losslessly (and verify
 * passes on it) or rejected with its reason in the report and the rejects file; once the rejects
 * file is corrected, `run --replay` loads those rows and verify passes again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestDatabase, TestFirebase } from '@zhengrowth/devstack/testing';
import { clearAuth } from '@zhengrowth/devstack/testing';
import { decodeJson } from '@zhengrowth/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firebaseFor, seededDatabase, targetEnv, zg } from './migrate-helpers.js';
import { withClient } from './pg-helpers.js';

const U = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function nestedJson(levels: number): string {
  let v = '1';
  for (let i = 0; i < levels; i++) v = `{"a": ${v}}`;
  return v;
}

interface Case {
  name: string;
  table: string;
  key: string;
  sql: string;
  /** 'encoded': migrated (verify checks it); a RegExp: rejected with a reason matching it. */
  expect: 'encoded' | RegExp;
  /** A document path and a check of its data, for encoded rows. */
  doc?: string;
  check?: (data: Record<string, unknown>) => void;
  /** How the rejects file is corrected before the replay. */
  fix?: (row: Record<string, string | null>) => Record<string, string | null>;
}

const USER = U(900); // a user the edge rows may belong to (created below)
const CASES: Case[] = [
  {
    name: 'arrays inside arrays',
    table: 'leads',
    key: U(1),
    sql: `INSERT INTO leads (id, email, metadata) VALUES ('${U(1)}', 'n@example.com', '{"matrix": [[1, 2], [3, [4, []]]], "ok": [1]}')`,
    expect: 'encoded',
    doc: `leads/${U(1)}`,
    check: (d) => {
      expect(d.metadata).toEqual({ matrix: [{ '~array': [1, 2] }, { '~array': [3, { '~array': [4, { '~array': [] }] }] }], ok: [1] });
      expect(decodeJson(d.metadata)).toEqual({
        matrix: [
          [1, 2],
          [3, [4, []]],
        ],
        ok: [1],
      });
    },
  },
  {
    name: 'keys Firestore forbids',
    table: 'leads',
    key: U(2),
    sql: `INSERT INTO leads (id, email, metadata) VALUES ('${U(2)}', 'k@example.com', '{"": 1, "__x__": 2, "~t": 3, "a.b": 4, "__proto__": {"p": 1}, "é/ü": 5}')`,
    expect: 'encoded',
    doc: `leads/${U(2)}`,
    check: (d) => {
      expect(Object.keys(d.metadata as object).sort()).toEqual(['a.b', 'é/ü', '~', '~__proto__', '~__x__', '~~t'].sort());
      expect(decodeJson(d.metadata)).toEqual(JSON.parse('{"": 1, "__x__": 2, "~t": 3, "a.b": 4, "__proto__": {"p": 1}, "é/ü": 5}'));
    },
  },
  {
    name: 'jsonb null apart from SQL NULL',
    table: 'leads',
    key: U(3),
    sql: `INSERT INTO leads (id, email, metadata) VALUES ('${U(3)}', 'j@example.com', 'null')`,
    expect: 'encoded',
    doc: `leads/${U(3)}`,
    check: (d) => expect(d.metadata).toEqual({ '~null': true }),
  },
  {
    name: "'NaN' numeric that is not money",
    table: 'social_analytics',
    key: U(4),
    sql: `INSERT INTO social_analytics (id, post_id, engagement_rate) SELECT '${U(4)}', id, 'NaN' FROM social_posts LIMIT 1`,
    expect: 'encoded',
    doc: `social_analytics/${U(4)}`,
    check: (d) => expect(d.engagement_rate).toBe('NaN'),
  },
  {
    name: 'exactly 20 levels of nesting',
    table: 'leads',
    key: U(5),
    sql: `INSERT INTO leads (id, email, metadata) VALUES ('${U(5)}', 'd@example.com', '${nestedJson(20)}')`,
    expect: 'encoded',
  },
  {
    name: 'text[] with commas, quotes and the word NULL',
    table: 'leads',
    key: U(6),
    sql: `INSERT INTO leads (id, email, tags) VALUES ('${U(6)}', 't@example.com', ARRAY['a,b', 'NULL', 'with "q"', '', '{x}'])`,
    expect: 'encoded',
    doc: `leads/${U(6)}`,
    check: (d) => expect(d.tags).toEqual(['a,b', 'NULL', 'with "q"', '', '{x}']),
  },
  {
    name: 'lower-case currency',
    table: 'payments',
    key: U(7),
    sql: `INSERT INTO payments (id, amount, currency, provider) VALUES ('${U(7)}', '1500', 'jpy', 'stripe')`,
    expect: 'encoded',
    doc: `payments/${U(7)}`,
    check: (d) => expect([d.amount_minor, d.currency]).toEqual([1500, 'JPY']),
  },
  {
    name: 'year 0001 and microseconds',
    table: 'analytics_events',
    key: U(8),
    sql: `INSERT INTO analytics_events (id, event_name, created_at) VALUES ('${U(8)}', 'edge', '0001-01-01 00:00:00.000001+00')`,
    expect: 'encoded',
    doc: `analytics_events/${U(8)}`,
    check: (d) => expect([(d.created_at as { seconds: number }).seconds, (d.created_at as { nanoseconds: number }).nanoseconds]).toEqual([-62135596800, 1000]),
  },
  {
    name: "'infinity' timestamp",
    table: 'analytics_events',
    key: U(10),
    sql: `INSERT INTO analytics_events (id, event_name, created_at) VALUES ('${U(10)}', 'edge', 'infinity')`,
    expect: /'infinity'/,
    fix: (r) => ({ ...r, created_at: '2025-01-01 00:00:00.123456+00' }),
  },
  {
    name: 'year 10000',
    table: 'analytics_events',
    key: U(11),
    sql: `INSERT INTO analytics_events (id, event_name, created_at) VALUES ('${U(11)}', 'edge', '10000-01-01 00:00:00+00')`,
    expect: /outside Firestore's Timestamp range/,
    fix: (r) => ({ ...r, created_at: '9999-12-31 23:59:59.999999+00' }),
  },
  {
    name: 'a BC timestamp',
    table: 'analytics_events',
    key: U(12),
    sql: `INSERT INTO analytics_events (id, event_name, created_at) VALUES ('${U(12)}', 'edge', '0044-03-15 12:00:00+00 BC')`,
    expect: /before year 1/,
    fix: (r) => ({ ...r, created_at: '0044-03-15 12:00:00+00' }),
  },
  {
    name: 'a document over 1 MiB',
    table: 'ai_logs',
    key: U(13),
    sql: `INSERT INTO ai_logs (id, mode, response) VALUES ('${U(13)}', 'edge', repeat('x', 1100000))`,
    expect: /over Firestore's 1 MiB/,
    fix: (r) => ({ ...r, response: 'shortened' }),
  },
  {
    name: '21 levels of nesting',
    table: 'leads',
    key: U(14),
    sql: `INSERT INTO leads (id, email, metadata) VALUES ('${U(14)}', 'dd@example.com', '${nestedJson(21)}')`,
    expect: /deeper than Firestore's 20 levels/,
    fix: (r) => ({ ...r, metadata: nestedJson(3) }),
  },
  {
    name: 'an unknown currency',
    table: 'payments',
    key: U(15),
    sql: `INSERT INTO payments (id, amount, currency, provider) VALUES ('${U(15)}', '12.00', 'XYZ', 'stripe')`,
    expect: /"XYZ" is not an ISO 4217 currency/,
    fix: (r) => ({ ...r, currency: 'EUR' }),
  },
  {
    name: 'a NULL currency beside an amount',
    table: 'express_orders',
    key: U(16),
    sql: `INSERT INTO express_orders (id, order_number, customer_email, subtotal, total, currency) VALUES ('${U(16)}', 'EDGE-16', 'o@example.com', '10.00', '10.00', NULL)`,
    expect: /currency is NULL/,
    fix: (r) => ({ ...r, currency: 'USD' }),
  },
  {
    name: 'more decimals than the currency has',
    table: 'payments',
    key: U(17),
    sql: `INSERT INTO payments (id, amount, currency, provider) VALUES ('${U(17)}', '10.005', 'USD', 'stripe')`,
    expect: /more than 2 decimal place/,
    fix: (r) => ({ ...r, amount: '10.01' }),
  },
  {
    name: "'NaN' money",
    table: 'payments',
    key: U(18),
    sql: `INSERT INTO payments (id, amount, currency, provider) VALUES ('${U(18)}', 'NaN', 'USD', 'stripe')`,
    expect: /NaN, which is no amount of money/,
    fix: (r) => ({ ...r, amount: '0' }),
  },
  {
    name: 'an owner that is no user',
    table: 'me_sessions',
    key: U(19),
    sql: `INSERT INTO me_sessions (id, user_id, session_date) VALUES ('${U(19)}', '${U(999)}', now())`,
    expect: /names no migrated user/,
    fix: (r) => ({ ...r, user_id: USER }),
  },
  {
    name: 'a slug that is no document id',
    table: 'blog_posts',
    key: U(20),
    sql: `INSERT INTO blog_posts (id, slug, title) VALUES ('${U(20)}', 'a/b', 'Slash')`,
    expect: /no valid document path/,
    fix: (r) => ({ ...r, slug: 'a-b' }),
  },
  {
    name: 'a reserved slug',
    table: 'blog_posts',
    key: U(21),
    sql: `INSERT INTO blog_posts (id, slug, title) VALUES ('${U(21)}', '__edge__', 'Reserved')`,
    expect: /no valid document path/,
    fix: (r) => ({ ...r, slug: 'edge' }),
  },
  {
    name: 'a NULL array element',
    table: 'leads',
    key: U(22),
    sql: `INSERT INTO leads (id, email, tags) VALUES ('${U(22)}', 'ne@example.com', ARRAY['a', NULL])`,
    expect: /NULL element/,
    fix: (r) => ({ ...r, tags: '{a}' }),
  },
  {
    name: 'a two-dimensional array',
    table: 'leads',
    key: U(23),
    sql: `INSERT INTO leads (id, email, tags) VALUES ('${U(23)}', 'md@example.com', '{{a,b},{c,d}}')`,
    expect: /multi-dimensional/,
    fix: (r) => ({ ...r, tags: '{a,b,c,d}' }),
  },
  {
    name: 'an integer a double cannot hold',
    table: 'leads',
    key: U(24),
    sql: `INSERT INTO leads (id, email, metadata) VALUES ('${U(24)}', 'bi@example.com', '{"id": 12345678901234567890}')`,
    expect: /12345678901234567890, which a double/,
    fix: (r) => ({ ...r, metadata: '{"id": "12345678901234567890"}' }),
  },
  {
    name: 'a key path over 1,500 bytes',
    table: 'leads',
    key: U(25),
    sql: `INSERT INTO leads (id, email, metadata) VALUES ('${U(25)}', 'lk@example.com', jsonb_build_object(repeat('k', 1600), 1))`,
    expect: /longer than Firestore's 1500-byte limit/,
    fix: (r) => ({ ...r, metadata: '{"k": 1}' }),
  },
  {
    name: 'over 40,000 index entries',
    table: 'events_catalog',
    key: U(26),
    sql: `INSERT INTO events_catalog (id, slug, title, start_time, tags) SELECT '${U(26)}', 'edge-tags', 'Tags', now(), array_agg('t' || g) FROM generate_series(1, 40001) g`,
    expect: /over Firestore's 40,000 per document/,
    fix: (r) => ({ ...r, tags: '{t1,t2}' }),
  },
  {
    name: 'a discount type with no meaning',
    table: 'coupons',
    key: U(27),
    sql: `INSERT INTO coupons (id, code, discount_type, discount_value) VALUES ('${U(27)}', 'EDGE', 'bogus', '5')`,
    expect: /only 'percent' and 'fixed'/,
    fix: (r) => ({ ...r, discount_type: 'percent' }),
  },
  {
    name: 'an AI suggestion of no profile',
    table: 'ai_suggestions_cache',
    key: U(28),
    sql: `INSERT INTO ai_suggestions_cache (id, profile_id, suggestion_type, content) VALUES ('${U(28)}', '${U(998)}', 'edge', '{}')`,
    expect: /has no zg_profiles row/,
    fix: (r) => ({ ...r, profile_id: U(901) }),
  },
  {
    name: 'a profile too deep for its users document',
    table: 'zg_profiles',
    key: U(901),
    sql: `UPDATE zg_profiles SET metadata = '${nestedJson(21)}' WHERE id = '${U(901)}'`,
    expect: /deeper than Firestore's 20 levels/,
    fix: (r) => ({ ...r, metadata: '{"fixed": true}' }),
  },
  {
    name: 'a phone number Firebase Auth refuses',
    table: 'auth.users',
    key: U(902),
    sql: `SELECT 1`,
    expect: /not an E\.164 number/,
    fix: (r) => ({ ...r, phone: null }),
  },
];

describe('hostile rows: encoded losslessly or rejected with the reason, then replayed once fixed', () => {
  let src: TestDatabase;
  let fb: TestFirebase;
  let tmp: string;
  let report: {
    ok: boolean;
    tables: Array<{ table: string; source_rows: number; written: number; rejected: number }>;
    rejects: Array<{ table: string; key: string; reason: string }>;
  };
  let run: Awaited<ReturnType<typeof zg>>;

  beforeAll(async () => {
    src = await seededDatabase(0.01, 'zg_edge');
    fb = firebaseFor('edge');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zg-edge-'));
    await withClient(src.url, async (c) => {
      // A user for the rows to belong to, with a profile and a role; another with a bad phone.
      await c.query(
        `INSERT INTO auth.users (id, email, created_at) VALUES ('${USER}', 'edge-user@example.com', now()), ('${U(902)}', 'phone@example.com', now())`,
      );
      await c.query(`UPDATE auth.users SET phone = 'not-a-phone' WHERE id = '${U(902)}'`);
      await c.query(`INSERT INTO zg_profiles (id, user_id, email, metadata) VALUES ('${U(901)}', '${USER}', 'edge-user@example.com', '{}')`);
      await c.query(`INSERT INTO user_roles (id, user_id, role) VALUES ('${U(903)}', '${USER}', 'client')`);
      for (const k of CASES) await c.query(k.sql);
    });
    run = await zg(['run', '--source', src.url, '--report', path.join(tmp, 'report.json'), '--rejects', path.join(tmp, 'rejects.ndjson')], targetEnv(fb));
    report = JSON.parse(fs.readFileSync(path.join(tmp, 'report.json'), 'utf8')) as typeof report;
  });
  afterAll(async () => {
    await fb?.clear();
    if (fb) await clearAuth(fb.projectId).catch(() => undefined);
    await fb?.close();
    await src?.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('finishes with exit code 3, counts that add up, and the pre-flight showing the problems first', () => {
    expect(run.err).not.toMatch(/zg-migrate:/);
    expect(run.code).toBe(3);
    expect(report.ok).toBe(false);
    for (const t of report.tables) expect(t.source_rows, t.table).toBe(t.written + t.rejected);
    const pre = run.out.indexOf('Pre-flight');
    expect(pre).toBeGreaterThanOrEqual(0);
    expect(run.out.slice(pre, run.out.indexOf('Migration finished'))).toMatch(/payments: \d+ ×/);
  });

  it.each(CASES.filter((c) => c.expect !== 'encoded').map((c) => [c.name, c] as const))('rejects %s, with the reason', (_name, k) => {
    const r = report.rejects.find((x) => x.table === k.table && x.key === k.key);
    expect(r, `${k.table} ${k.key} not in the report`).toBeDefined();
    expect(r?.reason).toMatch(k.expect);
  });

  it('rejects the role rows of a rejected users document too, saying why', () => {
    expect(report.rejects.find((r) => r.table === 'user_roles' && r.key === U(903))?.reason).toMatch(/rejected with users\/.*deeper than/);
  });

  it.each(CASES.filter((c) => c.expect === 'encoded').map((c) => [c.name, c] as const))('encodes %s losslessly', async (_name, k) => {
    expect(report.rejects.find((x) => x.table === k.table && x.key === k.key)).toBeUndefined();
    if (k.doc && k.check) {
      const snap = await fb.db.doc(k.doc).get();
      expect(snap.exists).toBe(true);
      k.check(snap.data() ?? {});
    }
  });

  it('writes every rejected row, whole, to the rejects file', () => {
    const lines = fs
      .readFileSync(path.join(tmp, 'rejects.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { table: string; key: string; reason: string; row: Record<string, string | null> });
    expect(lines.length).toBe(report.rejects.length);
    const big = lines.find((l) => l.key === U(13));
    expect(big?.row.response?.length).toBe(1_100_000); // too large for the state document, read back from the source
    const slug = lines.find((l) => l.key === U(20));
    expect(slug?.row).toMatchObject({ id: U(20), slug: 'a/b', title: 'Slash' });
  });

  it('verify passes, listing the rejected rows as rejected, not missing', async () => {
    const v = await zg(['verify', '--source', src.url], targetEnv(fb));
    expect(v.code).toBe(0);
    expect(v.out).toMatch(new RegExp(`REJECTED payments ${U(15)}`));
    expect(v.out).not.toMatch(/MISSING/);
  });

  it('verify fails (exit 1) when a document differs, naming the field', async () => {
    await fb.db.doc(`leads/${U(6)}`).update({ tags: ['changed'] });
    const v = await zg(['verify', '--source', src.url, '--tables', 'leads'], targetEnv(fb));
    expect(v.code).toBe(1);
    expect(v.out).toMatch(new RegExp(`MISMATCH leads/${U(6)} .* field tags`));
    await fb.db.doc(`leads/${U(6)}`).update({ tags: ['a,b', 'NULL', 'with "q"', '', '{x}'] });
    await fb.db.doc('leads/not-from-the-source').set({ email: 'extra@example.com' });
    const extra = await zg(['verify', '--source', src.url, '--tables', 'leads'], targetEnv(fb));
    expect(extra.out).toMatch(/EXTRA leads\/not-from-the-source/);
    await fb.db.doc('leads/not-from-the-source').delete();
  });

  it('verify counts every extra document and lists the first; it reads each collection to the end', async () => {
    // A list of extras filled early once left the next collection's stream unread, and every later
    // request waited for that stream's deadline (five minutes): ai_logs is read after both.
    const w = fb.db.bulkWriter();
    const extras = [...Array.from({ length: 1000 }, (_, i) => `leads/extra-${i}`), ...Array.from({ length: 3000 }, (_, i) => `analytics_events/extra-${i}`)];
    for (const p of extras) void w.set(fb.db.doc(p), { note: 'not from the source' });
    await w.close();
    try {
      const v = await zg(['verify', '--source', src.url, '--tables', 'leads,analytics_events,ai_logs'], targetEnv(fb));
      expect(v.code, v.err).toBe(0);
      expect(v.out).toMatch(/OK: every migrated row matches its document(; .* \(listed above\))?; 4,000 extra document\(s\) \(the first 50 listed above\)\./);
      expect(v.out.match(/^EXTRA /gm)).toHaveLength(50);
    } finally {
      const d = fb.db.bulkWriter();
      for (const p of extras) void d.delete(fb.db.doc(p));
      await d.close();
    }
  }, 120_000);

  it('--replay loads the corrected rows, and verify then passes with them', async () => {
    const file = path.join(tmp, 'rejects.ndjson');
    const fixed = fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => {
        const line = JSON.parse(l) as { table: string; key: string; reason: string; row: Record<string, string | null> };
        const k = CASES.find((c) => c.table === line.table && c.key === line.key);
        return JSON.stringify({ ...line, row: k?.fix ? k.fix(line.row) : line.row });
      });
    fs.writeFileSync(path.join(tmp, 'fixed.ndjson'), `${fixed.join('\n')}\n`);
    const replay = await zg(['run', '--source', src.url, '--replay', path.join(tmp, 'fixed.ndjson'), '--report', path.join(tmp, 'replay.json')], targetEnv(fb));
    expect(replay.err).not.toMatch(/zg-migrate:/);
    expect(replay.code).toBe(0);
    const r = JSON.parse(fs.readFileSync(path.join(tmp, 'replay.json'), 'utf8')) as { ok: boolean; rejects: unknown[] };
    expect(r).toMatchObject({ ok: true, rejects: [] });
    expect((await fb.db.doc('blog_posts/a-b').get()).data()?.id).toBe(U(20));
    expect((await fb.db.doc(`users/${USER}/sessions/${U(19)}`).get()).exists).toBe(true);
    expect((await fb.db.doc(`users/${USER}`).get()).data()?.metadata).toEqual({ fixed: true });
    expect((await fb.auth.getUser(U(902))).email).toBe('phone@example.com');
    const v = await zg(['verify', '--source', src.url], targetEnv(fb));
    expect(v.out).not.toMatch(/MISMATCH|MISSING/);
    expect(v.code).toBe(0);
  });
});
