/**
 * The supabase source (through @supabase/supabase-js against a PostgREST stand-in serving the real
 * test database) gives the same Firestore state as the postgres source, apart from what the API
 * cannot give: auth.users. And a postgres:// URL on Supabase's transaction pooler is refused.
 */
import type { TestDatabase, TestFirebase } from '@zhengrowth/devstack/testing';
import { clearAuth } from '@zhengrowth/devstack/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpFirestore, firebaseFor, seededDatabase, targetEnv, zg } from './migrate-helpers.js';
import { withClient } from './pg-helpers.js';
import { startPostgrestStub, type PostgrestStub } from './postgrest-stub.js';

describe('the supabase source', () => {
  let src: TestDatabase;
  let viaPg: TestFirebase;
  let viaApi: TestFirebase;
  let stub: PostgrestStub;
  let apiRun: Awaited<ReturnType<typeof zg>>;
  let supabaseEnv: Record<string, string>;
  /** Users only auth.users knows (no profile, no role): the supabase source cannot see them. */
  let authOnly: string[] = [];
  /** A goal of a user only auth.users knows, made here whatever the generator drew: the supabase source must reject it. */
  const orphanGoal = '5a1e0000-0000-4000-8000-00000000a001';

  beforeAll(async () => {
    src = await seededDatabase(0.02, 'zg_sources');
    await withClient(src.url, async (c) => {
      const user = '5a1e0000-0000-4000-8000-00000000a000';
      await c.query(`INSERT INTO auth.users (id, email, created_at) VALUES ($1, 'auth.only@example.com', now())`, [user]);
      await c.query(`INSERT INTO me_goals (id, user_id, title) VALUES ($1, $2, 'Known to auth.users only')`, [orphanGoal, user]);
    });
    viaPg = firebaseFor('via-pg');
    viaApi = firebaseFor('via-api');
    stub = await startPostgrestStub(src.url);
    supabaseEnv = { SUPABASE_URL: stub.url, SUPABASE_SERVICE_ROLE_KEY: stub.key };
    expect((await zg(['run', '--source', src.url], targetEnv(viaPg))).code).toBe(0);
    apiRun = await zg(['run', '--source', 'supabase'], { ...targetEnv(viaApi), ...supabaseEnv });
    authOnly = await withClient(src.url, async (c) =>
      (
        await c.query<{ id: string }>(
          `SELECT id::text FROM auth.users u WHERE NOT EXISTS (SELECT 1 FROM zg_profiles p WHERE p.user_id = u.id) AND NOT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id)`,
        )
      ).rows.map((r) => r.id),
    );
  });
  afterAll(async () => {
    for (const fb of [viaPg, viaApi]) {
      await fb?.clear();
      if (fb) await clearAuth(fb.projectId).catch(() => undefined);
      await fb?.close();
    }
    await stub?.close();
    await src?.drop();
  });

  it('says up front that users come without password hashes and must reset their password', () => {
    expect(apiRun.err.split('\n')[0]).toMatch(/cannot read auth\.users/);
    expect(apiRun.err).toMatch(/password_reset_required/);
    expect(apiRun.err).not.toMatch(/zg-migrate:/);
  });

  it('reads through the API with text casts and keyset pagination by primary key', () => {
    const reads = stub.requests.filter((r) => r.startsWith('GET /rest/v1/analytics_events'));
    expect(reads.length).toBeGreaterThan(2);
    expect(reads.some((r) => /select=[^&]*created_at%3A%3Atext/.test(r) || /select=[^&]*created_at::text/.test(r))).toBe(true);
    expect(reads.some((r) => /id=gt\./.test(r))).toBe(true);
    expect(reads.every((r) => /order=id\.asc/.test(r))).toBe(true);
  });

  it('gives the same documents as the postgres source (users flagged for a password reset)', async () => {
    const pg = await dumpFirestore(viaPg.db);
    const api = await dumpFirestore(viaApi.db);
    // What the API cannot know: users only auth.users has, and the rows they own.
    const hidden = (p: string): boolean => authOnly.some((id) => p === `users/${id}` || p.startsWith(`users/${id}/`));
    const expected = new Map([...pg].filter(([p]) => !hidden(p)));
    const diffs: string[] = [];
    for (const [p, v] of expected) {
      const got = api.get(p);
      if (got === undefined) diffs.push(`missing ${p}`);
      else if (p.match(/^users\/[^/]+$/)) {
        const flagged = got.replace(',"password_reset_required":true', '');
        if (flagged === got) diffs.push(`${p} not flagged for a password reset`);
        if (flagged !== v) diffs.push(`${p} differs`);
      } else if (got !== v) diffs.push(`${p} differs`);
    }
    for (const p of api.keys()) if (!expected.has(p)) diffs.push(`extra ${p}`);
    expect(diffs).toEqual([]);
  });

  it('rejects, with the reason, rows whose owner only auth.users knows; verify passes', async () => {
    expect(authOnly.length).toBeGreaterThan(0);
    expect(apiRun.code).toBe(3);
    const v = await zg(['verify', '--source', 'supabase'], { ...targetEnv(viaApi), ...supabaseEnv });
    expect(v.out).not.toMatch(/MISMATCH|MISSING/);
    expect(v.code).toBe(0);
    const rejected = v.out.split('\n').filter((l) => l.startsWith('REJECTED'));
    expect(rejected.some((l) => l.startsWith(`REJECTED me_goals ${orphanGoal}:`))).toBe(true);
    for (const line of rejected) expect(line).toMatch(/the supabase source cannot read auth\.users/);
  });

  it('imports the users into Firebase Auth without passwords', async () => {
    const users = await viaApi.auth.listUsers(1000);
    expect(users.users.length).toBeGreaterThan(10);
    expect(users.users.every((u) => u.passwordHash === undefined)).toBe(true);
  });
});

describe('a postgres:// URL on the transaction pooler', () => {
  it('is refused (exit 1) with a pointer to the session pooler and the direct connection', async () => {
    const fb = firebaseFor('pooler');
    try {
      const r = await zg(['run', '--source', 'postgres://postgres.abcdefgh:secret@aws-0-eu-central-1.pooler.supabase.com:6543/postgres'], targetEnv(fb));
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/transaction pooler/);
      expect(r.err).toMatch(/session pooler/);
      expect(r.err).toMatch(/direct connection/);
      expect(r.err).not.toMatch(/secret/);
      expect(await fb.db.listCollections()).toEqual([]);
    } finally {
      await fb.close();
    }
  });
});
