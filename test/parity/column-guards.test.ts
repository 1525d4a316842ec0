/**
 * The SQL half of "identity never changes on update", checked on the catalog rather than case by
 * case: the columns Firestore keeps in a document's path or id (found by changing each column of a
 * fixture row and watching the mapped path move), `id`, `created_at` and the server's counters have
 * no UPDATE privilege for the API roles, in every table. A column that is a document id cannot be
 * "updated" in Firestore at all, so no matrix cell can compare it; this test covers those.
 */
import { freshDatabase, type TestDatabase } from '@zhengrowth/devstack/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE, type Fixture, type Json, type Row } from './fixture.js';
import { docsOfRow } from './mapping.js';

/** The columns whose value decides where the row's primary document lives. */
function pathColumns(table: string, ctx: Fixture): string[] {
  const row = Object.values(ctx[table] ?? {})[0];
  if (!row) throw new Error(`no fixture row for ${table}`);
  const pathOf = (r: Row): string => {
    try {
      return docsOfRow(table, r, ctx).find((d) => d.role === 'primary')?.path ?? '(none)';
    } catch {
      return '(invalid)';
    }
  };
  const before = pathOf(row);
  return Object.keys(row).filter((col) => {
    const v = row[col];
    const changed: Json = typeof v === 'number' ? v + 1 : typeof v === 'string' ? `${v}-changed` : v === null || v === undefined ? 'set' : v;
    return pathOf({ ...row, [col]: changed }) !== before;
  });
}

describe('column guards on UPDATE (migration/supabase/migrations/20250101000200_rls.sql)', () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await freshDatabase('zg_guards');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('finds the path columns it is about to check (the probe works)', () => {
    expect(pathColumns('me_goals', FIXTURE)).toEqual(['id', 'user_id']);
    expect(pathColumns('blog_posts', FIXTURE)).toEqual(['slug']);
    expect(pathColumns('community_comments', FIXTURE).sort()).toEqual(['id', 'post_id']);
    expect(pathColumns('zg_profiles', FIXTURE)).toEqual(['user_id']);
  });

  it('no API role may update identity, path, owner, creation time or counter columns', async () => {
    const grants = await client.query<{ table_name: string; column_name: string; grantee: string }>(
      `SELECT table_name, column_name, grantee FROM information_schema.column_privileges
       WHERE table_schema = 'public' AND privilege_type = 'UPDATE' AND grantee IN ('anon', 'authenticated')`,
    );
    const always = ['id', 'created_at', 'likes_count', 'comments_count'];
    // Owner columns that RLS decides access by but that are not in a Firestore path.
    const owners: Record<string, string[]> = { community_posts: ['author_id'], community_comments: ['author_id'], community_reports: ['reporter_id'] };
    const offending: string[] = [];
    for (const g of grants.rows) {
      if (g.grantee === 'anon') offending.push(`${g.table_name}.${g.column_name} (anon)`);
      const frozen = new Set([...always, ...(owners[g.table_name] ?? []), ...pathColumns(g.table_name, FIXTURE)]);
      if (frozen.has(g.column_name)) offending.push(`${g.table_name}.${g.column_name}`);
    }
    expect(offending.sort()).toEqual([]);
  });

  it('inbox owners may update read and read_at only; profiles name, avatar, lang, timezone, updated_at, metadata only', async () => {
    const cols = async (table: string): Promise<string[]> =>
      (
        await client.query<{ column_name: string }>(
          `SELECT column_name FROM information_schema.column_privileges
           WHERE table_schema = 'public' AND table_name = $1 AND privilege_type = 'UPDATE' AND grantee = 'authenticated' ORDER BY 1`,
          [table],
        )
      ).rows.map((r) => r.column_name);
    expect(await cols('nudge_inbox')).toEqual(['read', 'read_at']);
    expect(await cols('zg_profiles')).toEqual(['avatar_url', 'lang', 'metadata', 'name', 'timezone', 'updated_at']);
  });
});
