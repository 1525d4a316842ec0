import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TestDatabase } from '@zhengrowth/devstack/testing';
import { freshDatabase } from '@zhengrowth/devstack/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCE_TABLES } from '../src/migrate/plan/mapping.js';
import { zg } from './migrate-helpers.js';
import { withClient } from './pg-helpers.js';
import { repoRoot } from './schema-doc.js';

const PG = 'postgres://user@127.0.0.1:1/db';

describe('zg-migrate plan, run, verify, status: usage', () => {
  it('lists the commands and documents the exit codes', async () => {
    const top = await zg(['--help']);
    for (const c of ['plan', 'run', 'verify', 'sync', 'cutover', 'finish', 'files', 'status', 'seed-demo']) expect(top.out).toContain(c);
    const run = await zg(['run', '--help']);
    expect(run.code).toBe(0);
    for (const flag of [
      '--source',
      '--tables',
      '--dry-run',
      '--resume',
      '--concurrency',
      '--report',
      '--uid-map',
      '--rejects',
      '--replay',
      '--max-ops-per-second',
      '--project',
    ]) {
      expect(run.out).toContain(flag);
    }
    expect(run.out).toMatch(/3 finished but rows were rejected/);
    for (const cmd of ['verify', 'status', 'plan']) expect((await zg([cmd, '--help'])).code).toBe(0);
  });

  it.each([
    [['run'], /--source: is required/],
    [['run', '--source', 'mysql://x@h/db'], /--source: must be a postgres:\/\/ URL or `supabase`/],
    [['run', '--source', PG, '--concurrency', '0'], /--concurrency: must be at least 1/],
    [['run', '--source', PG, '--concurrency', 'many'], /--concurrency: must be a number/],
    [['run', '--source', PG, '--uid-map', 'phone'], /--uid-map: must be `same` or `email`/],
    [['run', '--source', PG, '--tables', 'leads,nope'], /--tables: no such table nope/],
    [['run', '--source', PG, '--replay', '/no/such/file.ndjson'], /--replay: no such file/],
    [['run', '--source', PG, '--max-ops-per-second', '-5'], /--max-ops-per-second: must be at least 1/],
    [['run', '--source', PG, '--resume', '--dry-run'], /--dry-run: cannot be combined with --resume/],
    [['run', '--source', PG, '--bogus'], /unknown option '--bogus'/],
    [['verify'], /--source: is required/],
    [['verify', '--source', PG, '--tables', 'x'], /--tables: no such table x/],
    [['plan', '--max-ops-per-second', 'fast'], /--max-ops-per-second: must be a number/],
    [['status', '--nope'], /unknown option '--nope'/],
    // A Firestore collection name: the table that fills it, and where the list is.
    [['run', '--source', PG, '--tables', 'orders'], /"orders" is a Firestore collection; --tables takes source tables: express_orders.*zg-migrate plan/s],
    [['run', '--source', PG, '--tables', 'lessons_progress'], /no such table lessons_progress \(did you mean lesson_progress/],
    // Output files are checked before anything is opened (PG is a closed port: it is never tried).
    [
      ['run', '--source', PG, '--report', '/no/such/folder/report.json'],
      /--report: cannot write \/no\/such\/folder\/report.json: the folder \/no\/such\/folder does not exist/,
    ],
    [['run', '--source', PG, '--rejects', '.'], /--rejects: \. is a folder, not a file/],
    [['sync'], /--source: is required/],
    // 0 is allowed (silence is read from the WAL, not waited for); more than ten minutes is not.
    [['cutover', '--source', PG, '--quiet-seconds', '601'], /--quiet-seconds: .*600/],
  ])('%j → exit 2 naming the flag', async (args, message) => {
    const r = await zg(args, { FIRESTORE_EMULATOR_HOST: process.env.FIRESTORE_EMULATOR_HOST });
    expect(r.err).toMatch(message);
    expect(r.code).toBe(2);
  });

  it('runs as an executable through its shebang (with its heap limits)', () => {
    const bin = path.join(repoRoot, 'migration', 'bin', 'zg-migrate.js');
    const res = spawnSync(bin, ['plan', '--help'], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` },
    });
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/Usage: zg-migrate plan/);
    expect(fs.readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env -S node --max-old-space-size=512 --max-semi-space-size=32');
  });

  it('the supabase source needs its two variables (exit 2), an unreachable database is a failure (exit 1)', async () => {
    const s = await zg(['run', '--source', 'supabase'], { SUPABASE_URL: undefined, SUPABASE_SERVICE_ROLE_KEY: undefined });
    expect(s.code).toBe(2);
    expect(s.err).toMatch(/SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY/);
    const down = await zg(['run', '--source', PG]);
    expect(down.code).toBe(1);
    expect(down.err).toMatch(/cannot connect/);
  });

  it('an unreachable Firestore or Auth emulator fails within seconds, naming the host and what to check', async () => {
    const t0 = Date.now();
    const r = await zg(['status'], { FIRESTORE_EMULATOR_HOST: '127.0.0.1:1', GCLOUD_PROJECT: 'demo-closed' });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /cannot reach the Firestore emulator at 127\.0\.0\.1:1 \(connection refused\)\. Is it running\?.*FIRESTORE_EMULATOR_HOST=127\.0\.0\.1:1/,
    );
    expect(r.err).not.toMatch(/UNAVAILABLE|Resolution note/);
    const auth = await zg(['run', '--source', PG], {
      FIRESTORE_EMULATOR_HOST: process.env.FIRESTORE_EMULATOR_HOST,
      FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:1',
      GCLOUD_PROJECT: 'demo-closed',
    });
    expect(auth.code).toBe(1);
    expect(auth.err).toMatch(/cannot reach the Auth emulator at 127\.0\.0\.1:1 .*FIREBASE_AUTH_EMULATOR_HOST/);
  });

  it('a demo project without the emulator variables is a usage error (exit 2)', async () => {
    const r = await zg(['status', '--project', 'demo-zhengrowth'], { FIRESTORE_EMULATOR_HOST: undefined, FIREBASE_AUTH_EMULATOR_HOST: undefined });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/demo-zhengrowth is a demo project, which exists only in the emulators: set FIRESTORE_EMULATOR_HOST/);
    const noAuth = await zg(['run', '--source', PG, '--project', 'demo-zhengrowth'], {
      FIRESTORE_EMULATOR_HOST: process.env.FIRESTORE_EMULATOR_HOST,
      FIREBASE_AUTH_EMULATOR_HOST: undefined,
    });
    expect(noAuth.code).toBe(2);
    expect(noAuth.err).toMatch(/set FIREBASE_AUTH_EMULATOR_HOST too/);
  });

  it('a real project without --project or credentials is a usage error', async () => {
    const r = await zg(['status'], {
      FIRESTORE_EMULATOR_HOST: undefined,
      GCLOUD_PROJECT: undefined,
      GOOGLE_CLOUD_PROJECT: undefined,
      FIREBASE_PROJECT_ID: undefined,
    });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--project: is required/);
  });
});

describe('zg-migrate plan', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase('zg_plan');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('--json: every table, every source column, in the documented shape', async () => {
    const r = await zg(['plan', '--json']);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out) as {
      tables: Array<{ table: string; path: string; fields: Record<string, { field: string; type: string }>; notes: string }>;
    };
    expect(Object.keys(plan)).toEqual(['tables']);
    expect(plan.tables.map((t) => t.table).sort()).toEqual([...SOURCE_TABLES].sort());
    const types = new Set(['string', 'integer', 'double', 'boolean', 'timestamp', 'date_string', 'money_minor', 'map', 'array', 'null']);
    const columns = await withClient(
      db.url,
      async (c) =>
        (
          await c.query<{ table_name: string; column_name: string }>(
            `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'`,
          )
        ).rows,
    );
    for (const t of plan.tables) {
      expect(Object.keys(t).sort()).toEqual(['fields', 'notes', 'path', 'table']);
      for (const f of Object.values(t.fields)) {
        expect(Object.keys(f).sort()).toEqual(['field', 'type']);
        expect(types.has(f.type), `${t.table} ${f.field} ${f.type}`).toBe(true);
      }
      const wanted = columns
        .filter((c) => c.table_name === t.table)
        .map((c) => c.column_name)
        .sort();
      expect(Object.keys(t.fields).sort(), t.table).toEqual(wanted);
    }
    const byTable = new Map(plan.tables.map((t) => [t.table, t]));
    expect(byTable.get('me_goals')?.path).toBe('users/{user_id}/goals/{id}');
    expect(byTable.get('me_goals')?.fields.target_date).toEqual({ field: 'target_date', type: 'date_string' });
    expect(byTable.get('coaching_offers')?.fields.price).toEqual({ field: 'price_minor', type: 'money_minor' });
    expect(byTable.get('blog_posts')?.path).toBe('blog_posts/{slug}');
    expect(byTable.get('lesson_progress')?.path).toBe('users/{user_id}/lesson_progress/{lesson_id}');
    expect(byTable.get('zg_referrals')?.path).toBe('users/{referrer_id}/referrals/{id}');
    expect(byTable.get('user_roles')?.path).toBe('users/{user_id}');
    expect(byTable.get('user_roles')?.fields.role).toEqual({ field: 'roles', type: 'array' });
    expect(byTable.get('social_accounts')?.notes).toMatch(/social_account_tokens/);
    expect(byTable.get('push_subscriptions')?.notes).toMatch(/anonymous_push_subscriptions/);
    expect(byTable.get('analytics_events')?.fields.created_at?.type).toBe('timestamp');
  });

  it('the human form is a readable table with the estimated run time', async () => {
    const r = await zg(['plan'], { FIRESTORE_EMULATOR_HOST: undefined });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^me_goals → users\/\{user_id\}\/goals\/\{id\}$/m);
    expect(r.out).toMatch(/500\/50\/5 ramp/);
    expect(r.out).toMatch(/100,000 documents: \d+ min/);
    const capped = await zg(['plan', '--source', db.url, '--max-ops-per-second', '100']);
    expect(capped.out).toMatch(/Estimated write time for 0 documents with at most 100 writes\/s/);
  });
});
