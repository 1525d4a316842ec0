/**
 * The layout issue 14 adds and the seed's unique values: a lesson's yt_id lands in lesson_media/{id}
 * (its catalogue entry keeps the rest); a source whose unique constraints were dropped (or that
 * repeats a value through a NULL) has its duplicates rejected with the reason, the first row in key
 * order keeping the value; verify lists them as rejected and passes over the rest.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestDatabase, TestFirebase } from '@zhengrowth/devstack/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firebaseFor, seededDatabase, targetEnv, zg } from './migrate-helpers.js';
import { withClient } from './pg-helpers.js';

const U = (n: number): string => `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;
const TABLES = 'coupons,experiments,i18n_dict,blog_templates,email_templates,lessons';

describe('lesson media and unique values', () => {
  let src: TestDatabase;
  let fb: TestFirebase;
  let tmp: string;
  let report: {
    rejects: Array<{ table: string; key: string; reason: string }>;
    tables: Array<{ table: string; source_rows: number; written: number; rejected: number }>;
  };
  let code: number;

  beforeAll(async () => {
    src = await seededDatabase(0.01, 'zg_uniq');
    fb = firebaseFor('unique');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zg-uniq-'));
    await withClient(src.url, async (c) => {
      // A source that lost its unique constraints (or never had them).
      await c.query('DROP INDEX IF EXISTS public.coupons_code_key');
      await c.query('ALTER TABLE public.experiments DROP CONSTRAINT IF EXISTS experiments_key_key');
      await c.query('ALTER TABLE public.i18n_dict DROP CONSTRAINT IF EXISTS i18n_dict_lang_ns_key_key');
      await c.query(
        `INSERT INTO coupons (id, code, discount_type, discount_value) VALUES ('${U(1)}', 'DUP10', 'percent', 10), ('${U(2)}', 'DUP10', 'percent', 20)`,
      );
      await c.query(`INSERT INTO experiments (id, key, name) VALUES ('${U(3)}', 'dup-exp', 'A'), ('${U(4)}', 'dup-exp', 'B')`);
      await c.query(`INSERT INTO i18n_dict (id, lang, ns, key, value) VALUES ('${U(5)}', 'en', 'dup', 'k', 'one'), ('${U(6)}', 'en', 'dup', 'k', 'two')`);
      // PostgreSQL lets (platform, NULL, name) repeat; Firebase counts NULL as one value.
      await c.query(
        `INSERT INTO blog_templates (id, platform, locale, name, template) VALUES ('${U(7)}', 'x', NULL, 'dup', 'a'), ('${U(8)}', 'x', NULL, 'dup', 'b')`,
      );
      await c.query(
        `INSERT INTO email_templates (id, slug, name, subject, body_html) VALUES ('${U(9)}', 'dup-slug', 'A', 's', '<p>a</p>'), ('${U(10)}', 'dup-slug', 'B', 's', '<p>b</p>')`,
      );
      await c.query(`INSERT INTO lessons (id, slug, title, yt_id, published, paywall) VALUES ('${U(11)}', 'paid-lesson', 'Paid', 'yt-paid-1', true, true)`);
    });
    const r = await zg(
      ['run', '--source', src.url, '--tables', TABLES, '--report', path.join(tmp, 'report.json'), '--rejects', path.join(tmp, 'rejects.ndjson')],
      targetEnv(fb),
    );
    code = r.code;
    report = JSON.parse(fs.readFileSync(path.join(tmp, 'report.json'), 'utf8')) as typeof report;
  });
  afterAll(async () => {
    await fb?.clear();
    await fb?.close();
    await src?.drop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('rejects every later holder of a unique value with the reason; the first in key order keeps it', async () => {
    expect(code).toBe(3);
    const reason = (key: string) => report.rejects.find((r) => r.key === key)?.reason;
    expect(reason(U(2))).toBe(`duplicate coupon code (code="DUP10"): coupons row ${U(1)} has it already (the first in key order keeps it)`);
    expect(reason(U(4))).toMatch(/^duplicate experiment key \(key="dup-exp"\)/);
    expect(reason(U(6))).toMatch(/^duplicate i18n entry \(lang, ns, key\) \(lang="en", ns="dup", key="k"\)/);
    expect(reason(U(8))).toMatch(/^duplicate social template \(platform, locale, name\) \(platform="x", locale=NULL, name="dup"\)/);
    expect(reason(U(10))).toMatch(/^duplicate e-mail template slug/);
    for (const kept of [U(1), U(3), U(5), U(7), U(9)]) expect(reason(kept), kept).toBeUndefined();
    expect((await fb.db.doc(`coupons/${U(1)}`).get()).get('code')).toBe('DUP10');
    expect((await fb.db.doc(`coupons/${U(2)}`).get()).exists).toBe(false);
    for (const t of report.tables) expect(t.source_rows, t.table).toBe(t.written + t.rejected);
  });

  it("writes a lesson's catalogue entry without yt_id and its media apart", async () => {
    const lesson = (await fb.db.doc(`lessons/${U(11)}`).get()).data();
    expect(lesson?.title).toBe('Paid');
    expect(lesson).not.toHaveProperty('yt_id');
    expect((await fb.db.doc(`lesson_media/${U(11)}`).get()).data()).toEqual({ yt_id: 'yt-paid-1' });
  });

  it('verify lists the duplicates as rejected and passes over the rest; plan shows where yt_id goes', async () => {
    await zg(['verify', '--source', src.url, '--tables', TABLES, '--report', path.join(tmp, 'verify.json')], targetEnv(fb));
    const out = JSON.parse(fs.readFileSync(path.join(tmp, 'verify.json'), 'utf8')) as {
      ok: boolean;
      rejected: Array<{ key: string }>;
      mismatches: unknown[];
      missing: unknown[];
    };
    expect(out.mismatches).toEqual([]);
    expect(out.missing).toEqual([]);
    expect(out.rejected.map((r) => r.key).sort()).toEqual([U(2), U(4), U(6), U(8), U(10)].sort());
    const plan = await zg(['plan', '--json']);
    const lessons = (
      JSON.parse(plan.out) as { tables: Array<{ table: string; path: string; fields: Record<string, { field: string }>; notes: string }> }
    ).tables.find((t) => t.table === 'lessons');
    expect(lessons?.path).toBe('lessons/{id}');
    expect(lessons?.notes).toMatch(/lesson_media\/\{id\} \(yt_id\)/);
  });
});
